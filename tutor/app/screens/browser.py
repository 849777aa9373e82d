"""BrowserScreen: MNIST images one at a time, with the label, the network's ten activations and its answer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.message import Message
from textual.worker import Worker, get_current_worker

from tutor.app.workers import background, failed
from tutor.app.messages import OpenTrace
from tutor.app.words import network_name, words
from tutor.app.widgets.activations import Activations
from tutor.app.widgets.digit import DigitImage
from tutor.engine.mnist import Mnist
from tutor.engine.network import Network
from tutor.engine.spec import NetworkSpec
from tutor.engine import training
from tutor.engine.training import Config

SETS = ("test", "validation", "train")
CHUNK = 500           # images classified at a time when looking for a mistake (then a check for cancelling)
SEARCHING_AFTER = 0.1  # seconds: a search still running by then shows a note


class BrowserScreen(Screen):
    """Walk through a dataset (or a chosen subset of it, e.g. one cell of the confusion matrix)."""

    CSS_PATH = "browser.tcss"
    BINDINGS = [
        Binding("right,n", "move(1)", "Next", tooltip="The next image", id="browser.next"),
        Binding("left,p", "move(-1)", "Prev", tooltip="The previous image", id="browser.previous"),
        Binding("r", "random", "Random", tooltip="A random image of this set", id="browser.random"),
        Binding("m", "wrong(1)", "Wrong", tooltip="The next image the network gets wrong (M: the previous one)",
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
                 subset: str = "", seed: int | None = None, how: str | None = None):
        """`how`: which network it is ("784-30-10 trained in lesson 10"; None: its layer sizes)."""
        super().__init__()
        self.network, self.data = network, data
        self.how = how
        self.set_name = dataset
        self.indices = None if indices is None else np.asarray(indices, dtype=np.int64)
        self.subset = subset
        self.position = 0
        self.rng = np.random.default_rng(seed)
        self._searching = None  # the timer that shows the note of a search for a mistake still running

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
        yield Static(f"Network: {network_name(self.network, self.how)}", id="browser-network", markup=False)
        with Horizontal(id="browser-body"):
            with Vertical(id="browser-left"):
                yield DigitImage(id="browser-image")
                yield Static(id="browser-label")
            with Vertical(id="browser-right"):
                yield Static(id="browser-verdict")
                yield Activations(self.data.label_names, id="browser-activations")
                yield Static(id="browser-where")
                yield Static(id="browser-note")
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
        box.border_title = self.image_name()
        self.query_one("#browser-label", Static).update(f"Label: [b]{self.name_of(label)}[/b]")
        right = self.answer == label
        verdict = (f"The network answers [b]{self.name_of(self.answer)}[/b]: "
                   + ("✓ right" if right else f"✗ wrong (the label is {self.name_of(label)})"))
        self.query_one("#browser-verdict", Static).update(verdict)
        self.query_one(Activations).show(self.activations, label)
        # one number for the image everywhere, its index (the title, this line, the trace: data.test[i]); the
        # place in a list of some of them is said as such
        where = (f"{self.subset}: {self.position + 1:,} of {self.count:,} ({self.image_name()})"
                 if self.indices is not None
                 else f"{self.image_name()} of {len(ds):,} (counting from 0)")
        self.query_one("#browser-where", Static).update(
            where + "\n←/→ move · r random · m/M next/previous wrong · s switch set · t trace it")

    def image_name(self) -> str:
        """The current image as the title, the text and the trace name it: "test image 1,233"."""
        return f"{self.dataset.name} image {self.index:,}"

    # -- actions -------------------------------------------------------------------------------

    def go(self, position: int) -> None:
        if self.count:
            self.position = position % self.count
            self.refresh_image()

    def action_move(self, step: int) -> None:
        self.stop_search()
        self.go(self.position + step)

    def action_random(self) -> None:
        self.stop_search()
        self.go(int(self.rng.integers(self.count)) if self.count else 0)

    def action_wrong(self, step: int) -> None:
        """Look for the next (step 1) or previous (-1) mistake in a worker: the whole set can take a while
        for a good network. A new press, or any move, supersedes a search still running."""
        if not self.count:
            self.notify("No images here.")
            return
        self.stop_search()
        self._searching = self.set_timer(SEARCHING_AFTER, self._show_searching)
        self.search_wrong(self.dataset, self.indices, self.position, step)

    def _show_searching(self) -> None:
        note = self.query_one("#browser-note", Static)
        note.update("Searching for an image the network gets wrong…")
        note.display = True

    def stop_search(self) -> None:
        """Cancel a search for a mistake still running (its late result is dropped)."""
        self.workers.cancel_group(self, "browser-wrong")
        self._end_search()

    def _end_search(self) -> None:
        if self._searching is not None:
            self._searching.stop()
            self._searching = None
        self.query_one("#browser-note", Static).display = False

    @background(exclusive=True, group="browser-wrong")
    def search_wrong(self, ds, indices, position: int, step: int) -> None:
        """The first position after `position` (going `step`, wrapping around) whose image the network
        gets wrong, as digits.misclassified finds it, classifying CHUNK images at a time."""
        worker = get_current_worker()
        n = len(indices) if indices is not None else len(ds)
        order = (position + step * np.arange(1, n + 1)) % n
        found = None
        for s in range(0, n, CHUNK):
            if worker.is_cancelled:
                return
            positions = order[s: s + CHUNK]
            idx = indices[positions] if indices is not None else positions
            wrong = np.flatnonzero(training.predict(self.network, ds.images[idx]) != ds.labels[idx])
            if wrong.size:
                found = int(positions[wrong[0]])
                break
        self.post_message(self.Found(worker, found))

    @dataclass
    class Found(Message):
        worker: Worker
        position: int | None  # None: every image there is right

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if failed(self, event, "Looking for a mistake") is not None:
            self._end_search()

    def on_browser_screen_found(self, message: Found) -> None:
        if message.worker.is_cancelled:  # superseded by another press or a move meanwhile
            return
        position = message.position
        self._end_search()
        if position is None:
            self.notify("The network gets every image here right.")
        else:
            self.go(position)

    def action_switch_set(self) -> None:
        if self.indices is not None:
            self.notify(f"This is a fixed list ({self.subset}); go back to browse a whole set.")
            return
        self.stop_search()
        after = SETS.index(self.set_name) + 1  # the next set with images (a small training file leaves no validation)
        self.set_name = next(name for name in SETS[after:] + SETS[:after] if len(getattr(self.data, name)))
        self.position = min(self.position, len(self.dataset) - 1)
        self.refresh_image()

    def action_trace(self) -> None:
        self.stop_search()  # the browser stays on this image underneath the stepper
        ds, i = self.dataset, self.index
        label = int(ds.labels[i])
        spec = NetworkSpec(
            self.network, ds.input(i), ds.target(i, self.network.sizes[-1]), Config().step_size,
            title=f"{self.image_name()}, label {self.name_of(label)}",
            description=f"One training step on one {words(self.data.label_names).name} image; the target is "
                        "its one-hot label.",
            source=f"{ds.name}[{i}]")
        self.post_message(OpenTrace(spec, self.data))
