"""The stepper's gradient check (g): every parameter of the selected neuron nudged by ±ε against backprop."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tutor.app.widgets.gradcheck_view import GradientCheckView
from tutor.engine.gradcheck import EPSILON, neuron_checks


class GradientCheckScreen(ModalScreen[None]):
    """Neuron j of `layer`: its bias and incoming weights, each nudged by ±ε (the network itself is not changed)."""

    CSS_PATH = "gradcheck.tcss"
    BINDINGS = [Binding("escape,g", "close", "Close", tooltip="Back to the stepper", id="gradcheck.close")]

    def __init__(self, spec, layer: int, j: int) -> None:
        super().__init__()
        self.spec, self.neuron_layer, self.neuron = spec, layer, j

    def compose(self):
        with VerticalScroll(id="gradcheck-box"):
            yield Static(f"[b]Gradient check[/b] · neuron {self.neuron} of layer {self.neuron_layer}: each parameter p nudged by "
                         f"±ε = {EPSILON:g}, the network run forward again, and the slope of the cost compared with "
                         "the ∂C/∂p backprop computed (the shared digits in green).", id="gradcheck-intro")
            yield GradientCheckView(id="gradcheck-table")
            yield Static("Esc closes.", id="gradcheck-keys")

    def on_mount(self) -> None:
        checks = neuron_checks(self.spec.network, self.spec.input, self.spec.target, self.neuron_layer, self.neuron)
        self.query_one(GradientCheckView).show(checks)
        more = self.spec.network.sizes[self.neuron_layer - 1] + 1 - len(checks)
        if more > 0:
            self.query_one("#gradcheck-keys", Static).update(
                f"The {len(checks) - 1} weights with the largest slopes are shown ({more} more). Esc closes.")

    def action_close(self) -> None:
        self.dismiss(None)
