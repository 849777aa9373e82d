"""An exercise of a lesson: the answer box for a predict or choice step, with feedback, hint and answer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.message import Message
from textual.widget import Widget
from rich.text import Text
from textual.widgets import Input, Static

from tutor.app.widgets.exercise_input import AnswerInput
from tutor.course.answers import Attempts
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

    @dataclass
    class Changed(Message):
        """The record changed (a counted try, a solution or a reveal)."""

        exercise: "Exercise"
        attempts: Attempts

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.attempts: Attempts | None = None
        self.hint_shown = False

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
        if step.kind == "choice":
            self.query_one("#options", Static).update(
                Text("\n".join(f"  {i + 1}) {o.text}" for i, o in enumerate(step.options))))
            placeholder = f"type 1-{len(step.options)} (or a-{chr(ord('a') + len(step.options) - 1)}), then Enter"
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
        yield AnswerInput(id="answer")
        yield Static("", id="feedback", markup=False)
        yield Static("", id="hint", markup=False)

    def focus_answer(self) -> None:
        if self.step is not None and not self.solved:
            self.query_one(AnswerInput).focus()

    # -- trying -------------------------------------------------------------------------------------

    @on(Input.Submitted, "#answer")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.attempt(event.value)

    def attempt(self, text: str) -> None:
        """Grade one answer; text that is not an answer is explained and not counted."""
        feedback = self.attempts.attempt(text)
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

    def reveal(self) -> None:
        if self.attempts.reveal():
            self.show("Here is the answer.")
            self.post_message(self.Changed(self, self.attempts))

    # -- showing ------------------------------------------------------------------------------------

    def show(self, message: str | None = None, counted: bool = True) -> None:
        step = self.step
        box = self.query_one(AnswerInput)
        box.disabled = self.solved
        if self.solved:
            box.value = ""
        feedback = self.query_one("#feedback", Static)
        lines = [message] if message else []
        if self.solved:
            if message is None:
                lines.append("✓ Solved." if self.record["correct"] else "Answer shown.")
            answer = step.answer_text()
            what = "The right option" if step.kind == "choice" else f"The engine's value of {described(step)}"
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
