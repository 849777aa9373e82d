"""BrowserScreen: MNIST images one at a time, with the label, the network's ten activations and its answer."""

from __future__ import annotations

import numpy as np
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from tutor.app.screens.explore import STEP_SIZE, open_trace
from tutor.app.widgets.activations import Activations
from tutor.app.widgets.digit import DigitImage
from tutor.engine import digits
from tutor.engine.mnist import Mnist
from tutor.engine.network import Network
from tutor.engine.spec import NetworkSpec

SETS = ("test", "validation", "train")


class BrowserScreen(Screen):
    """Walk through a dataset (or a chosen subset of it, e.g. one cell of the confusion matrix)."""

    CSS_PATH = "browser.tcss"
    BINDINGS = [
        Binding("right,n", "move(1)", "Next", tooltip="The next image", id="browser.next"),
        Binding("left,p", "move(-1)", "Prev", tooltip="The previous image", id="browser.previous"),
        Binding("r", "random", "Random", tooltip="A random image of this set", id="browser.random"),
        Binding("m", "wrong(1)", "Next wrong", tooltip="The next image the network gets wrong (M: the previous one)",
                id="browser.wrong"),
        Binding("M", "wrong(-1)", "Previous wrong", show=False, tooltip="The previous image the network gets wrong",
                id="browser.wrong_back"),
        Binding("s", "switch_set", "Set", tooltip="Switch between the three sets",
                id="browser.set"),
        Binding("t", "trace", "Trace it", tooltip="Step through one training step on this image",
                id="browser.trace"),
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the menu", id="browser.back"),
    ]

    def __init__(self, network: Network, data: Mnist, dataset: str = "test", indices=None,
                 subset: str = "", seed: int | None = None):
        super().__init__()
        self.network, self.data = network, data
        self.set_name = dataset
        self.indices = None if indices is None else np.asarray(indices, dtype=np.int64)
        self.subset = subset
        self.position = 0
        self.rng = np.random.default_rng(seed)

    @property
    def dataset(self):
        return getattr(self.data, self.set_name)

    @property
    def index(self) -> int:
        """The index of the current image in its dataset."""
        return int(self.indices[self.position]) if self.indices is not None else self.position

    @property
    def count(self) -> int:
        return len(self.indices) if self.indices is not None else len(self.dataset)

    def compose(self) -> ComposeResult:
        with Horizontal(id="browser-body"):
            with Vertical(id="browser-left"):
                yield DigitImage(id="browser-image")
                yield Static(id="browser-label")
            with Vertical(id="browser-right"):
                yield Static(id="browser-verdict")
                yield Activations(self.data.label_names, id="browser-activations")
                yield Static(id="browser-where")
        yield Footer()

    def on_mount(self) -> None:
        if self.count == 0:
            self.query_one("#browser-verdict", Static).update("No images here.")
            return
        self.refresh_image()

    def name_of(self, label: int) -> str:
        name = self.data.label_names[label]
        return name if name == str(label) else f"{label} ({name})"

    def refresh_image(self) -> None:
        ds, i = self.dataset, self.index
        label = int(ds.labels[i])
        self.activations = self.network.feedforward(ds.input(i)).ravel()
        self.answer = int(np.argmax(self.activations))
        image = self.query_one("#browser-image", DigitImage)
        image.show(ds.images[i])
        box = self.query_one("#browser-left")
        box.border_title = f"{ds.name} image {i:,}"
        self.query_one("#browser-label", Static).update(f"Label: [b]{self.name_of(label)}[/b]")
        right = self.answer == label
        verdict = (f"The network answers [b]{self.name_of(self.answer)}[/b]: "
                   + ("✓ right" if right else f"✗ wrong (the label is {self.name_of(label)})"))
        self.query_one("#browser-verdict", Static).update(verdict)
        self.query_one(Activations).show(self.activations, label)
        where = (f"{self.subset}: {self.position + 1:,} of {self.count:,}" if self.indices is not None
                 else f"{ds.name} set: image {i + 1:,} of {len(ds):,}")
        self.query_one("#browser-where", Static).update(
            where + "\n←/→ move · r random · m/M next/previous wrong · s switch set · t trace it")

    # -- actions -------------------------------------------------------------------------------

    def go(self, position: int) -> None:
        if self.count:
            self.position = position % self.count
            self.refresh_image()

    def action_move(self, step: int) -> None:
        self.go(self.position + step)

    def action_random(self) -> None:
        self.go(int(self.rng.integers(self.count)) if self.count else 0)

    def action_wrong(self, step: int) -> None:
        ds = self.dataset
        if self.indices is None:
            found = digits.misclassified(self.network, ds.images, ds.labels, self.position, step)
        else:
            order = (self.position + step * np.arange(1, self.count + 1)) % self.count
            wrong = np.flatnonzero(self.network.predict(ds.images[self.indices[order]])
                                   != ds.labels[self.indices[order]])
            found = int(order[wrong[0]]) if wrong.size else None
        if found is None:
            self.notify("The network gets every image here right.")
        else:
            self.go(found)

    def action_switch_set(self) -> None:
        if self.indices is not None:
            self.notify(f"This is a fixed list ({self.subset}); go back to browse a whole set.")
            return
        self.set_name = SETS[(SETS.index(self.set_name) + 1) % len(SETS)]
        self.position = min(self.position, len(self.dataset) - 1)
        self.refresh_image()

    def action_trace(self) -> None:
        ds, i = self.dataset, self.index
        label = int(ds.labels[i])
        spec = NetworkSpec(
            self.network, ds.input(i), ds.target(i, self.network.sizes[-1]), STEP_SIZE,
            title=f"{ds.name} image {i}, label {self.name_of(label)}",
            description="One training step on one MNIST image; the target is its one-hot label.",
            source=f"{ds.name}[{i}]")
        open_trace(self, spec)
