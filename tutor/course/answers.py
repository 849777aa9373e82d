"""Grading an exercise: what the learner typed, read as a number or an option, against the engine's answer; the
record of tries that progress saves ({"tries": [...], "correct": bool, "revealed": bool})."""

from __future__ import annotations

from dataclasses import dataclass

from tutor.course.grading import allowed_error
from tutor.course.model import Step
from tutor.numbers import NotANumber, read_number


def parse_choice(text: str, count: int) -> int | None:
    """An option typed by a learner: 1-based number or letter a, b, c...; None if it is not one."""
    t = text.strip().rstrip(")").lower()
    if t.isdigit() and 1 <= int(t) <= count:
        return int(t) - 1
    if len(t) == 1 and "a" <= t <= chr(ord("a") + count - 1):
        return ord(t) - ord("a")
    return None


@dataclass(frozen=True)
class Feedback:
    """What one try gave: the message to show, whether it counted as a try, whether it was right."""

    message: str
    counted: bool = True
    right: bool = False


class Attempts:
    """One exercise's tries: `record` is what progress saves, updated by attempt() and reveal()."""

    def __init__(self, step: Step, saved: dict | None = None, wrongs: list | None = None) -> None:
        saved = saved or {}
        self.step = step
        self.wrongs = wrongs or []  # its classic wrong answers, to say which one a wrong try is
        self.record = {"tries": list(saved.get("tries", [])), "correct": bool(saved.get("correct")),
                       "revealed": bool(saved.get("revealed"))}
        if saved.get("hinted") is True:  # the learner asked for the hint (for the teacher's report)
            self.record["hinted"] = True

    @property
    def solved(self) -> bool:
        """Answered right, or the answer was shown: either way the learner goes on."""
        return self.record["correct"] or self.record["revealed"]

    @property
    def wrong_tries(self) -> int:
        return len(self.record["tries"]) - (1 if self.record["correct"] else 0)

    def attempt(self, text: str) -> Feedback:
        """Check one answer. Text that is not a number (or an option) is explained and not counted."""
        if self.solved:
            return Feedback("This one is done: press n for the next step.", counted=False)
        step = self.step
        if step.kind == "choice":
            choice = parse_choice(text, len(step.options))
            if choice is None:
                return Feedback(f"✗ Type the number of an option, 1 to {len(step.options)}.", counted=False)
            right = step.options[choice].correct
            note = "" if right else f"Option {choice + 1}: {step.options[choice].why}"
        else:
            try:
                reading = read_number(text)
            except NotANumber as e:
                return Feedback(f"✗ {text.strip()!r} is not a number ({e}). Type e.g. 0.75, -0.019 or 1.2e-2 "
                                "(F2 for a hint).", counted=False)
            number = reading.value
            error = allowed_error(step)
            right = abs(number - step.answer) <= error
            note = f"({reading.note[0].upper()}{reading.note[1:]}.)" if reading.note else ""
            mistake = None if right else self.mistake(number)
            if mistake is not None:  # a classic wrong answer (tutor.course.grading): say which
                note = f"That is {mistake.what}. {note}".rstrip()
            elif not right and abs(number - step.answer) <= 10 * max(error, 1e-12):
                note = f"Close, but not close enough: give more digits. {note}".rstrip()
        return self.counted(text, right, note)

    def counted(self, text: str, right: bool, note: str) -> Feedback:
        """Record a counted try (`note` says more about it) and say how it went."""
        step = self.step
        self.record["tries"].append(text.strip())
        if right:
            self.record["correct"] = True
            return Feedback(f"✓ Right. {note}".rstrip(), right=True)
        if self.wrong_tries >= step.tries:
            self.record["revealed"] = True
            return Feedback(f"✗ Not this time. {note}".rstrip())
        left = step.tries - self.wrong_tries
        return Feedback(f"✗ Not quite ({left} {'try' if left == 1 else 'tries'} left before the answer is shown). "
                        f"{note}".rstrip())

    def mistake(self, number: float):
        """The classic wrong answer `number` is (to the exercise's rounding, and nearer to it than to the answer),
        or None."""
        error = allowed_error(self.step)
        near = [w for w in self.wrongs if abs(number - w.value) <= error
                and abs(number - w.value) < abs(number - self.step.answer)]
        return min(near, key=lambda w: abs(number - w.value), default=None)

    def hint(self) -> bool:
        """The learner asked for the hint: recorded (True) unless it was solved or recorded already."""
        if self.solved or self.record.get("hinted"):
            return False
        self.record["hinted"] = True
        return True

    def reveal(self) -> bool:
        """Show the answer (the exercise does not count as solved by the learner); False if it was solved already."""
        if self.solved:
            return False
        self.record["revealed"] = True
        return True
