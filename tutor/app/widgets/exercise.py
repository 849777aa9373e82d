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
from tutor.lessons import Step, parse_choice, parse_number


def tolerance_text(step: Step) -> str:
    err = step.allowed_error()
    if err == 0:
        return "the exact whole number"
    return f"within ±{err:.2g} of the engine's value"


class Exercise(Widget):
    """Checks what the learner types against the engine's answer. The parent loads it with the step and the saved
    record ({"tries": [...], "correct": bool, "revealed": bool}); it posts Exercise.Changed after every try."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    @dataclass
    class Changed(Message):
        """The record changed (a counted try, a solution or a reveal)."""

        exercise: "Exercise"
        record: dict

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.step: Step | None = None
        self.record = {"tries": [], "correct": False, "revealed": False}
        self.hint_shown = False

    def load(self, step: Step, record: dict) -> None:
        """Show exercise `step` with its saved record (one widget serves every exercise of a lesson)."""
        self.step = step
        self.record = {"tries": list(record.get("tries", [])), "correct": bool(record.get("correct")),
                       "revealed": bool(record.get("revealed"))}
        self.hint_shown = bool(self.wrong_tries) and not self.solved
        if step.kind == "choice":
            self.query_one("#options", Static).update(
                Text("\n".join(f"  {i + 1}) {o.text}" for i, o in enumerate(step.options))))
            placeholder = f"type 1-{len(step.options)}, then Enter"
        else:
            self.query_one("#options", Static).update(
                Text(f"Your value of {step.quantity} ({tolerance_text(step)}):"))
            placeholder = "a number, e.g. 0.75, -0.019 or 1.2e-2; then Enter"
        box = self.query_one(AnswerInput)
        box.placeholder, box.value = placeholder, ""
        self.show()

    @property
    def solved(self) -> bool:
        return self.record["correct"] or self.record["revealed"]

    @property
    def wrong_tries(self) -> int:
        return len(self.record["tries"]) - (1 if self.record["correct"] else 0)

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
        """Check one answer; a non-number is explained and not counted."""
        if self.solved:
            self.show("This one is done: press n for the next step.")
            return
        step = self.step
        if step.kind == "choice":
            choice = parse_choice(text, len(step.options))
            if choice is None:
                self.show(f"✗ Type the number of an option, 1 to {len(step.options)}.", counted=False)
                return
            right = step.options[choice].correct
            note = "" if right else f"Option {choice + 1}: {step.options[choice].why}"
        else:
            number = parse_number(text)
            if number is None:
                self.show(f"✗ {text.strip()!r} is not a number. Type e.g. 0.75, -0.019 or 1.2e-2 "
                          "(h for a hint).", counted=False)
                return
            right = step.check(number)
            note = ""
            if not right and abs(number - step.answer) <= 10 * max(step.allowed_error(), 1e-12):
                note = "Close, but not close enough: give more digits."
        self.record["tries"].append(text.strip())
        self.query_one(AnswerInput).value = ""
        if right:
            self.record["correct"] = True
            self.show(f"✓ Right. {note}".rstrip())
        elif self.wrong_tries >= step.tries:
            self.record["revealed"] = True
            self.show(f"✗ Not this time. {note}".rstrip())
        else:
            self.hint_shown = True
            left = step.tries - self.wrong_tries
            self.show(f"✗ Not quite ({left} {'try' if left == 1 else 'tries'} left before the answer is shown). "
                      f"{note}".rstrip())
        self.post_message(self.Changed(self, dict(self.record)))

    def show_hint(self) -> None:
        self.hint_shown = True
        self.show()

    def reveal(self) -> None:
        if self.solved:
            return
        self.record["revealed"] = True
        self.show("Here is the answer.")
        self.post_message(self.Changed(self, dict(self.record)))

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
            what = "The right option" if step.kind == "choice" else f"The engine's {step.quantity}"
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
