"""A lesson: its steps one at a time, with the stepper, an answer box, an experiment, a training run or a check of
the learner's own file."""

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
from textual.widgets import Input, Static

from tutor.app.messages import NetworkTrained, OpenView
from tutor.app.widgets.exercise import Exercise
from tutor.app.widgets.exercise_input import AnswerInput
from tutor.app.widgets.gradcheck_view import GradientCheckPanel
from tutor.app.widgets.lesson_check import CheckPanel
from tutor.app.widgets.lesson_experiment import ExperimentPanel
from tutor.app.widgets.lesson_footer import LessonFooter
from tutor.app.widgets.lesson_train import TrainPanel
from tutor.course.model import Lesson, Step
from tutor.course.progress import Progress
from tutor.course.session import KIND_LABELS, PANELS, LessonSession


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



class LessonText(VerticalScroll, inherit_bindings=False):
    """The step's text: ↑/↓ and the page keys scroll it; ←, →, Home and End stay the stepper's."""

    BINDINGS = [Binding("up", "scroll_up", show=False), Binding("down", "scroll_down", show=False),
                Binding("pageup", "page_up", show=False), Binding("pagedown", "page_down", show=False)]


class LessonScreen(Screen):
    """Draws a LessonSession (tutor.course.session), which holds the lesson's state and rules, and passes the
    learner's keys and its widgets' reports to it. `step_index` is the step shown. Dismisses with "next" when the
    learner goes on from the completed lesson to the next one."""

    CSS_PATH = "lesson.tcss"
    # the stepper's keys share one label in the footer, so every shown key fits at 80 columns (? and the palette
    # list each with its own description)
    STEPPER = Binding.Group("Step", compact=True)
    BINDINGS = [
        Binding("n,enter", "next_step", "Next", tooltip="Go on to the next step of the lesson", id="lesson.next"),
        Binding("p", "previous_step", "Back", tooltip="Back to the previous step", id="lesson.previous"),
        Binding("space,right", "forward", "Step", tooltip="Compute the next quantity in the stepper",
                id="lesson.forward", group=STEPPER),
        Binding("left", "back", "Undo", tooltip="Step the stepper back one quantity", id="lesson.back",
                group=STEPPER),
        Binding("home", "to_start", "Start", id="lesson.to_start", key_display="Home",
                tooltip="Back to the start of the training step in the stepper", group=STEPPER),
        Binding("end", "to_target", "End", id="lesson.to_target", key_display="End",
                tooltip="Compute up to the quantity this step asks for (never past one still to predict)",
                group=STEPPER),
        Binding("h", "hint", "Hint", tooltip="Show the exercise's hint", id="lesson.hint"),
        Binding("a", "reveal", "Answer", tooltip="Give up on this exercise and show the answer",
                id="lesson.reveal"),
        # while the answer box has the focus every printable key is the learner's text: commands use F-keys
        Binding("f2", "hint_typing", "Hint", tooltip="Show the exercise's hint", id="lesson.hint_typing"),
        Binding("f3", "reveal_typing", "Answer", tooltip="Give up on this exercise and show the answer",
                id="lesson.reveal_typing"),
        Binding("s", "train", "Start/stop", tooltip="Start or stop the training run", id="lesson.train"),
        Binding("r", "rerun", "Run again", tooltip="Run the experiment again", id="lesson.rerun"),
        Binding("v", "view", "Open view", tooltip="Open the screen this step points to", id="lesson.view"),
        Binding("c", "code('check')", "Check", tooltip="Check your file with tutor check", id="lesson.check_code"),
        Binding("e", "code('edit')", "Edit", tooltip="Open your file in your editor", id="lesson.edit_code"),
        Binding("f", "code('new')", "New file", tooltip="Create your file from the starter", id="lesson.new_code"),
        Binding("greater_than_sign", "python", "Python", key_display=">", show=False, id="lesson.python",
                tooltip="A >>> prompt over the quantities computed so far, with the article's helpers"),
        Binding("question_mark", "help", "Keys", show=False, tooltip="Show or hide the list of keys",
                id="lesson.help"),
        Binding("escape", "close", "List", tooltip="Back to the list of lessons (from the answer box: out of it)",
                id="lesson.close"),
        Binding("q", "app.quit", "Quit", tooltip="Quit tutor (your progress is saved)", id="lesson.quit"),
    ]
    step_index: reactive[int] = reactive(-1, init=False)

    def __init__(self, lesson: Lesson, progress: Progress, number: int = 0, next_title: str = "", data_dir=None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.lesson, self.data_dir = lesson, data_dir
        self.session = LessonSession(lesson, progress, number, next_title, on_save_error=self._save_failed)
        self._stepper = False             # the Stepper widget once looked up (None: the lesson has no network)

    # -- layout -------------------------------------------------------------------------------------

    def compose(self):
        yield Static("", id="lesson-head")
        with LessonText(id="lesson-text-box"):
            yield Static("", id="lesson-text")
        with Vertical(id="lesson-body"):
            if self.session.has_stepper:
                from tutor.app.widgets.stepper import Stepper

                yield Stepper(self.lesson.trace, id="lesson-stepper")
        yield Exercise(id="exercise")
        yield Static("", id="lesson-status")
        yield LessonFooter(compact=True)  # compact: every shown key fits at 80 columns

    def on_resize(self, event) -> None:
        self.set_class(event.size.height < 30, "-short")

    def on_mount(self) -> None:
        self.title = self.lesson.title
        self.step_index = self.session.start()

    def on_unmount(self) -> None:
        self.session.save()  # where the stepper stands (saved with every other change, and once more here)

    @property
    def step(self) -> Step:
        return self.session.step

    @property
    def finished(self) -> bool:
        return self.session.finished

    def is_done(self, index: int) -> bool:
        return self.session.is_done(index)

    @property
    def stepper(self):
        if self._stepper is False:
            from tutor.app.widgets.stepper import Stepper

            found = self.query(Stepper)
            self._stepper = found.first() if found else None
        return self._stepper

    # -- showing a step -----------------------------------------------------------------------------

    async def watch_step_index(self, index: int) -> None:
        if self.session.index != index or self.session.finished:
            self.session.go(index)
        step = self.step
        self.query_one("#lesson-text", Static).update(markdown(step.text, step.title))
        self.query_one("#lesson-text-box").scroll_home(animate=False)
        body = self.query_one("#lesson-body")
        old = body.query("ExperimentPanel, TrainPanel, GradientCheckPanel, CheckPanel, #lesson-done")
        if old:
            await old.remove()
        stepper = self.stepper
        if stepper is not None:
            stepper.display = self.session.stepper_shown()
        if step.kind == "experiment":
            await body.mount(ExperimentPanel(step, self.data_dir, id="lesson-experiment"))
        elif step.kind == "train":
            await body.mount(TrainPanel(step, self.data_dir, id="lesson-train"))
        elif step.kind == "gradcheck":
            await body.mount(GradientCheckPanel(self.lesson.spec, step.quantity, step.epsilon, id="lesson-gradcheck"))
        elif step.kind == "check":
            from tutor.app.your_file import DEFAULT_PATH

            await body.mount(CheckPanel(step, self.app.code_path or DEFAULT_PATH, id="lesson-check"))
        body.display = stepper is not None or step.kind in PANELS  # else the box follows the text
        self.set_class(step.kind == "explain", "-reading")  # the text gets more room than the stepper
        exercise = self.query_one(Exercise)
        exercise.display = step.is_exercise
        if step.is_exercise:
            exercise.load(self.session.attempts())
            exercise.border_title = f"exercise · {KIND_LABELS[step.kind]}"
            exercise.focus_answer()
        else:
            self.set_focus(None)
        self.place_stepper()
        self.show_status()
        self.refresh_bindings()

    def place_stepper(self) -> None:
        if self.stepper is not None and self.stepper.index != self.session.target:
            self.stepper.index = self.session.target

    def show_status(self, extra: str = "") -> None:
        self.query_one("#lesson-head", Static).update(head_line(self.session.heading, self.session.where()))
        self.query_one("#lesson-status", Static).update(extra or self.session.todo())

    def mark_done(self) -> None:
        """Record the current step as done, and show it; a step already done costs nothing (the stepper reports every
        key press past a step's target: those stay a repaint, no status rebuilt and laid out)."""
        if self.session.mark_done():
            self.show_status()

    def _save_failed(self, message: str) -> None:
        self.notify(message, title="Progress not saved", severity="error")

    # -- messages from the widgets --------------------------------------------------------------------

    def on_stepper_moved(self, message) -> None:
        if self.session.stepper_moved(message.index):
            self.show_status()

    @on(Exercise.Changed)
    def exercise_changed(self, message: Exercise.Changed) -> None:
        if self.session.answered(message.attempts):
            name, limit = self.step.name, self.session.limit
            if name and self.stepper is not None:
                self.place_stepper()
                if limit is None or self.lesson.trace.index(name) <= limit:  # not when a later step asks for it
                    self.stepper.goto(name)  # the answer appears in the stepper too
            self.show_status()
            self.set_focus(None)
            self.refresh_bindings()

    @on(ExperimentPanel.Finished)
    def experiment_finished(self, message: ExperimentPanel.Finished) -> None:
        self.session.experiment_finished(message.ok)
        self.show_status()

    @on(CheckPanel.Checked)
    def code_checked(self, message: CheckPanel.Checked) -> None:
        self.session.checked(message.report)
        self.show_status()

    @on(TrainPanel.Finished)
    def training_finished(self, message: TrainPanel.Finished) -> None:
        if self.session.training_finished(message.epochs, message.error):
            self.post_message(NetworkTrained(message.network, f"trained in lesson {self.session.number}"))
        self.show_status()

    # -- actions --------------------------------------------------------------------------------------

    @property
    def typing(self) -> bool:
        """The answer box (or a check step's path) has the focus: printable keys are text, not commands."""
        return isinstance(self.focused, (AnswerInput, Input))

    def check_action(self, action: str, parameters) -> bool | None:
        if action.endswith("_typing"):
            return self.typing and self.session.allowed(action.removesuffix("_typing"))
        if action in ("hint", "reveal", "to_start", "to_target", "python", "help", "code") and self.typing:
            return False  # the box takes its letter (or Home/End move its cursor); the footer shows the F-keys
        return self.session.allowed(action)

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    async def action_next_step(self) -> None:
        outcome = self.session.next()
        if outcome == "leave":
            self.dismiss("next" if self.session.next_title else None)
        elif outcome == "blocked":
            self.notify(self.session.todo().lstrip("→ "), title="Not yet")
        elif outcome == "moved":
            self.step_index = self.session.index
        else:
            await self.show_complete()

    async def show_complete(self) -> None:
        done, then = self.session.closing_text()
        self.query_one("#lesson-text", Static).update(markdown(done, "✓ Lesson complete"))
        self.query_one(Exercise).display = False
        body = self.query_one("#lesson-body")
        await body.query("ExperimentPanel, TrainPanel, GradientCheckPanel, CheckPanel").remove()
        if self.stepper is not None:
            self.stepper.display = False
        body.display = True
        await body.mount(Static(then, id="lesson-done"))
        self.show_status()
        self.refresh_bindings()

    async def action_previous_step(self) -> None:
        if self.session.finished:
            self.session.previous()
            await self.watch_step_index(self.session.index)
        elif self.session.previous():
            self.step_index = self.session.index

    def action_forward(self) -> None:
        stepper = self.stepper
        if stepper is None or not stepper.display:
            return
        blocked = self.session.blocked(stepper.index)
        if blocked is not None:
            self.notify(blocked.message, title=blocked.title)
            return
        stepper.forward()

    def action_to_target(self) -> None:
        if self.stepper is not None and self.stepper.display:
            self.stepper.index = self.session.end_index(self.stepper.index)

    def action_to_start(self) -> None:
        if self.stepper is not None and self.stepper.display:
            self.stepper.index = -1

    def action_back(self) -> None:
        if self.stepper is not None and self.stepper.display:
            self.stepper.back()

    def exercise(self) -> Exercise | None:
        found = self.query_one(Exercise)
        return found if found.display else None

    def action_hint(self) -> None:
        if (ex := self.exercise()) is not None:
            ex.show_hint()

    def action_hint_typing(self) -> None:
        self.action_hint()

    def action_reveal_typing(self) -> None:
        self.action_reveal()

    def action_reveal(self) -> None:
        """Show the answer; the first press only asks, so a stray `a` does not give an exercise away."""
        if (ex := self.exercise()) is None:
            return
        if not self.session.ask_reveal():
            key = "F3" if self.typing else "a"
            self.show_status(f"Press {key} again to see the answer (this exercise will not count as solved by you).")
            return
        ex.reveal()

    def action_train(self) -> None:
        panel = self.query(TrainPanel)
        if panel:
            if panel.first().running:
                panel.first().stop()
            else:
                panel.first().start()
                self.session.training = True
            self.show_status()

    def action_rerun(self) -> None:
        panel = self.query(ExperimentPanel)
        if panel:
            panel.first().run()

    def action_code(self, what: str) -> None:
        """c, e, f on a check step: check the learner's file, edit it, create it from the starter."""
        if panel := self.query(CheckPanel):
            getattr(panel.first(), what)()

    def action_view(self) -> None:
        """Open the screen an explain step names (an MNIST view, opened by the app)."""
        self.post_message(OpenView(self.step.view))

    def action_python(self) -> None:
        """The >>> prompt over what the stepper has computed so far (never past a quantity still to predict or code)."""
        from tutor.app.screens.repl import ReplScreen
        from tutor.sandbox import namespace_of

        trace, upto = self.lesson.trace, -1
        if trace is not None:
            upto = self.stepper.index if self.stepper is not None and self.stepper.display else self.session.target
            if self.session.limit is not None:
                upto = min(upto, self.session.limit)
        self.app.push_screen(ReplScreen(namespace_of(trace, upto) if upto >= 0 else {}, self.lesson.title))

    def action_help(self) -> None:
        if self.query("HelpPanel"):
            self.app.action_hide_help_panel()
        else:
            self.app.action_show_help_panel()

    def action_close(self) -> None:
        if self.query("HelpPanel"):
            self.app.action_hide_help_panel()
            return
        if self.typing:  # Esc first leaves the answer box: its letters become commands again
            self.set_focus(None)
            return
        self.dismiss(None)
