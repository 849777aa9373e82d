"""The edit form: input, target, step size, weights and biases, each checked as it is typed."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from tutor.app.widgets.field import Field, check_fields
from tutor.engine.network import Network
from tutor.engine.spec import NetworkSpec
from tutor.errors import InputError
from tutor.numbers import NotANumber, read_number

EDITABLE = 36  # vectors and matrices with more numbers than this are kept as they are
SEPARATORS = "numbers separated by commas or spaces, a matrix's rows by ';'"  # what parse_numbers reads


def parse_numbers(text: str, rows: int, cols: int) -> np.ndarray:
    """`rows` rows separated by ';', each `cols` numbers separated by ',' or spaces (columns: one per row)."""
    if cols == 1 and ";" not in text:
        parts = [[p] for p in text.replace(",", " ").split()]
    else:
        parts = [r.replace(",", " ").split() for r in text.split(";")]
        parts = [r for r in parts if r]
    if len(parts) != rows:
        what = f"{rows} numbers" if cols == 1 else f"{rows} rows separated by ';'"
        raise InputError(f"expected {what}, got {len(parts)}")
    out = np.empty((rows, cols))
    for j, row in enumerate(parts):
        if len(row) != cols:
            raise InputError(f"row {j + 1}: expected {cols} numbers, got {len(row)}")
        for k, word in enumerate(row):
            try:
                out[j, k] = read_number(word).value
            except NotANumber as e:
                raise InputError(f"'{word}' is not a number ({e})") from None
    return out


def show_numbers(m: np.ndarray) -> str:
    """As SEPARATORS says: a vector's numbers separated by commas, a matrix's rows by ';'."""
    m = np.asarray(m)
    if m.ndim == 2 and m.shape[1] == 1:
        return ", ".join(repr(float(v)) for v in m.ravel())
    return "; ".join(", ".join(repr(float(v)) for v in row) for row in m)


def parse_step_size(text: str) -> float:
    value = parse_numbers(text, 1, 1)[0, 0]
    if value < 0:
        raise InputError("the step size must not be negative")
    return float(value)


class EditNetworkScreen(ModalScreen[NetworkSpec | None]):
    """Dismisses with the edited NetworkSpec, or None when cancelled."""

    CSS_PATH = "edit_network.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without changing the network", id="edit.cancel"),
        Binding("ctrl+s", "apply", "Apply", tooltip="Check every field and use the new numbers", id="edit.apply"),
    ]

    def __init__(self, spec: NetworkSpec, **kwargs) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        net = spec.network
        # field id -> (label, current text, parser); parsers raise InputError with the message shown
        self.fields: dict[str, tuple[str, str, callable]] = {}
        self._add("input", "input a_l0", spec.input, net.sizes[0], 1)
        self._add("target", "target y", spec.target, net.sizes[-1], 1)
        self.fields["step_size"] = ("step size η", repr(spec.step_size), parse_step_size)
        for l in range(1, len(net.sizes)):
            j, k = net.sizes[l], net.sizes[l - 1]
            self._add(f"w{l}", f"weights w_l{l} ({j}x{k}, rows separated by ';')", net.weights[l - 1], j, k)
            self._add(f"b{l}", f"biases b_l{l} ({j})", net.biases[l - 1], j, 1)

    def _add(self, key: str, label: str, value: np.ndarray, rows: int, cols: int) -> None:
        if rows * cols <= EDITABLE:
            self.fields[key] = (label, show_numbers(value.reshape(rows, cols)),
                                lambda text, r=rows, c=cols: parse_numbers(text, r, c))

    @property
    def title_text(self) -> str:
        return f"[b]Edit the network[/b]  ({SEPARATORS}; Enter or Ctrl+S applies, Esc cancels)"

    def compose(self):
        with VerticalScroll(id="edit-form"):
            yield Static(self.title_text, id="edit-title")
            for key, (label, text, parse) in self.fields.items():
                yield Field(label, text, parse, input_id=f"field-{key}", error_id=f"error-{key}")
            skipped = len(self.spec.network.sizes) * 2 + 1 - len(self.fields)
            if skipped > 0:
                yield Static(f"({skipped} larger vectors or matrices are kept as they are)", classes="note")
            with Horizontal(id="edit-buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        checked = check_fields(self.query(Field), self.notify)
        if checked is None:
            return
        values = dict(zip(self.fields, checked))
        net, spec = self.spec.network, self.spec
        layers = range(1, len(net.sizes))
        weights = [values.get(f"w{l}", net.weights[l - 1]) for l in layers]
        biases = [values.get(f"b{l}", net.biases[l - 1]) for l in layers]
        self.dismiss(replace(spec, network=Network(net.sizes, weights, biases, cost=net.cost),
                             input=values.get("input", spec.input), target=values.get("target", spec.target),
                             step_size=values["step_size"]))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
