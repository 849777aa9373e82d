"""An exercise of a lesson: the answer box for a predict, choice or code step, with feedback, hint and answer; a code
step's Python runs in the screen's sandbox child by a worker (the grading is tutor.course.code's)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker
from rich.text import Text
from textual.widgets import Input, Static

from tutor.app.widgets.code_runner import CodeRunner
from tutor.app.widgets.exercise_input import AnswerInput
from tutor.app.workers import background, failed
from tutor.course.answers import Attempts, Feedback
from tutor.sandbox import Outcome
from tutor.app.format import symbol
from tutor.course.grading import rule_text


def described(step) -> str:
    """What a predict step asks for: its label in words, or the quantity's symbol with its code name beside it
    (∂C/∂b_l2, dc_db_l2), as the stepper names it."""
    if step.label:
        return step.label
    symbolic = symbol(step.name) + step.quantity[len(step.name):] if step.name else step.quantity
    return symbolic if symbolic == step.quantity else f"{symbolic} ({step.quantity})"


class Exercise(Widget):
    """The answer box of an exercise and what the grading said (tutor.course.answers.Attempts, which it is loaded
    with); it posts Exercise.Changed after every counted try and after a reveal."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    BINDINGS = [
        Binding("up", "history(-1)", "Earlier try", show=False, id="exercise.history_back",
                tooltip="The Python tried before in this step"),
        Binding("down", "history(1)", "Later try", show=False, id="exercise.history_forward",
                tooltip="The Python tried after it in this step"),
    ]

    @dataclass
    class Changed(Message):
        """The record changed (a counted try, a solution or a reveal)."""

        exercise: "Exercise"
        attempts: Attempts

    class Ran(Message):
        """A code step's try came back from the sandbox."""

        def __init__(self, key: str, text: str, outcome: Outcome) -> None:
            super().__init__()
            self.key, self.text, self.outcome = key, text, outcome

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.attempts: Attempts | None = None
        self.hint_shown = False
        self.runner: CodeRunner | None = None  # started with the first code step, closed with the screen
        self.typed: list[str] = []             # a code step's tries, for ↑/↓
        self.position = 0
        self.running = False

    @property
    def step(self):
        return self.attempts.step if self.attempts is not None else None

    @property
    def record(self) -> dict:
        return self.attempts.record

    def load(self, attempts: Attempts) -> None:
        """Show an exercise with its tries so far (one widget serves every exercise of a lesson)."""
        self.attempts = attempts
        step = attempts.step
        self.hint_shown = bool(self.wrong_tries) and not self.solved
        self.typed, self.running = list(self.record["tries"]), False
        self.position = len(self.typed)
        names = self.query_one("#namespace", Static)
        names.display = step.kind == "code"
        if step.kind == "choice":
            self.query_one("#options", Static).update(
                Text("\n".join(f"  {i + 1}) {o.text}" for i, o in enumerate(step.options))))
            placeholder = f"type 1-{len(step.options)} (or a-{chr(ord('a') + len(step.options) - 1)}), then Enter"
        elif step.kind == "code":
            self.query_one("#options", Static).update(Text(f"Python that computes {described(step)}:"))
            names.update(Text(attempts.you_have()))
            placeholder = ">>> type Python, then Enter (↑/↓: your tries)"
            if not attempts.solved:
                if self.runner is None:
                    self.runner = CodeRunner()
                self.warm(self.runner, attempts.quantities)
        else:
            self.query_one("#options", Static).update(
                Text(f"Your value of {described(step)} ({rule_text(step)}):"))
            placeholder = "a number, e.g. 0.75, -0.019 or 1.2e-2; then Enter"
        box = self.query_one(AnswerInput)
        box.placeholder, box.value = placeholder, ""
        self.show()

    @property
    def solved(self) -> bool:
        return self.attempts.solved

    @property
    def wrong_tries(self) -> int:
        return self.attempts.wrong_tries

    def compose(self):
        yield Static("", id="options")
        yield Static("", id="namespace")
        yield AnswerInput(id="answer")
        yield Static("", id="feedback", markup=False)
        yield Static("", id="hint", markup=False)

    def focus_answer(self) -> None:
        if self.step is not None and not self.solved:
            self.query_one(AnswerInput).focus()

    # -- trying -------------------------------------------------------------------------------------

    def on_unmount(self) -> None:
        if self.runner is not None:
            self.runner.close()

    @on(Input.Submitted, "#answer")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.step is not None and self.step.kind == "code":
            self.run_code(event.value)
        else:
            self.attempt(event.value)

    def run_code(self, text: str) -> None:
        """A code step's try: run in the sandbox by a worker (the box waits), graded when it comes back."""
        if self.running:
            return
        if text.strip() and (not self.typed or self.typed[-1] != text):
            self.typed.append(text)
        self.position = len(self.typed)
        prepared = self.attempts.prepare(text)
        if isinstance(prepared, Feedback):
            self.show(prepared.message, counted=False)
            return
        self.running = True
        self.query_one(AnswerInput).disabled = True
        self.query_one("#feedback", Static).update("Running your code …")
        self.execute(self.runner, self.step.key, text, self.attempts.quantities, prepared)

    @background(exclusive=True, group="code")
    def warm(self, runner: CodeRunner, quantities: dict) -> None:
        runner.warm(quantities)

    @background(group="code-run")
    def execute(self, runner: CodeRunner, key: str, text: str, quantities: dict, code: str) -> None:
        outcome = runner.run(quantities, code)
        if outcome is not None:
            self.post_message(self.Ran(key, text, outcome))

    def on_exercise_ran(self, message: Ran) -> None:
        if self.attempts is None or self.step.key != message.key or not self.running:
            return  # another step is shown now
        self.running = False
        self.settle(self.attempts.grade(message.text, message.outcome))
        self.focus_answer()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        line = failed(self, event, "Running your code")
        if line is not None and self.running:
            self.running = False
            self.show(line, counted=False)

    def action_history(self, step: int) -> None:
        box = self.query_one(AnswerInput)
        if not self.typed or box.disabled:
            return
        self.position = max(0, min(len(self.typed), self.position + step))
        box.value = self.typed[self.position] if self.position < len(self.typed) else ""
        box.cursor_position = len(box.value)

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "history":
            return self.step is not None and self.step.kind == "code"
        return True

    def attempt(self, text: str) -> None:
        """Grade one answer; text that is not an answer is explained and not counted."""
        self.settle(self.attempts.attempt(text))

    def settle(self, feedback: Feedback) -> None:
        """Show what a try gave; a counted one changes the record."""
        if not feedback.counted:
            self.show(feedback.message, counted=False)
            return
        self.query_one(AnswerInput).value = ""
        if not feedback.right and not self.solved:
            self.hint_shown = True
        self.show(feedback.message)
        self.post_message(self.Changed(self, self.attempts))

    def show_hint(self) -> None:
        self.hint_shown = True
        self.show()
        if self.attempts.hint():  # saved: the teacher's report counts exercises solved after a hint
            self.post_message(self.Changed(self, self.attempts))

    def reveal(self) -> None:
        if self.attempts.reveal():
            self.show("Here is the answer.")
            self.post_message(self.Changed(self, self.attempts))

    # -- showing ------------------------------------------------------------------------------------

    def show(self, message: str | None = None, counted: bool = True) -> None:
        step = self.step
        box = self.query_one(AnswerInput)
        box.disabled = self.solved or self.running
        if self.solved:
            box.value = ""
        feedback = self.query_one("#feedback", Static)
        lines = [message] if message else []
        if self.solved:
            if message is None:
                lines.append("✓ Solved." if self.record["correct"] else "Answer shown.")
            answer = step.answer_text()
            what = {"choice": "The right option", "code": "The article's code"}.get(
                step.kind, f"The engine's value of {described(step)}")
            lines.append(f"{what}: {answer}")
            if step.kind == "choice":
                right = next(o for o in step.options if o.correct)
                lines.append(right.why)
            elif step.explanation:
                lines.append(step.explanation)
            lines.append("Press n for the next step.")
        feedback.update("\n".join(lines))
        feedback.set_class(self.solved and self.record["correct"], "-right")
        feedback.set_class(not self.solved and bool(message) and message.startswith("✗"), "-wrong")
        hint = self.query_one("#hint", Static)
        hint.update(f"Hint: {step.hint}" if self.hint_shown and not self.solved else "")
        hint.display = self.hint_shown and not self.solved
