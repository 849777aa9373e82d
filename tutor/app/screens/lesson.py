"""A lesson: its steps one at a time, with the stepper, an answer box, an experiment or a training run."""

from __future__ import annotations

from rich.console import Group
from rich.markdown import Markdown as RichMarkdown
from rich.table import Table
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from tutor.app.widgets.exercise import Exercise
from tutor.app.widgets.lesson_experiment import ExperimentPanel
from tutor.app.widgets.lesson_footer import LessonFooter
from tutor.app.widgets.lesson_train import TrainPanel
from tutor.lessons import VIEW_NAMES, Lesson, Step
from tutor.progress import Progress, ProgressError


def markdown(text: str, title: str = "") -> Group:
    """A step's title and text as one renderable (cheaper than a Markdown widget, which mounts one per block)."""
    body = RichMarkdown(text, code_theme="ansi_dark", inline_code_theme="ansi_dark")
    return Group(Text(title, style="bold"), body) if title else Group(body)

def head_line(title: str, where: str) -> Table:
    """One line: the lesson's title (cut with … when the terminal is narrow) and, always whole, where the learner is."""
    grid = Table.grid(expand=True, padding=(0, 0, 0, 2))
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(no_wrap=True, justify="right")
    grid.add_row(Text(title, style="bold", no_wrap=True, overflow="ellipsis"), Text(where))
    return grid


KIND_LABELS = {"explain": "read", "step": "step", "predict": "predict", "choice": "choose",
               "experiment": "experiment", "train": "train"}


class LessonScreen(Screen):
    """Owns `step_index` and the lesson's progress; pushes the current step down into its widgets.
    Dismisses with "next" when the learner goes on from the completed lesson to the next one."""

    CSS_PATH = "lesson.tcss"
    BINDINGS = [
        Binding("n,enter", "next_step", "Next step", tooltip="Go on to the next step of the lesson", id="lesson.next"),
        Binding("p", "previous_step", "Previous", tooltip="Back to the previous step", id="lesson.previous"),
        Binding("right,space", "forward", "Compute", tooltip="Compute the next quantity in the stepper",
                id="lesson.forward"),
        Binding("left", "back", "Undo", tooltip="Step the stepper back one quantity", id="lesson.back"),
        Binding("end", "to_target", "To target", show=False, id="lesson.to_target",
                tooltip="Compute up to the quantity this step asks for (never past one still to predict)"),
        Binding("h", "hint", "Hint", tooltip="Show the exercise's hint", id="lesson.hint"),
        Binding("a", "reveal", "Show answer", tooltip="Give up on this exercise and show the answer",
                id="lesson.reveal"),
        Binding("s", "train", "Start/stop", tooltip="Start or stop the training run", id="lesson.train"),
        Binding("r", "rerun", "Run again", tooltip="Run the experiment again", id="lesson.rerun"),
        Binding("v", "view", "Open view", tooltip="Open the screen this step points to", id="lesson.view"),
        Binding("escape", "close", "Lessons", tooltip="Back to the list of lessons", id="lesson.close"),
        Binding("q", "app.quit", "Quit", tooltip="Quit tutor (your progress is saved)", id="lesson.quit"),
    ]
    step_index: reactive[int] = reactive(-1, init=False)

    def __init__(self, lesson: Lesson, progress: Progress, number: int = 0, next_title: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.lesson, self.progress, self.number, self.next_title = lesson, progress, number, next_title
        self.record = progress.lesson(lesson.id, lesson.keys)  # by step key: follows a step wherever it moves
        self.limit: int | None = None     # the stepper may not go past this index (a predict not answered yet)
        self.finished = False             # the "lesson complete" panel is showing
        self._stepper = False             # the Stepper widget once looked up (None: the lesson has no network)
        self._reveal_asked: int | None = None  # the step where `a` was pressed once

    # -- layout -------------------------------------------------------------------------------------

    def compose(self):
        yield Static("", id="lesson-head")
        with VerticalScroll(id="lesson-text-box"):
            yield Static("", id="lesson-text")
        with Vertical(id="lesson-body"):
            if self.lesson.trace is not None:
                from tutor.app.widgets.stepper import Stepper

                yield Stepper(self.lesson.trace, id="lesson-stepper")
        yield Exercise(id="exercise")
        yield Static("", id="lesson-status")
        yield LessonFooter()

    def on_resize(self, event) -> None:
        self.set_class(event.size.height < 30, "-short")

    def on_mount(self) -> None:
        self.title = self.lesson.title
        start = min(self.record.step, len(self.lesson.steps) - 1)
        if self.record.completed and start == len(self.lesson.steps) - 1:
            start = 0  # a finished lesson opens at its beginning, answers kept
        self.step_index = start

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.step_index]

    @property
    def stepper(self):
        if self._stepper is False:
            from tutor.app.widgets.stepper import Stepper

            found = self.query(Stepper)
            self._stepper = found.first() if found else None
        return self._stepper

    # -- showing a step -----------------------------------------------------------------------------

    async def watch_step_index(self, index: int) -> None:
        self.finished = False
        self._reveal_asked = None
        self.record.step = index
        step = self.step
        self.query_one("#lesson-text", Static).update(markdown(step.text, step.title))
        self.query_one("#lesson-text-box").scroll_home(animate=False)
        body = self.query_one("#lesson-body")
        old = body.query("ExperimentPanel, TrainPanel, #lesson-done")
        if old:
            await old.remove()
        stepper = self.stepper
        if stepper is not None:
            stepper.display = step.kind not in ("experiment", "train")
        data_dir = getattr(self.app, "data_dir", None)
        if step.kind == "experiment":
            await body.mount(ExperimentPanel(step, data_dir, id="lesson-experiment"))
        elif step.kind == "train":
            await body.mount(TrainPanel(step, data_dir, id="lesson-train"))
        body.display = stepper is not None or step.kind in ("experiment", "train")  # else the box follows the text
        self.set_class(step.kind == "explain", "-reading")  # the text gets more room than the stepper
        exercise = self.query_one(Exercise)
        exercise.display = step.is_exercise
        if step.is_exercise:
            exercise.load(step, self.record.answers.get(step.key, {}))
            exercise.border_title = f"exercise · {KIND_LABELS[step.kind]}"
            exercise.focus_answer()
        else:
            self.set_focus(None)
        self.place_stepper()
        if step.kind == "explain":
            self.mark_done()
        self.show_status()
        self.refresh_bindings()
        self.save()

    def place_stepper(self) -> None:
        """Put the stepper where this step needs it, and cap it before a quantity still to be predicted."""
        stepper, trace = self.stepper, self.lesson.trace
        self.limit = None
        if stepper is None:
            return
        target = -1
        for j, s in enumerate(self.lesson.steps[: self.step_index + 1]):
            if j == self.step_index and s.kind == "step" and not self.is_done(j):
                continue  # the learner drives the stepper there
            name = s.highlight or s.until or s.name
            if name:
                target = max(target, trace.index(name))
        # No peeking: the stepper stops just before the next quantity the lesson asks the learner to predict.
        for j in range(self.step_index, len(self.lesson.steps)):
            s = self.lesson.steps[j]
            if s.kind == "predict" and s.name and not self.solved(j):
                self.limit = trace.index(s.name) - 1
                break
        if self.limit is not None:
            target = min(target, self.limit)
        step = self.step
        if step.kind == "predict" and step.name and not self.solved(self.step_index):
            target = self.limit
        if stepper.index != target:
            stepper.index = target

    def show_status(self, extra: str = "") -> None:
        steps = self.lesson.steps
        done = len(self.record.done)
        title = f"Lesson {self.number} · {self.lesson.title}" if self.number else self.lesson.title
        where = (f"step {self.step_index + 1}/{len(steps)} {KIND_LABELS[self.step.kind]} · {done}/{len(steps)} done"
                 f"{' · ✓ lesson done' if self.record.completed else ''}")
        self.query_one("#lesson-head", Static).update(head_line(title, where))
        self.query_one("#lesson-status", Static).update(extra or self.todo())

    def todo(self) -> str:
        """What the learner has to do to go on, in one line."""
        step, i = self.step, self.step_index
        if self.is_done(i):
            last = i == len(self.lesson.steps) - 1
            if step.view:
                return f"✓ Press v to open the {VIEW_NAMES.get(step.view, step.view)}, or n for the next step."
            return "✓ Done. Press n to finish the lesson." if last else "✓ Done. Press n for the next step."
        if step.kind == "step":
            return f"→ Press → (or Space) to compute the next quantity, until {step.until} is shown."
        if step.is_exercise:
            return "→ Type your answer and press Enter.  h: hint · a: show the answer"
        if step.kind == "experiment":
            return "→ The experiment is running …"
        if step.kind == "train":
            panel = self.query(TrainPanel)
            if panel and panel.first().running:
                return "→ Training … s stops it (the network keeps what it has learned)."
            return "→ Press s to start the training (s again stops it; n goes on once it has run)."
        return ""

    # -- progress -----------------------------------------------------------------------------------

    def solved(self, index: int) -> bool:
        a = self.record.answers.get(self.lesson.steps[index].key, {})
        return bool(a.get("correct") or a.get("revealed"))

    def is_done(self, index: int) -> bool:
        return self.lesson.steps[index].key in self.record.done_keys

    def mark_done(self) -> None:
        """Record the current step as done, save, and show it; nothing for a step already done (the stepper reports
        every key press past a step's target: those stay a repaint, no status rebuilt and laid out)."""
        if self.is_done(self.step_index):
            return
        self.record.done_keys.add(self.step.key)
        self.save()
        self.show_status()

    def save(self) -> None:
        try:
            self.progress.save()
        except ProgressError as e:
            self.notify(str(e), title="Progress not saved", severity="error")

    # -- messages from the widgets --------------------------------------------------------------------

    def on_stepper_moved(self, message) -> None:
        step = self.step
        if step.kind == "step" and message.index >= self.lesson.trace.index(step.until):
            self.mark_done()

    @on(Exercise.Changed)
    def exercise_changed(self, message: Exercise.Changed) -> None:
        self.record.answers[self.step.key] = message.record
        if message.exercise.solved:
            if self.step.kind == "predict" and self.step.name and self.stepper is not None:
                self.place_stepper()
                self.stepper.goto(self.step.name)  # the answer appears in the stepper too
            self.mark_done()
            self.set_focus(None)
            self.refresh_bindings()
        self.save()

    @on(ExperimentPanel.Finished)
    def experiment_finished(self, message: ExperimentPanel.Finished) -> None:
        if message.ok:
            self.mark_done()

    @on(TrainPanel.Finished)
    def training_finished(self, message: TrainPanel.Finished) -> None:
        if not message.error and message.epochs > 0:
            if hasattr(self.app, "trained_network"):
                self.app.trained_network = message.network  # the MNIST views (v, Explore) look inside this one
            self.mark_done()
        self.show_status()

    # -- actions --------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters) -> bool | None:
        step = self.step if self.step_index >= 0 else None
        if step is None:
            return True
        if action in ("hint", "reveal"):
            return step.is_exercise and not self.solved(self.step_index) and not self.finished
        if action in ("forward", "back", "to_target"):
            return self.stepper is not None and self.stepper.display and not self.finished
        if action == "train":
            return step.kind == "train" and not self.finished
        if action == "rerun":
            return step.kind == "experiment" and not self.finished
        if action == "view":
            return bool(step.view) and not self.finished
        return True

    async def action_next_step(self) -> None:
        if self.finished:
            self.dismiss("next" if self.next_title else None)
            return
        i = self.step_index
        if not self.is_done(i):
            self.notify(self.todo().lstrip("→ "), title="Not yet")
            return
        if i + 1 < len(self.lesson.steps):
            self.step_index = i + 1
        else:
            await self.complete()

    async def complete(self) -> None:
        self.record.completed = True
        self.save()
        self.finished = True
        answers = self.record.answers
        solved = sum(1 for s in self.lesson.steps if s.is_exercise and answers.get(s.key, {}).get("correct"))
        then = (f"Next lesson: [b]{self.next_title}[/b]\n\nPress n to start it, or Esc to go back to the list."
                if self.next_title else "That was the last lesson: the whole road from one neuron to MNIST. "
                                        "Press n or Esc to go back to the list.")
        self.query_one("#lesson-text", Static).update(markdown(
            f"**{self.lesson.title}** is done: you answered {solved} of {self.lesson.exercises} exercises "
            "yourself.", "✓ Lesson complete"))
        self.query_one(Exercise).display = False
        body = self.query_one("#lesson-body")
        await body.query("ExperimentPanel, TrainPanel").remove()
        if self.stepper is not None:
            self.stepper.display = False
        body.display = True
        await body.mount(Static(then, id="lesson-done"))
        self.show_status("✓ Lesson complete.")
        self.refresh_bindings()

    async def action_previous_step(self) -> None:
        if self.finished:
            await self.watch_step_index(self.step_index)
        elif self.step_index > 0:
            self.step_index -= 1

    def action_forward(self) -> None:
        stepper = self.stepper
        if stepper is None or not stepper.display:
            return
        if self.limit is not None and stepper.index >= self.limit:
            name = self.lesson.trace[self.limit + 1].name
            if self.step.kind == "predict" and self.step.name == name:
                self.notify(f"Predict {name} first: type your value and press Enter (h for a hint).", title="Not yet")
                return
            self.notify(f"The next quantity, {name}, is one you will predict: go on with the lesson (n) first.",
                        title="No peeking")
            return
        stepper.forward()

    def action_to_target(self) -> None:
        stepper, step = self.stepper, self.step
        if stepper is None or not stepper.display:
            return
        target = self.lesson.trace.index(step.until) if step.kind == "step" else len(self.lesson.trace) - 1
        if self.limit is not None:
            target = min(target, self.limit)
        stepper.index = max(stepper.index, target)

    def action_back(self) -> None:
        if self.stepper is not None and self.stepper.display:
            self.stepper.back()

    def exercise(self) -> Exercise | None:
        found = self.query_one(Exercise)
        return found if found.display else None

    def action_hint(self) -> None:
        if (ex := self.exercise()) is not None:
            ex.show_hint()

    def action_reveal(self) -> None:
        """Show the answer; the first press only asks, so a stray `a` does not give an exercise away."""
        if (ex := self.exercise()) is None:
            return
        if self._reveal_asked != self.step_index:
            self._reveal_asked = self.step_index
            self.show_status("Press a again to see the answer (this exercise will not count as solved by you).")
            return
        self._reveal_asked = None
        ex.reveal()

    def action_train(self) -> None:
        panel = self.query(TrainPanel)
        if panel:
            panel.first().stop() if panel.first().running else panel.first().start()
            self.show_status()

    def action_rerun(self) -> None:
        panel = self.query(ExperimentPanel)
        if panel:
            panel.first().run()

    def action_view(self) -> None:
        """Open the screen an explain step names (the MNIST views are opened by the app, see app.open_view)."""
        opener = getattr(self.app, "open_view", None)
        if opener is None or not opener(self.step.view):
            self.notify(f"The view '{self.step.view}' is not available in this version.", severity="warning")

    def action_close(self) -> None:
        self.dismiss(None)
