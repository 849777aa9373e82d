"""TutorApp: the home screen, or the stepper on a network file, or a lesson; it holds what screens share."""

from __future__ import annotations

from textual.app import App
from textual.reactive import var

from tutor.app.commands import AppCommands, ScreenCommands
from tutor.app.messages import CodePathChanged, NetworkTrained, OpenTrace, OpenView, TrainFormChanged
from tutor.app.screens.explore import EXPLORE_RUN, ExploreScreen, Trained
from tutor.app.screens.home import HomeScreen
from tutor.classroom import UNAVAILABLE, served
from tutor.engine.training import Config
from tutor.views import LESSON_VIEWS


class TutorApp(App):
    """What screens share: the data directory (None: the bundled MNIST), the network the learner trained last
    (a screen posts NetworkTrained), the Train screen's fields as last left (TrainFormChanged), the networks
    Explore trained (each once a run), and the path of the learner's own network file (CodePathChanged). Screens
    are given what they need when they open; they post messages up (NetworkTrained, TrainFormChanged, OpenView,
    OpenTrace, CodePathChanged)."""

    CSS_PATH = "app.tcss"
    TITLE = "tutor"
    COMMANDS = App.COMMANDS | {ScreenCommands, AppCommands}
    trained = var(None, always_update=True)  # a Trained (network, where), set when a run or one of its epochs ends

    def __init__(self, data_dir=None, spec=None, lesson_id=None, explore_run: Config = EXPLORE_RUN) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.spec = spec
        self.lesson_id = lesson_id
        self.explore_run = explore_run
        self.explored: dict = {}   # (data source, Config) -> (network, how, detail): what Explore trained
        self.train_form: dict[str, str] = {}  # the Train screen's fields as last left, and the path saved to last
        self.code_path: str | None = None     # the learner's own network file (Your code, lesson 13), as typed
        self.student = None                   # served: the tutor.classroom.Student of this tab, once named

    @property
    def trained_network(self):
        """The network the learner trained last (Train screen, lesson), or None."""
        return self.trained.network if self.trained is not None else None

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())
        if served():  # tutor serve: a tab is a student; their name says where their progress goes
            from tutor.app.screens.student import StudentScreen

            self.push_screen(StudentScreen(), self._student_named)
            return
        if self.spec is not None:
            self.open_stepper(self.spec)
        elif self.lesson_id is not None:
            self.open_lessons(self.lesson_id)

    # -- opening screens with what they need ------------------------------------------------------

    def open_lessons(self, lesson_id: str | None = None) -> None:
        """The lesson list; with `lesson_id` (an id or a number), that lesson where the learner left it."""
        from tutor.app.screens.lesson_list import LessonListScreen

        self.push_screen(LessonListScreen(open_id=lesson_id, data_dir=self.data_dir))

    def open_stepper(self, spec, data=None, theirs=None, at=None) -> None:
        """The stepper on `spec`; a network too large to trace step by step (a loaded .npz of 784-1000-10) is
        said in a message, and nothing opens. `theirs`: the learner's values to show beside the engine's, `at`:
        the quantity to open at (tutor check's first difference)."""
        from tutor.app.screens.stepper import StepperScreen
        from tutor.engine.trace import check_traceable
        from tutor.errors import InputError

        try:
            check_traceable(spec.network.sizes)
        except InputError as e:
            self.notify(str(e), title="Cannot trace", severity="error", timeout=10)
            return
        self.push_screen(StepperScreen(spec, data, theirs=theirs, at=at))

    def open_train(self) -> None:
        """The Train screen with the fields as the learner left them, and the network trained there last (Ctrl+S
        saves it until a new run)."""
        from tutor.app.screens.train import TRAINED_HERE, TrainScreen

        kept = self.trained.network if self.trained is not None and self.trained.how == TRAINED_HERE else None
        self.push_screen(TrainScreen(data_dir=self.data_dir, form=self.train_form, network=kept))

    def _student_named(self, student) -> None:
        self.student = student
        self.sub_title = student.name

    def open_your_code(self) -> None:
        """The Your-code screen on the file the learner gave last (or the default path); served, a notice instead."""
        if served():
            self.notify(f"Your code is {UNAVAILABLE}", title="Classroom", severity="warning", timeout=12)
            return
        from tutor.app.screens.your_code import YourCodeScreen
        from tutor.app.your_file import DEFAULT_PATH

        self.push_screen(YourCodeScreen(self.code_path or DEFAULT_PATH))

    def explore(self, then=None) -> ExploreScreen:
        """A new Explore screen (then: a tutor.views.View to open once its network is ready)."""
        return ExploreScreen(self.data_dir, self.trained, self.explored, self.explore_run, then)

    def open_explore(self) -> None:
        self.push_screen(self.explore())

    def open_view(self, name: str) -> bool:
        """Open a view by the name a lesson step gives (tutor.views): Explore first, which loads the data and a
        network in the background, then the view. False for an unknown name."""
        view = LESSON_VIEWS.get(name)
        if view is None:
            return False
        self.push_screen(self.explore(then=view))
        return True

    # -- what screens report ----------------------------------------------------------------------

    def on_network_trained(self, message: NetworkTrained) -> None:
        self.trained = Trained(message.network, message.how)

    def on_train_form_changed(self, message: TrainFormChanged) -> None:
        self.train_form = dict(message.form)

    def on_code_path_changed(self, message: CodePathChanged) -> None:
        self.code_path = message.path or None

    def on_open_view(self, message: OpenView) -> None:
        if not self.open_view(message.name):
            self.notify(f"The view '{message.name}' is not available in this version.", severity="warning")

    def on_open_trace(self, message: OpenTrace) -> None:
        self.open_stepper(message.spec, message.data)
