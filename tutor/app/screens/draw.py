"""DrawScreen: draw a digit, see it preprocessed the MNIST way and the network's answer as you draw."""

from __future__ import annotations

import numpy as np
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from tutor.app.messages import OpenTrace
from tutor.app.words import DIGIT_WORDS, network_name, words
from tutor.app.widgets.activations import Activations
from tutor.app.widgets.canvas import Canvas
from tutor.app.widgets.digit import DigitImage
from tutor.engine import digits, mnist
from tutor.engine.mnist import Mnist
from tutor.engine.network import Network
from tutor.engine.spec import NetworkSpec
from tutor.engine.training import Config


class DrawScreen(Screen):
    """The canvas, what the network is given (cropped, scaled to 20 x 20, centred), and its answer."""

    CSS_PATH = "draw.tcss"
    BINDINGS = [
        Binding("t", "trace", "Trace it", tooltip="Step through one training step on your drawing",
                id="draw.trace"),
        *(Binding(str(d), f"target({d})", f"Meant {d}", show=False,
                  tooltip=f"Say you meant class {d}: the target when tracing", id=f"draw.target{d}")
          for d in range(10)),
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the menu", id="draw.back"),
    ]

    def __init__(self, network: Network, data: Mnist | None = None, how: str | None = None):
        """`data`: the dataset the network reads (its class names); None: MNIST's digits. `how`: which network it
        is ("784-30-10 trained in lesson 10"; None: its layer sizes)."""
        super().__init__()
        self.network, self.data, self.how = network, data, how
        self.label_names = tuple(data.label_names) if data is not None else mnist.DIGIT_NAMES
        self.words = words(self.label_names)
        self.inputs = np.zeros((network.sizes[0], 1))
        self.activations = network.feedforward(self.inputs).ravel()
        self.target: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(f"Network: {network_name(self.network, self.how)}", id="draw-network", markup=False)
        with Horizontal(id="draw-body"):
            with Vertical(id="draw-left"):
                yield Canvas(id="draw-canvas")
                yield Static("Drag the mouse, or move with the arrows and paint with space "
                             "(p: pen down). c clears.", id="draw-help")
            with Vertical(id="draw-right"):
                yield Static(id="draw-answer")
                yield Activations(self.label_names, bar_width=12, id="draw-activations")
                with Horizontal(id="draw-seen"):
                    yield DigitImage(scale=2, id="draw-input")
                    yield Static(self.seen_text(), id="draw-seen-text")
        yield Footer()

    def seen_text(self) -> str:
        """How a drawing is prepared: MNIST's way for digits (Fashion-MNIST's clothes were not done so)."""
        aside = "" if self.words == DIGIT_WORDS else "Fashion-MNIST's clothes span all 28 pixels; "
        return ("what the network sees: your drawing cropped, scaled to fit 20 x 20 and centred by its "
                f"centre of mass, as MNIST's digits were ({aside}shown at half size)")

    def on_mount(self) -> None:
        self.query_one("#draw-canvas").border_title = "draw here"
        self.query_one(Canvas).focus()
        self.update_answer()

    @on(Canvas.Changed)
    def _drawn(self, event: Canvas.Changed) -> None:
        self.inputs = digits.preprocess(event.pixels)
        self.query_one("#draw-input", DigitImage).show(self.inputs)
        self.activations = self.network.feedforward(self.inputs).ravel()
        self.update_answer()

    @property
    def answer(self) -> int:
        return int(np.argmax(self.activations))

    def update_answer(self) -> None:
        blank = not self.inputs.any()
        name = self.label_names[self.answer]
        answer = f"[b]{name}[/b] ({self.activations[self.answer]:.4f})"
        # a blank canvas still gets an answer, often a confident one: the article's point about random pixels
        text = (f"Nothing drawn, yet the network answers {answer}: it has no output for “nothing here”, as with "
                f"random pixels. Draw {self.words.drawing}: the answer follows every stroke." if blank
                else f"The network answers {answer}.")
        meant = self.target if self.target is not None else self.answer
        text += f"\nTarget for tracing: {self.label_names[meant]} (keys 0–9 change it)."
        self.query_one("#draw-answer", Static).update(text)
        self.query_one("#draw-seen").display = not blank  # nothing to see yet: room for the words above
        self.query_one(Activations).show(self.activations, self.target)

    def action_target(self, digit: int) -> None:
        if digit < self.network.sizes[-1]:
            self.target = digit
            self.update_answer()

    def action_trace(self) -> None:
        meant = self.target if self.target is not None else self.answer
        y = np.zeros((self.network.sizes[-1], 1))
        y[meant] = 1.0
        spec = NetworkSpec(self.network, self.inputs.copy(), y, Config().step_size,
                           title=f"your drawing, target {self.label_names[meant]}",
                           description=f"One training step on {self.words.drawing} drawn in the canvas.",
                           source="drawing")
        self.post_message(OpenTrace(spec, self.data))
