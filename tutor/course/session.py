"""A lesson being played, without any UI: the current step, what is done and solved, where the stepper must stand
and how far it may go (no peeking at a quantity still to predict), which actions make sense, and the learner's
progress, saved as it changes. The lesson screen draws a session; a test plays one to the end in milliseconds."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from tutor.course.answers import Attempts
from tutor.course.code import CodeAttempts
from tutor.course.grading import classic_wrong_answers
from tutor.course.model import ASKING, Lesson, Step
from tutor.course.progress import Progress, ProgressError
from tutor.views import LESSON_VIEWS

PANELS = ("experiment", "train", "gradcheck", "check")  # steps shown in a panel of their own, in the stepper's place
KIND_LABELS = {"explain": "read", "step": "step", "predict": "predict", "choice": "choose", "code": "code",
               "experiment": "experiment", "train": "train", "gradcheck": "check", "check": "your code"}


def level_agrees(report, level: str) -> bool:
    """A check step's verdict on a tutor check Report (tutor.check.Report): every level up to and including
    `level` agrees. A later level may differ or be unwritten (the learner writes the file function by function)."""
    from tutor.check.report import LEVELS

    wanted = LEVELS[: LEVELS.index(level) + 1]
    passed = {line.split(":", 1)[0] for line in report.passed}
    differs = report.difference is not None and LEVELS.index(report.difference.level) < len(wanted)
    return all(l in passed for l in wanted) and not differs


@dataclass(frozen=True)
class Blocked:
    """Why the stepper may not compute the next quantity yet."""

    title: str
    message: str


class LessonSession:
    """Plays `lesson` with the learner's `progress`. Every change is saved; a save that fails is reported to
    `on_save_error(message)` (the session goes on: the learner keeps their place in memory)."""

    def __init__(self, lesson: Lesson, progress: Progress, number: int = 0, next_title: str = "",
                 on_save_error: Callable[[str], None] | None = None) -> None:
        self.lesson, self.progress, self.number, self.next_title = lesson, progress, number, next_title
        self.record = progress.lesson(lesson.id, lesson.keys)  # by step key: follows a step wherever it moves
        self.on_save_error = on_save_error
        self.index = -1
        self.finished = False          # the "lesson complete" page is showing
        self.limit: int | None = None  # the stepper may not go past this trace index (a predict not answered yet)
        self.target = -1               # where the stepper stands for this step
        self.reveal_asked: int | None = None  # the step where `a` was pressed once
        self.training = False          # a train step's run is going (the screen says so)
        self.active = time.monotonic()  # the learner's last action: time spent is counted between actions

    @property
    def has_stepper(self) -> bool:
        """A stepper is shown: the lesson has a network and a step uses it."""
        return self.lesson.uses_stepper

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.index]

    @property
    def last(self) -> bool:
        return self.index == len(self.lesson.steps) - 1

    # -- moving through the lesson ---------------------------------------------------------------------

    def start(self) -> int:
        """Open where the learner left off (a finished lesson at its beginning, answers kept); the step's index."""
        start = min(self.record.step, len(self.lesson.steps) - 1)
        if self.record.completed and start == len(self.lesson.steps) - 1:
            start = 0
        self.go(start)
        trace, shown = self.lesson.trace, self.record.stepper
        if self.has_stepper and shown in trace and (self.limit is None or trace.index(shown) <= self.limit):
            self.target = trace.index(shown)  # the stepper as the learner left it, never past a quantity to predict
        return start

    def go(self, index: int) -> None:
        """Show step `index`: an explain step is done by being read; the stepper is placed for it."""
        self.index, self.finished, self.reveal_asked = index, False, None
        self.record.step = index
        self.place_stepper()
        if self.step.shows_itself:
            self.record.done_keys.add(self.step.key)
        self.save()

    def next(self) -> str:
        """The learner asks for the next step: "moved", "complete" (the lesson is done now), "leave" (from the
        complete page), or "blocked" (this step is not done: todo() says what to do)."""
        if self.finished:
            return "leave"
        if not self.is_done(self.index):
            return "blocked"
        if not self.last:
            self.go(self.index + 1)
            return "moved"
        self.complete()
        return "complete"

    def previous(self) -> bool:
        """Back one step (from the complete page: back to the last step); False at the first step."""
        if self.finished:
            self.go(self.index)
            return True
        if self.index > 0:
            self.go(self.index - 1)
            return True
        return False

    def complete(self) -> None:
        self.record.completed = True
        self.finished = True
        self.save()

    @property
    def solved_by_learner(self) -> int:
        """Exercises answered right (not revealed)."""
        return sum(1 for s in self.lesson.steps if s.is_exercise and self.record.answers.get(s.key, {}).get("correct"))

    # -- done and solved -------------------------------------------------------------------------------

    def solved(self, index: int) -> bool:
        a = self.record.answers.get(self.lesson.steps[index].key, {})
        return bool(a.get("correct") or a.get("revealed"))

    def is_done(self, index: int) -> bool:
        return self.lesson.steps[index].key in self.record.done_keys

    def mark_done(self) -> bool:
        """Record the current step as done and save; False if it was done already (nothing changes then)."""
        if self.is_done(self.index):
            return False
        self.record.done_keys.add(self.step.key)
        self.save()
        return True

    def save(self) -> None:
        now = time.monotonic()
        self.record.spend(now - self.active)  # for the teacher's report (tutor lessons report)
        self.active = now
        try:
            self.progress.save()
        except ProgressError as e:
            if self.on_save_error is not None:
                self.on_save_error(str(e))

    # -- the stepper -----------------------------------------------------------------------------------

    def place_stepper(self) -> None:
        """Where the stepper stands for this step (`target`) and the last quantity it may show (`limit`)."""
        self.limit, self.target = None, -1
        trace = self.lesson.trace
        if trace is None:
            return
        target = -1
        for j, s in enumerate(self.lesson.steps[: self.index + 1]):
            if s.start:
                target = max(target, trace.index(s.start))
            if j == self.index and s.kind == "step" and not self.is_done(j):
                continue  # the learner drives the stepper there
            name = s.highlight or s.until or s.name
            if name:
                target = max(target, trace.index(name))
        # No peeking: the stepper stops just before the next quantity the lesson asks the learner to predict (or to
        # write the code of: the transcript shows the article's line for it).
        for j in range(self.index, len(self.lesson.steps)):
            s = self.lesson.steps[j]
            if s.kind in ASKING and s.name and not self.solved(j):
                self.limit = trace.index(s.name) - 1
                break
        if self.limit is not None:
            target = min(target, self.limit)
        step = self.step
        if step.kind in ASKING and step.name and not self.solved(self.index):
            target = self.limit
        self.target = target

    def stepper_shown(self) -> bool:
        return self.has_stepper and not self.finished and self.step.kind not in PANELS

    def blocked(self, stepper_index: int) -> Blocked | None:
        """Why the stepper, at `stepper_index`, may not compute the next quantity; None when it may."""
        if self.limit is None or stepper_index < self.limit:
            return None
        name = self.lesson.trace[self.limit + 1].name
        if self.step.kind in ASKING and self.step.name == name and not self.solved(self.index):
            what = "your value" if self.step.kind == "predict" else "the Python that computes it"
            return Blocked("Not yet", f"{'Predict' if self.step.kind == 'predict' else 'Write'} {name} first: type "
                                      f"{what} and press Enter (F2 for a hint).")
        return Blocked("No peeking", f"The next quantity, {name}, is one you will predict or write the code of: go "
                                     "on with the lesson (n) first.")

    def end_index(self, stepper_index: int) -> int:
        """Where End takes the stepper: this step's quantity (or the end of the trace), never past the limit."""
        trace = self.lesson.trace
        target = trace.index(self.step.until) if self.step.kind == "step" else len(trace) - 1
        if self.limit is not None:
            target = min(target, self.limit)
        return max(stepper_index, target)

    def stepper_moved(self, index: int) -> bool:
        """The stepper shows trace entry `index` (kept with the progress, saved with the next change or when the
        lesson closes); True when that finished a step step."""
        self.record.stepper = self.lesson.trace.names[index] if index >= 0 else ""
        step = self.step
        return step.kind == "step" and index >= self.lesson.trace.index(step.until) and self.mark_done()

    # -- what the widgets report -----------------------------------------------------------------------

    def attempts(self) -> Attempts:
        """The current exercise's tries, as saved (a code step's grade what its code gave: CodeAttempts.grade)."""
        if self.step.kind == "code":
            return CodeAttempts(self.step, self.record.answers.get(self.step.key), self.lesson.trace)
        return Attempts(self.step, self.record.answers.get(self.step.key),
                        wrongs=classic_wrong_answers(self.step, self.lesson.trace))

    def answered(self, attempts: Attempts) -> bool:
        """An exercise's record changed (a try, a solution, a reveal); True when that solved it."""
        self.record.answers[self.step.key] = dict(attempts.record)
        if attempts.solved:
            self.place_stepper()
            self.mark_done()
        self.save()
        return attempts.solved

    def checked(self, report) -> bool:
        """A check step's run of tutor check ended with `report`; True (and the step done) when its level agrees."""
        if self.step.kind != "check" or not level_agrees(report, self.step.level):
            return False
        self.mark_done()
        return True

    def experiment_finished(self, ok: bool) -> None:
        if ok:
            self.mark_done()

    def training_finished(self, epochs: int, error: str = "") -> bool:
        """A train step's run ended; it is done once at least one epoch ran. True when the run counts."""
        self.training = False
        if not error and epochs > 0:
            self.mark_done()
            return True
        return False

    def ask_reveal(self) -> bool:
        """`a` was pressed: the first press only asks (a stray key does not give an exercise away); True to reveal."""
        if self.reveal_asked != self.index:
            self.reveal_asked = self.index
            return False
        self.reveal_asked = None
        return True

    # -- what the screen shows -------------------------------------------------------------------------

    def allowed(self, action: str) -> bool:
        """Whether an action makes sense at this step (the footer shows the keys of those that do)."""
        if self.index < 0:
            return True
        step = self.step
        if action in ("hint", "reveal"):
            return step.is_exercise and not self.solved(self.index) and not self.finished
        if action in ("forward", "back", "to_target", "to_start"):
            return self.stepper_shown()
        if action == "train":
            return step.kind == "train" and not self.finished
        if action == "rerun":
            return step.kind == "experiment" and not self.finished
        if action == "view":
            return bool(step.view) and not self.finished
        if action == "code":
            return step.kind == "check" and not self.finished
        return True

    def where(self) -> str:
        """Where the learner is, for the head line: "step 4/8 predict · 3/8 done"."""
        steps = len(self.lesson.steps)
        done = len(self.record.done)
        return (f"step {self.index + 1}/{steps} {KIND_LABELS[self.step.kind]} · {done}/{steps} done"
                f"{' · ✓ lesson done' if self.record.completed else ''}")

    @property
    def heading(self) -> str:
        return f"Lesson {self.number} · {self.lesson.title}" if self.number else self.lesson.title

    def todo(self) -> str:
        """What the learner has to do to go on, in one line."""
        if self.finished:
            return "✓ Lesson complete."
        step, i = self.step, self.index
        if self.is_done(i):
            if step.view:
                view = LESSON_VIEWS.get(step.view)
                return f"✓ Press v to open the {view.title if view else step.view}, or n for the next step."
            return "✓ Done. Press n to finish the lesson." if self.last else "✓ Done. Press n for the next step."
        if step.kind == "step":
            return f"→ Press → (or Space) to compute the next quantity, until {step.until} is shown."
        if step.kind == "code":
            return "→ Type Python, then Enter (↑/↓: your tries).  F2: hint · F3: answer"
        if step.is_exercise:
            return "→ Type your answer and press Enter.  F2: hint · F3: show the answer"
        if step.kind == "experiment":
            return "→ The experiment is running …"
        if step.kind == "check":
            return "→ Write it in your file, save, then c checks it.  f: new file · e: edit"
        if step.kind == "train":
            if self.training:
                return "→ Training … s stops it (the network keeps what it has learned)."
            return "→ Press s to start the training (s again stops it; n goes on once it has run)."
        return ""

    def closing_text(self) -> tuple[str, str]:
        """The complete page: (what was done, what comes next)."""
        done = (f"**{self.lesson.title}** is done: you answered {self.solved_by_learner} of {self.lesson.exercises} "
                "exercises yourself.")
        then = (f"Next lesson: [b]{self.next_title}[/b]\n\nPress n to start it, or Esc to go back to the list."
                if self.next_title else "That was the last lesson: the whole road from one neuron to MNIST, and a "
                                        "network of your own. Press n or Esc to go back to the list.")
        return done, then
