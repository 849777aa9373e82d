"""ExploreScreen: loads MNIST and a network in the background, then opens the views that look inside it (the
registry tutor.views says which views there are, their keys and the screens that show them)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, replace
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, get_current_worker

from tutor.app.workers import background, failed
from tutor.app.training_messages import TrainingProgress, reporters
from tutor.app.words import DIGIT_WORDS, Words, words
from tutor.engine import mnist, training
from tutor.engine.model_file import load_network
from tutor.engine.network import Network
from tutor.errors import InputError
from tutor.views import MENU, View

ARCHITECTURES = ((784, 30, 10), (784, 16, 16, 10))
UNTRAINED = "untrained"  # a choice of `a`: 784-30-10 with its random starting weights
# What Explore trains: about 0.5 s an epoch on the 50,000 training images, about 94% right after 5.
EXPLORE_RUN = training.Config(epochs=5, seed=0)


VIEW_KEYS = Binding.Group("Views")  # one footer label for the views' keys (the menu names each): all keys fit at 80


def title(w: Words) -> str:
    return f"[b]Explore {w.name}[/b]: what a network does with real {w.images}"


def open_view(view: View, network: Network, data: mnist.Mnist, how: str | None = None) -> Screen:
    """A new screen showing `view` of this network on this data; `how`: which network it is, as the view says it
    ("784-30-10 trained in lesson 10")."""
    module, name = view.screen.split(":")
    return getattr(importlib.import_module(module), name)(network, data, how=how)


def sizes_of(network_or_sizes) -> str:
    sizes = getattr(network_or_sizes, "sizes", network_or_sizes)
    return "-".join(map(str, sizes))


@dataclass(frozen=True)
class Trained:
    """A network trained elsewhere (the Train screen, a lesson), and where, as the views say it."""

    network: Network
    how: str


class ExploreScreen(Screen):
    """A menu of the MNIST views, enabled once the data and a network are ready."""

    CSS_PATH = "explore.tcss"
    AUTO_FOCUS = ""  # not the hidden path field (the disabled menu is skipped): while loading, a, l and Esc must work
    BINDINGS = [
        *(Binding(view.key, f"open('{view.name}')", view.short, tooltip=view.label, id=f"explore.{view.id}",
                  group=VIEW_KEYS) for view in MENU),
        Binding("a", "switch_network", "Network", tooltip="Switch between the networks to explore",
                id="explore.switch"),
        Binding("l", "ask_file", "Load .npz", tooltip="Explore a network saved by `tutor train --save`",
                id="explore.load"),
        Binding("escape", "back", "Back", tooltip="Back to the previous screen", id="explore.back"),
    ]

    @dataclass
    class DataReady(Message):
        worker: Worker
        data: mnist.Mnist

    @dataclass
    class Training(Message):
        worker: Worker
        sizes: tuple
        total: int

    @dataclass
    class NetworkReady(Message):
        """The network to explore: `how` names it as the views say it ("784-30-10 trained in lesson 10"),
        `detail` adds what this screen shows of it (its test images right, how it was trained)."""

        worker: Worker
        network: Network
        how: str
        detail: str

    @dataclass
    class Failed(Message):
        worker: Worker
        message: str

    def __init__(self, data_dir=None, trained: Trained | None = None, cache: dict | None = None,
                 run: training.Config = EXPLORE_RUN, then: View | None = None):
        """`data_dir`: None for the bundled MNIST; `trained`: the network the learner trained, if any; `cache`:
        networks trained here before (kept by the app, so each is trained once); `run`: how Explore trains;
        `then`: a view to open as soon as its network is ready (with its own architecture if it needs one)."""
        super().__init__()
        self.data_dir, self.trained, self.run = data_dir, trained, run
        self.cache = cache if cache is not None else {}
        self.then = then
        self.data: mnist.Mnist | None = None
        self.network: Network | None = None
        self.how: str | None = None  # which network it is, as the views say it
        self.choice = 0
        self.worker: Worker | None = None  # the worker whose result is wanted; others' are dropped

    def compose(self) -> ComposeResult:
        directory = self.data_dir  # None: the bundled MNIST; another one is known once loaded
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
            yield OptionList(*(Option(f"{view.key}  {view.label}", id=view.name) for view in MENU), id="explore-menu")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).disabled = True
        if self.then is not None and self.then.network is not None:
            self.choice = self.choices.index(self.then.network)
        self.worker = self.prepare()

    # -- the network ---------------------------------------------------------------------------

    @property
    def choices(self) -> list:
        """What `a` cycles through: the network the learner trained, if any, each architecture trained here, and
        an untrained network (to trace an image through random weights)."""
        return ([self.trained] if self.trained is not None else []) + list(ARCHITECTURES) + [UNTRAINED]

    @background(exclusive=True, group="explore")
    def prepare(self) -> None:
        worker = get_current_worker()
        try:
            data = mnist.load(self.data_dir)
            self.post_message(self.DataReady(worker, data))
            choice = self.choices[self.choice % len(self.choices)]
            if isinstance(choice, Trained):
                network = choice.network.copy()
                training.check_fits(network.sizes, data, "the trained network")
                how, detail = f"{sizes_of(network)} {choice.how}", self.score(network, data)
            elif choice == UNTRAINED:
                network = Network(list(ARCHITECTURES[0]), seed=self.run.seed)
                how = f"{sizes_of(network)} untrained: its random starting weights (seed {self.run.seed})"
                detail = self.score(network, data)
            else:
                network, how, detail = self._train(data, choice, worker)
                if network is None:
                    return
        except InputError as e:
            self.post_message(self.Failed(worker, str(e)))
            return
        self.post_message(self.NetworkReady(worker, network, how, detail))

    def _train(self, data: mnist.Mnist, sizes, worker):
        run = replace(self.run, layers=tuple(sizes))
        key = (str(data.source), run)
        if key in self.cache:
            return self.cache[key]
        training.check_fits(sizes, data)
        images = min(run.limit or len(data.train), len(data.train))
        self.post_message(self.Training(worker, tuple(sizes), run.epochs * images))
        on_progress, _ = reporters(self)  # posted, at most every 0.2 s: the thread never waits for the UI
        result = training.run(run, data, on_progress=on_progress, should_stop=lambda: worker.is_cancelled)
        if worker.is_cancelled:
            return None, "", ""
        correct = result.results[-1].correct
        how = (f"{sizes_of(sizes)} trained by Explore: {run.epochs} epoch{'s' * (run.epochs != 1)} on "
               f"{result.images:,} images")
        detail = (f"batch {run.batch_size}, η = {run.step_size:g}; {correct:,} / {len(data.test):,} test images "
                  "right")
        self.cache[key] = (result.network, how, detail)
        return result.network, how, detail

    @staticmethod
    def score(network: Network, data: mnist.Mnist) -> str:
        correct = training.evaluate(network, data.test.images, data.test.labels)
        return f"{correct:,} / {len(data.test):,} test images right"

    @background(exclusive=True, group="explore")
    def load_file(self, path: str) -> None:
        """A network saved as .npz; any problem with the file is reported in one line."""
        worker = get_current_worker()
        try:
            data = mnist.load(self.data_dir)
            network = load_network(path)
            training.check_fits(network.sizes, data, path)
        except InputError as e:
            self.post_message(self.Failed(worker, str(e)))
            return
        self.post_message(self.DataReady(worker, data))
        self.post_message(self.NetworkReady(worker, network, f"{sizes_of(network)} loaded from {Path(path).name}",
                                            f"{self.score(network, data)}; {path}"))

    def wanted(self, message) -> bool:
        """A worker's report is shown only if that worker is the one whose result is wanted: `a` or a file may
        have asked for another network since (the screen's closing drops every report: it takes no messages)."""
        return message.worker is self.worker and not message.worker.is_cancelled

    def action_ask_file(self) -> None:
        path = self.query_one("#explore-path", Input)
        path.display = True
        path.focus()

    @on(Input.Submitted, "#explore-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.query_one("#explore-path").display = False
            self.network = self.how = None
            self.query_one(OptionList).disabled = True
            self.query_one("#explore-network", Static).update(f"Loading {event.value.strip()}…")
            self.worker = self.load_file(event.value.strip())

    def on_explore_screen_data_ready(self, message: DataReady) -> None:
        if not self.wanted(message):
            return
        self.data = data = message.data
        w = words(data.label_names)
        self.query_one("#explore-title", Static).update(title(w))
        self.query_one("#explore-data", Static).update(
            f"Data: {w.name} from {data.source}: {len(data.train):,} training, {len(data.validation):,} "
            f"validation, {len(data.test):,} test images")

    def on_explore_screen_training(self, message: Training) -> None:
        if not self.wanted(message):
            return
        self.query_one("#explore-network", Static).update(
            f"Training {'-'.join(map(str, message.sizes))} for {self.run.epochs} epochs… (the views open when it "
            "is done)")
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=message.total, progress=0)

    def on_training_progress(self, message: TrainingProgress) -> None:
        self.query_one(ProgressBar).update(progress=message.epoch * message.total + message.done)

    def on_explore_screen_network_ready(self, message: NetworkReady) -> None:
        if not self.wanted(message):
            return
        self.network, self.how = message.network, message.how
        self.query_one(ProgressBar).display = False
        self.query_one("#explore-network", Static).update(f"Network: {message.how}; {message.detail}")
        menu = self.query_one(OptionList)
        menu.disabled = False
        if not self.query_one("#explore-path", Input).display:  # the learner may be typing a path
            menu.focus()
        if self.then is not None:
            view, self.then = self.then, None
            self.app.push_screen(open_view(view, self.network, self.data, self.how))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        line = failed(self, event, "Preparing the network")
        if line is not None:
            self.post_message(self.Failed(event.worker, line))

    def on_explore_screen_failed(self, message: Failed) -> None:
        if not self.wanted(message):
            return
        self.query_one(ProgressBar).display = False
        self.query_one("#explore-network", Static).update(f"[b]Cannot explore:[/b] {message.message}")

    @property
    def ready(self) -> bool:
        return self.network is not None and self.data is not None

    # -- actions -------------------------------------------------------------------------------

    def action_switch_network(self) -> None:
        self.choice = (self.choice + 1) % len(self.choices)
        self.network = self.how = None
        self.query_one(OptionList).disabled = True
        self.query_one("#explore-network", Static).update("Preparing the other network…")
        self.worker = self.prepare()

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

    def action_open(self, name: str) -> None:
        if not self.ready:
            self.notify("The network is not ready yet.", severity="warning")
            return
        view = next(v for v in MENU if v.name == name)
        self.app.push_screen(open_view(view, self.network, self.data, self.how))
