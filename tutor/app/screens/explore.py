"""ExploreScreen: loads MNIST and a network in the background, then opens the views that look inside it."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tutor.app.training_messages import TrainingProgress, reporters
from tutor.engine import mnist
from tutor.engine.model_file import load_network
from tutor.engine.network import Network
from tutor.errors import InputError

ARCHITECTURES = ((784, 30, 10), (784, 16, 16, 10))
UNTRAINED = "untrained"  # a choice of `a`: 784-30-10 with its random starting weights
STEP_SIZE = 3.0     # the article's η for MNIST
BATCH_SIZE = 10
EPOCHS = 5          # about 0.5 s an epoch on the 50,000 training images: about 94% right
TRAIN_LIMIT = None  # train on the first N training images only (None: all of them)
KEYS = {"browser": "b", "hidden": "h", "noise": "r", "draw": "d", "confusion": "c"}
VIEWS = {
    "browser": "Browse the images: label, the ten output activations, trace any image",
    "hidden": "What the hidden neurons look at: their incoming weights as images",
    "noise": "Random pixels: how sure is the network about noise?",
    "draw": "Draw on a canvas and watch the answer change",
    "confusion": "Confusion matrix of the test set",
}
LESSON_VIEWS = {  # the names lesson files use (`view = "..."`): (view, architecture or None for the default)
    "mnist-browser": ("browser", None),
    "hidden": ("hidden", None),
    "hidden-16": ("hidden", (784, 16, 16, 10)),
    "random-pixels": ("noise", None),
    "draw": ("draw", None),
    "confusion": ("confusion", None),
}
_trained: dict[tuple, tuple[Network, str]] = {}   # (data source, sizes, epochs, limit) -> network, how


@dataclass(frozen=True)
class Words:
    """How the texts name the data loaded: MNIST's digits, or Fashion-MNIST's clothes."""

    name: str        # the dataset
    images: str      # what its images show ("real digits")
    drawing: str     # what the canvas asks for ("Draw a digit")
    classes: str     # what its ten classes are


DIGIT_WORDS = Words("MNIST", "digits", "a digit", "digits")
FASHION_WORDS = Words("Fashion-MNIST", "images of clothing", "something", "kinds of clothing")


def words(label_names) -> Words:
    """The words for a dataset with these class names (mnist.load names Fashion-MNIST's classes)."""
    return DIGIT_WORDS if tuple(label_names) == mnist.DIGIT_NAMES else FASHION_WORDS


def title(w: Words) -> str:
    return f"[b]Explore {w.name}[/b]: what a network does with real {w.images}"


class ExploreScreen(Screen):
    """A menu of the MNIST views, enabled once the data and a network are ready."""

    CSS_PATH = "explore.tcss"
    AUTO_FOCUS = ""  # not the hidden path field (the disabled menu is skipped): while loading, a, l and Esc must work
    BINDINGS = [
        Binding("b", "open('browser')", "Browse", tooltip=VIEWS["browser"], id="explore.browser"),
        Binding("h", "open('hidden')", "Hidden", tooltip=VIEWS["hidden"], id="explore.hidden"),
        Binding("r", "open('noise')", "Noise", tooltip=VIEWS["noise"], id="explore.noise"),
        Binding("d", "open('draw')", "Draw", tooltip=VIEWS["draw"], id="explore.draw"),
        Binding("c", "open('confusion')", "Confusion", tooltip=VIEWS["confusion"], id="explore.confusion"),
        Binding("a", "switch_network", "Other network", tooltip="Switch between the networks to explore",
                id="explore.switch"),
        Binding("l", "ask_file", "Load .npz", tooltip="Explore a network saved by `tutor train --save`",
                id="explore.load"),
        Binding("escape", "back", "Back", tooltip="Back to the previous screen", id="explore.back"),
    ]

    def __init__(self, epochs: int | None = None, train_limit: int | None = None, seed: int = 0,
                 then: str | None = None, architecture: tuple | None = None):
        """`then`: a view to open as soon as the network is ready; `architecture`: train this one
        (one of ARCHITECTURES) rather than use the app's trained network."""
        super().__init__()
        self.then = then
        self.architecture = architecture
        self.epochs = epochs or EPOCHS
        self.train_limit = train_limit or TRAIN_LIMIT
        self.seed = seed
        self.data: mnist.Mnist | None = None
        self.network: Network | None = None
        self.choice = 0

    def compose(self) -> ComposeResult:
        directory = getattr(self.app, "data_dir", None)  # None: the bundled MNIST; another one is known once loaded
        with Vertical(id="explore-body"):
            yield Static(title(DIGIT_WORDS) if directory is None else "[b]Explore[/b]", id="explore-title")
            yield Static("Loading MNIST…" if directory is None else f"Loading the data from {directory}…",
                         id="explore-data")
            yield Static("", id="explore-network")
            yield Static("a: another network (784-30-10, 784-16-16-10, untrained, or the one you trained) · "
                         "l: load a network saved with tutor train --save", id="explore-hint")
            yield ProgressBar(id="explore-progress", show_eta=False)
            yield Input(placeholder="path of a network saved by tutor train --save (.npz), then Enter",
                        id="explore-path")
            yield OptionList(*(Option(f"{KEYS[key]}  {text}", id=key) for key, text in VIEWS.items()),
                             id="explore-menu")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).disabled = True
        if self.architecture is not None:
            self.choice = self.choices.index(tuple(self.architecture))
        self.prepare()

    # -- the network ---------------------------------------------------------------------------

    @property
    def choices(self) -> list:
        """What `a` cycles through: the app's trained network if it has one, each architecture
        trained here, and an untrained network (to trace an image through random weights)."""
        own = getattr(self.app, "trained_network", None)
        return ([own] if isinstance(own, Network) else []) + list(ARCHITECTURES) + [UNTRAINED]

    @work(thread=True, exclusive=True, group="explore")
    def prepare(self) -> None:
        worker = get_current_worker()
        try:
            data = mnist.load(getattr(self.app, "data_dir", None))
        except InputError as e:
            self._from_worker(worker, self._failed, str(e))
            return
        self._from_worker(worker, self._data_ready, data)
        choice = self.choices[self.choice % len(self.choices)]
        if isinstance(choice, Network):
            network = choice.copy()
            try:
                mnist.check_input_size(data, network.sizes[0])
            except InputError as e:
                self._from_worker(worker, self._failed, str(e))
                return
            how = f"{self.score(network, data)}, trained on the Train screen"
        elif choice == UNTRAINED:
            network = Network(list(ARCHITECTURES[0]), seed=self.seed)
            how = f"{self.score(network, data)}, untrained: its random starting weights (seed {self.seed})"
        else:
            network, how = self._train(data, choice, worker)
            if network is None:
                return
        self._from_worker(worker, self._network_ready, network, how)

    def _from_worker(self, worker, callback, *args) -> None:
        """From a worker thread: callback(*args) on the UI thread, unless the worker was cancelled by then
        (`a` or a file asked for another network, or the screen closed): a superseded result is dropped."""
        def run() -> None:
            if not worker.is_cancelled:
                callback(*args)

        self.app.call_from_thread(run)

    def _train(self, data: mnist.Mnist, sizes, worker):
        key = (str(data.source), tuple(sizes), self.epochs, self.train_limit, self.seed)
        if key in _trained:
            return _trained[key]
        try:
            mnist.check_input_size(data, sizes[0])
        except InputError as e:
            self._from_worker(worker, self._failed, str(e))
            return None, ""
        train = data.train.head(self.train_limit) if self.train_limit else data.train
        network = Network(list(sizes), seed=self.seed)
        total = self.epochs * len(train)
        self._from_worker(worker, self._training, sizes, total)
        on_progress, _ = reporters(self)  # posted, at most every 0.2 s: the thread never waits for the UI
        network.sgd(train.images, train.labels, self.epochs, BATCH_SIZE, STEP_SIZE, seed=self.seed,
                    on_progress=on_progress, should_stop=lambda: worker.is_cancelled)
        if worker.is_cancelled:
            return None, ""
        correct = network.evaluate(data.test.images, data.test.labels)
        how = (f"{'-'.join(map(str, sizes))} trained here: {self.epochs} epoch{'s' * (self.epochs != 1)} on "
               f"{len(train):,} images (batch {BATCH_SIZE}, η = {STEP_SIZE:g}); "
               f"{correct:,} / {len(data.test):,} test images right")
        _trained[key] = (network, how)
        return network, how

    @staticmethod
    def score(network: Network, data: mnist.Mnist) -> str:
        correct = network.evaluate(data.test.images, data.test.labels)
        return f"{'-'.join(map(str, network.sizes))} ({correct:,} / {len(data.test):,} test images right)"

    @work(thread=True, exclusive=True, group="explore")
    def load_file(self, path: str) -> None:
        """A network saved as .npz; any problem with the file is reported in one line."""
        worker = get_current_worker()
        try:
            data = mnist.load(getattr(self.app, "data_dir", None))
            network = load_network(path)
            mnist.check_input_size(data, network.sizes[0])
            if network.sizes[-1] != len(data.label_names):
                raise InputError(f"{path}: the output layer has {network.sizes[-1]} neurons, "
                                 f"the data has {len(data.label_names)} classes")
        except InputError as e:
            self._from_worker(worker, self._failed, str(e))
            return
        self._from_worker(worker, self._data_ready, data)
        self._from_worker(worker, self._network_ready, network, f"{self.score(network, data)}, loaded from {path}")

    def action_ask_file(self) -> None:
        path = self.query_one("#explore-path", Input)
        path.display = True
        path.focus()

    @on(Input.Submitted, "#explore-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.query_one("#explore-path").display = False
            self.network = None
            self.query_one(OptionList).disabled = True
            self.query_one("#explore-network", Static).update(f"Loading {event.value.strip()}…")
            self.load_file(event.value.strip())

    def _data_ready(self, data: mnist.Mnist) -> None:
        self.data = data
        w = words(data.label_names)
        self.query_one("#explore-title", Static).update(title(w))
        self.query_one("#explore-data", Static).update(
            f"Data: {w.name} from {data.source}: {len(data.train):,} training, {len(data.validation):,} "
            f"validation, {len(data.test):,} test images")

    def _training(self, sizes, total: int) -> None:
        self.query_one("#explore-network", Static).update(
            f"Training {'-'.join(map(str, sizes))} for {self.epochs} epochs… (the views open when it is done)")
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=total, progress=0)

    def on_training_progress(self, message: TrainingProgress) -> None:
        self.query_one(ProgressBar).update(progress=message.epoch * message.total + message.done)

    def _network_ready(self, network: Network, how: str) -> None:
        self.network = network
        self.query_one(ProgressBar).display = False
        self.query_one("#explore-network", Static).update(f"Network: {how}")
        menu = self.query_one(OptionList)
        menu.disabled = False
        if not self.query_one("#explore-path", Input).display:  # the learner may be typing a path
            menu.focus()
        if self.then:
            view, self.then = self.then, None
            self.action_open(view)

    def _failed(self, message: str) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one("#explore-network", Static).update(f"[b]Cannot explore:[/b] {message}")

    @property
    def ready(self) -> bool:
        return self.network is not None and self.data is not None

    # -- actions -------------------------------------------------------------------------------

    def action_switch_network(self) -> None:
        self.choice = (self.choice + 1) % len(self.choices)
        self.network = None
        self.query_one(OptionList).disabled = True
        self.query_one("#explore-network", Static).update("Preparing the other network…")
        self.prepare()

    def action_back(self) -> None:
        path = self.query_one("#explore-path", Input)
        if path.display:
            path.display = False
            self.query_one(OptionList).focus()
            return
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    @on(OptionList.OptionSelected, "#explore-menu")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open(event.option.id)

    def action_open(self, view: str) -> None:
        if not self.ready:
            self.notify("The network is not ready yet.", severity="warning")
            return
        self.app.push_screen(self.view(view))

    def view(self, view: str) -> Screen:
        """A new screen for one of the VIEWS on the current data and network."""
        net, data = self.network, self.data
        if view == "browser":
            from tutor.app.screens.browser import BrowserScreen
            return BrowserScreen(net, data)
        if view == "hidden":
            from tutor.app.screens.hidden import HiddenScreen
            return HiddenScreen(net)
        if view == "noise":
            from tutor.app.screens.noise import NoiseScreen
            return NoiseScreen(net, data)
        if view == "draw":
            from tutor.app.screens.draw import DrawScreen
            return DrawScreen(net, data.label_names)
        from tutor.app.screens.confusion import ConfusionScreen
        return ConfusionScreen(net, data)


def open_trace(screen: Screen, spec) -> None:
    """Push the stepper on `spec` (a NetworkSpec): one training step on an image the learner chose."""
    from tutor.app.screens.stepper import StepperScreen

    screen.app.push_screen(StepperScreen(spec))


def open_view(app, name: str) -> bool:
    """Open a view by the name a lesson step gives (LESSON_VIEWS): the explorer first, which loads
    the data and a network in the background, then the view. False for an unknown name."""
    if name not in LESSON_VIEWS:
        return False
    view, architecture = LESSON_VIEWS[name]
    app.push_screen(ExploreScreen(then=view, architecture=architecture))
    return True
