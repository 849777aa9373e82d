"""HiddenScreen: each first-layer hidden neuron's 784 incoming weights drawn as a 28 x 28 image."""

from __future__ import annotations

import numpy as np
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer, Static

from tutor.app.widgets.digit import DigitImage
from tutor.app.words import network_name
from tutor.engine.mnist import Mnist
from tutor.engine.network import Network

THUMB_WIDTH = 15  # a half-size image (14 cells) and a gap


def signed_image(weights: np.ndarray) -> tuple[np.ndarray, float]:
    """Weights scaled into [-1, 1] for a diverging image: divided by the 98th percentile of their
    magnitudes (returned too), so a few large weights do not leave the rest black, and clipped."""
    scale = float(np.percentile(np.abs(weights), 98)) or 1.0
    return np.clip(weights / scale, -1.0, 1.0), scale


class HiddenScreen(Screen):
    """The weights into the first hidden layer: positive in blue (█ without colour), negative in
    orange (●); the selected neuron in full size with its bias and its largest weights."""

    CSS_PATH = "hidden.tcss"
    BINDINGS = [
        Binding("right", "select(1)", "Next neuron", priority=True, tooltip="Select the next neuron", id="hidden.next"),
        Binding("left", "select(-1)", "Previous", priority=True, tooltip="Select the previous neuron", id="hidden.previous"),
        Binding("down", "select_row(1)", "Row down", priority=True, tooltip="The neuron below", id="hidden.down"),
        Binding("up", "select_row(-1)", "Row up", priority=True, tooltip="The neuron above", id="hidden.up"),
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the menu", id="hidden.back"),
    ]

    selected = var(0, init=False)  # a var: changing it repaints only what watch_selected touches

    def __init__(self, network: Network, data: Mnist | None = None, hidden_layer: int = 1, how: str | None = None):
        """`data` is not needed (the weights are the images): every view is opened as View(network, data, how=...);
        `how`: which network it is ("784-30-10 trained in lesson 10"; None: its layer sizes)."""
        super().__init__()
        self.network = network
        self.how = how
        self.hidden_layer = hidden_layer
        self.weights = network.weights[hidden_layer - 1]          # J x 784
        self.biases = network.biases[hidden_layer - 1].ravel()

    def compose(self) -> ComposeResult:
        with Horizontal(id="hidden-body"):
            with VerticalScroll(id="hidden-grid-box"):
                yield Static(f"The {len(self.weights)} neurons of layer {self.hidden_layer} of "
                             f"{network_name(self.network, self.how)}, each one's {self.weights.shape[1]} incoming "
                             "weights:", id="hidden-intro", markup=False)
                with Grid(id="hidden-grid"):
                    for j, w in enumerate(self.weights):
                        yield DigitImage(signed_image(w)[0], signed=True, scale=2, caption=f"neuron {j}",
                                         classes="thumb")
            with Vertical(id="hidden-detail"):
                yield DigitImage(signed=True, id="hidden-full")
                yield Static(id="hidden-info")
        yield Footer()

    columns = 4  # thumbnails per row of the grid, as many as fit

    def on_mount(self) -> None:
        self.watch_selected(0, 0)

    def on_resize(self) -> None:
        box = self.query_one("#hidden-grid-box", VerticalScroll)
        self.columns = max(1, box.scrollable_content_region.width // THUMB_WIDTH)
        self.query_one("#hidden-grid", Grid).styles.grid_size_columns = self.columns

    def action_select_row(self, rows: int) -> None:
        self.action_select(rows * self.columns)

    def action_select(self, step: int) -> None:
        target = self.selected + step
        if 0 <= target < len(self.weights):
            self.selected = target

    @property
    def thumbnails(self) -> list[DigitImage]:
        return list(self.query_one("#hidden-grid", Grid).children)

    def on_click(self, event: events.Click) -> None:
        thumbnails = self.thumbnails
        if event.widget in thumbnails:
            self.selected = thumbnails.index(event.widget)

    def watch_selected(self, old: int, neuron: int) -> None:
        thumbnails = self.thumbnails
        if len(thumbnails) != len(self.weights):  # a key that came in as the screen closed: its widgets are gone
            return
        thumbnails[old].select(False)
        thumbnails[neuron].select(True)
        w = self.weights[neuron]
        image, scale = signed_image(w)
        self.query_one("#hidden-full", DigitImage).show(image)
        self.query_one("#hidden-detail").border_title = f"neuron {neuron}"
        square = w.reshape(28, 28)
        r_max, c_max = np.unravel_index(np.argmax(square), square.shape)
        r_min, c_min = np.unravel_index(np.argmin(square), square.shape)
        plus, minus = ("█", "●") if self.app.no_color else ("blue", "orange")
        self.query_one("#hidden-info", Static).update(
            f"bias {self.biases[neuron]:.4f}\n"
            f"w from {w.min():.4f} to {w.max():.4f}\n"
            f"max + at row {r_max}, col {c_max}\n"
            f"max − at row {r_min}, col {c_min}\n"
            f"{plus}: + weight (ink there\n  raises z), {minus}: −\n"
            f"full colour at |w| ≥ {scale:.3f}", layout=False)  # a fixed 7 lines: no new layout
        self.query_one("#hidden-grid-box", VerticalScroll).scroll_to_widget(thumbnails[neuron], animate=False)
