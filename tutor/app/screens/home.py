"""The home screen: lessons, step through a network, your own code, train on MNIST, explore MNIST, quit."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from tutor.classroom import NO_FILES, served
from tutor.engine.spec import examples, load_spec
from tutor.errors import InputError


def entries() -> list[Option | None]:
    """The menu; None is a separator. To add an entry: add an Option here and its action in HomeScreen.chosen."""
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
        Option("Your code: write the network yourself, check it quantity by quantity", id="your-code"),
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
        Binding("c", "your_code", "Your code", tooltip="Write the article's network yourself and check it "
                "quantity by quantity (tutor check)", id="home.your_code"),
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
            return
        app = self.app
        {"lessons": app.open_lessons, "open": self.action_open_file, "train": app.open_train,
         "your-code": app.open_your_code,
         "explore": app.open_explore, "quit": app.exit}[option_id]()

    def open_spec(self, path: str) -> bool:
        if served() and path not in examples():
            self.query_one("#path-error", Static).update(f"✗ Opening a file is {NO_FILES}; the examples: "
                                                         f"{', '.join(examples())}")
            return False
        try:
            spec = load_spec(path)
        except InputError as e:
            self.query_one("#path-error", Static).update(f"✗ {e}")
            return False
        self.query_one("#path-error", Static).update("")
        self.app.open_stepper(spec)
        return True

    def action_open_file(self) -> None:
        path = self.query_one("#path", Input)
        path.display = True
        path.focus()

    def action_train(self) -> None:
        self.app.open_train()

    def action_your_code(self) -> None:
        self.app.open_your_code()

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
