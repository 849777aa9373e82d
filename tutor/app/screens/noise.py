"""NoiseScreen: a random-pixel image, the network's confident answer, and its mean confidence on noise vs digits."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker

from tutor.app.workers import background, failed
from tutor.app.words import network_name, words
from tutor.app.widgets.activations import Activations
from tutor.app.widgets.digit import DigitImage
from tutor.engine import digits
from tutor.engine.mnist import Mnist
from tutor.engine.network import Network

NOISE_SAMPLES = 1000


class NoiseScreen(Screen):
    """The article's closing remark made visible: the network has no way to say 'this is not a digit'."""

    CSS_PATH = "noise.tcss"
    BINDINGS = [
        Binding("space,n", "next", "New noise", tooltip="Another image of random pixels", id="noise.next"),
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the menu", id="noise.back"),
    ]

    def __init__(self, network: Network, data: Mnist, seed: int | None = None, how: str | None = None):
        """`how`: which network it is ("784-30-10 trained in lesson 10"; None: its layer sizes)."""
        super().__init__()
        self.network, self.data = network, data
        self.how = how
        self.rng = np.random.default_rng(seed)
        self.count = 0
        self.image: np.ndarray | None = None
        self.activations: np.ndarray | None = None
        self.means: tuple[float, float, float] | None = None   # test set, noise, share of noise >= 0.5

    def compose(self) -> ComposeResult:
        yield Static(f"Network: {network_name(self.network, self.how)}", id="noise-network", markup=False)
        with Horizontal(id="noise-body"):
            with Vertical(id="noise-left"):
                yield DigitImage(id="noise-image")
            with Vertical(id="noise-right"):
                yield Static(id="noise-answer")
                yield Activations(self.data.label_names, id="noise-activations")
        yield Static(f"Comparing with real {words(self.data.label_names).images}…", id="noise-compare")
        yield Footer()

    def on_mount(self) -> None:
        self.action_next()
        self.compare()

    def action_next(self) -> None:
        self.count += 1
        self.image = self.rng.random((self.network.sizes[0], 1))
        self.activations = self.network.feedforward(self.image).ravel()
        answer = int(np.argmax(self.activations))
        name = self.data.label_names[answer]
        self.query_one("#noise-image", DigitImage).show(self.image)
        self.query_one("#noise-left").border_title = f"random pixels #{self.count}"
        self.query_one("#noise-answer", Static).update(
            f"Every pixel is random, yet the network answers [b]{name}[/b] "
            f"with activation {self.activations[answer]:.4f}.\nIt has no output for “none of these”.")
        self.query_one(Activations).show(self.activations)

    @dataclass
    class Compared(Message):
        test: float    # the mean top activation on the test images
        noise: float   # on random pixels
        sure: float    # the share of random-pixel images with a top activation of 0.5 or more

    @background(exclusive=True)
    def compare(self) -> None:
        test = digits.mean_top_activation(self.network, self.data.test.images)
        noise = digits.top_activations(self.network, digits.random_images(NOISE_SAMPLES, seed=0).T)
        self.post_message(self.Compared(test, float(noise.mean()), float(np.mean(noise >= 0.5))))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if (line := failed(self, event, "Comparing with the test images")) is not None:
            self.query_one("#noise-compare", Static).update(f"✗ {line}")

    def on_noise_screen_compared(self, message: Compared) -> None:
        test, noise, sure = self.means = (message.test, message.noise, message.sure)
        n = len(self.data.test)
        self.query_one("#noise-compare", Static).update(
            "Mean top activation (how sure the network looks):\n"
            f"  {f'on the {n:,} test images:':<34}{test:.4f}  {'█' * round(test * 30)}\n"
            f"  {f'on {NOISE_SAMPLES:,} random-pixel images:':<34}{noise:.4f}  {'█' * round(noise * 30)}\n"
            f"  {sure:.1%} of the noise images get a top activation of 0.5 or more.")
