"""The home screen: lessons, step through a network, train on MNIST, explore MNIST, quit."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from tutor.engine.spec import examples, load_spec
from tutor.errors import InputError


def entries() -> list[Option | None]:
    """The menu; None is a separator. To add an entry: add an Option here and an `open_<id>` method below."""
    steps = []
    for name in examples():
        try:
            title = load_spec(name).title or name
        except InputError:
            continue
        steps.append(Option(f"  Step through: {title}", id=f"example:{name}"))
    return [
        Option("Lessons: from one neuron to reading handwritten digits", id="lessons"),
        None,
        Option("Step through a network, one operation per key press:", id="step-heading", disabled=True),
        *steps,
        Option("  Open a network file…", id="open"),
        None,
        Option("Train on MNIST", id="train"),
        Option("Explore MNIST: browse digits, hidden neurons, random pixels, draw a digit", id="explore"),
        None,
        Option("Quit", id="quit"),
    ]


class HomeScreen(Screen):
    """A menu (OptionList); choosing "Open a network file…" shows a path field."""

    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("o", "open_file", "Open file", tooltip="Open a network file (.toml)", id="home.open"),
        Binding("t", "train", "Train", tooltip="Train a network on MNIST", id="home.train"),
        Binding("escape", "close_path", "Close", show=False, tooltip="Hide the path field", id="home.close"),
        Binding("q", "app.quit", "Quit", tooltip="Quit tutor", id="home.quit"),
    ]

    def compose(self):
        with Vertical(id="home"):
            yield Static("[b]tutor[/b] · watch a neural network learn, one number at a time", id="home-title")
            yield Static("Every number is computed by a real numpy network: press Space to compute the next "
                         "one, Left to go back. ↑/↓ and Enter choose below.", id="home-intro")
            yield OptionList(*entries(), id="menu")
            yield Input(placeholder="path to a network file (.toml), e.g. tutor/examples/two-three-two.toml",
                        id="path")
            yield Static("", id="path-error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#path").display = False
        self.query_one("#menu").focus()

    @on(OptionList.OptionSelected, "#menu")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("example:"):
            self.open_spec(option_id.split(":", 1)[1])
        else:
            getattr(self, f"open_{option_id.replace('-', '_')}")()

    def open_spec(self, path: str) -> bool:
        from tutor.app.screens.stepper import StepperScreen

        try:
            spec = load_spec(path)
        except InputError as e:
            self.query_one("#path-error", Static).update(f"✗ {e}")
            return False
        self.query_one("#path-error", Static).update("")
        self.app.push_screen(StepperScreen(spec))
        return True

    def open_lessons(self) -> None:
        from tutor.app.screens.lesson_list import LessonListScreen

        self.app.push_screen(LessonListScreen())

    def open_open(self) -> None:
        path = self.query_one("#path", Input)
        path.display = True
        path.focus()

    def open_explore(self) -> None:
        from tutor.app.screens.explore import ExploreScreen

        self.app.push_screen(ExploreScreen())

    def open_train(self) -> None:
        from tutor.app.screens.train import TrainScreen

        self.app.push_screen(TrainScreen())

    def open_quit(self) -> None:
        self.app.exit()

    def action_open_file(self) -> None:
        self.open_open()

    def action_train(self) -> None:
        self.open_train()

    def action_close_path(self) -> None:
        self.query_one("#path").display = False
        self.query_one("#path-error", Static).update("")
        self.query_one("#menu").focus()

    @on(Input.Submitted, "#path")
    def path_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#path-error", Static).update("✗ type the path of a network file, then Enter")
            return
        if self.open_spec(event.value.strip()):
            self.action_close_path()
