"""The stepper: a trace shown one entry at a time as network, formula, transcript, table and phase."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from tutor.app.element_formula import line as element_line
from tutor.app.format import neuron_detail, prepare
from tutor.app.later import after_refresh
from tutor.app.widgets.formula_panel import FormulaPanel
from tutor.app.widgets.network_view import NetworkView
from tutor.app.widgets.phase_bar import PhaseBar
from tutor.app.widgets.quantities_table import QuantitiesTable
from tutor.app.widgets.transcript_view import TranscriptView
from tutor.app.yours import cells, comparison
from tutor.engine.trace import Entry, Trace

YOURS_LINES = 6  # room the formula panel keeps for the learner's value beside the engine's


class Stepper(Widget):
    """Shows `trace` through entry `index` (-1: nothing computed yet). Drive it with forward(), back(), home(),
    end(), goto(name), select_neuron(delta) and set_trace(trace); it posts Stepper.Moved on every move.
    With `theirs` (the learner's values by trace name, from `tutor check`), each value of theirs is shown beside
    the engine's: a column in the table, both values and their first difference in the formula panel."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    index: reactive[int] = reactive(-1, init=False)
    selected: reactive[int] = reactive(0, init=False)

    @dataclass
    class Moved(Message):
        """The stepper now shows entry `index` (None before the first)."""

        index: int
        entry: Entry | None

    def __init__(self, trace: Trace, title: str = "", theirs: dict | None = None, **kwargs) -> None:
        """`title`: what is being traced (an example's title, "MNIST test image 8, label 5"), beside the network."""
        super().__init__(**kwargs)
        self.spec_title = title
        self.prepared = prepare(trace)
        self.theirs = theirs

    @property
    def trace(self) -> Trace:
        return self.prepared.trace

    @property
    def entry(self) -> Entry | None:
        return self.trace[self.index] if self.index >= 0 else None

    def compose(self):
        yield PhaseBar(id="phase")
        yield NetworkView(id="network")
        with Horizontal(id="stepper-body"):
            with Vertical(id="stepper-left"):
                yield FormulaPanel(id="formula")
            with Vertical(id="stepper-right"):
                yield TranscriptView(id="transcript")
                yield QuantitiesTable(id="quantities")

    def on_mount(self) -> None:
        self.set_titles()
        self._load()
        self.refresh_view()

    def set_titles(self) -> None:
        """The panels' titles, each the longest that fits its border (a long example title ends in …)."""
        def fit(widget_id: str, *choices: str) -> None:
            widget = self.query_one(f"#{widget_id}")
            room = widget.outer_size.width - 4 if widget.outer_size.width else 10**6
            title = escape(next((c for c in choices if len(c) <= room), choices[-1][: max(1, room - 1)] + "…"))
            if widget.border_title != title:
                widget.border_title = title

        fit("network", *([f"network · {self.spec_title}", self.spec_title] if self.spec_title else []), "network")
        fit("formula", "current operation", "operation")
        fit("transcript", "transcript (as tutor trace prints it)", "transcript")
        if self.theirs is not None:
            fit("quantities", "quantities so far: yours and the engine's", "yours and the engine's", "yours/engine")
        else:
            fit("quantities", "quantities so far", "quantities")

    def _load(self) -> None:
        self.query_one(TranscriptView).set_lines(self.prepared.lines)
        yours = cells(self.trace, self.theirs) if self.theirs is not None else None
        self.query_one(QuantitiesTable).set_rows(self.prepared.rows, yours)
        self.query_one(FormulaPanel).size_for(self.prepared.formulas, neurons=max(self.trace.sizes) > 1,
                                              more=YOURS_LINES if yours is not None else 0)

    # -- driving ------------------------------------------------------------------------------

    def forward(self) -> None:
        self.index = min(self.index + 1, len(self.trace) - 1)

    def back(self) -> None:
        self.index = max(self.index - 1, -1)

    def home(self) -> None:
        self.index = -1

    def end(self) -> None:
        self.index = len(self.trace) - 1

    def goto(self, name: str) -> None:
        self.index = self.trace.index(name)

    def group(self, index: int) -> tuple | None:
        """What entry `index` belongs to: its phase and layer (consecutive entries of one group are a layer's
        step of one pass)."""
        return (self.trace[index].phase, self.trace[index].layer) if index >= 0 else None

    def forward_layer(self) -> None:
        """To the last entry of the next layer's group: a layer of the pass computed at once."""
        i, last = self.index, len(self.trace) - 1
        if i >= last:
            return
        i += 1
        while i < last and self.group(i + 1) == self.group(i):
            i += 1
        self.index = i

    def back_layer(self) -> None:
        """Back to the last entry of the previous group (or the start)."""
        i = self.index
        current = self.group(i)
        while i >= 0 and self.group(i) == current:
            i -= 1
        self.index = i

    def select_neuron(self, delta: int) -> None:
        """Move the selection within the current layer (clamped to its size)."""
        layer = self.current_layer
        size = self.trace.sizes[layer] if layer is not None else 1
        self.selected = min(max(0, min(self.selected, size - 1) + delta), size - 1)

    def set_trace(self, trace: Trace, index: int = -1, theirs: dict | None = None) -> None:
        """Show another trace (the next training step, an edited network), from `index`; `theirs`: the learner's
        values on it (those of another trace do not apply to this one)."""
        self.prepared = prepare(trace)
        self.theirs = theirs
        self._load()
        self.set_reactive(Stepper.index, index)
        self.selected = min(self.selected, max(trace.sizes) - 1)
        self.refresh_view()
        self.post_message(self.Moved(self.index, self.entry))

    @property
    def current_layer(self) -> int | None:
        entry = self.entry
        return entry.layer if entry is not None and entry.name != "step_size" else None

    # -- showing ------------------------------------------------------------------------------

    def watch_index(self) -> None:
        self.refresh_view()
        self.post_message(self.Moved(self.index, self.entry))

    def on_resize(self) -> None:
        after_refresh(self, self.refresh_view)  # the network drawing adapts to the new width
        after_refresh(self, self.set_titles)

    def watch_selected(self) -> None:
        self.refresh_view()

    def neuron_text(self) -> str:
        layer = self.current_layer
        if layer is None or self.trace.sizes[layer] == 1:
            return ""
        j = min(self.selected, self.trace.sizes[layer] - 1)
        detail = neuron_detail(self.trace, self.index, layer, j)  # ~40 µs for a row of 784: no cache needed
        if not detail:
            return ""
        entry = self.entry
        value = np.asarray(entry.value)
        if value.ndim == 2 and value.shape[1] > 1:  # a weight matrix: its row's numbers, or its largest if many
            row = np.abs(value[j])
            ks = range(len(row)) if len(row) <= 3 else [int(np.argmax(row))]
        else:
            ks = [None]
        lines = [element_line(self.trace, entry, j, k) for k in ks]
        own = "\n".join(line for line in lines if line)
        return f"neuron {j} of layer {layer} (↑/↓: another; i: all of it)\n" + (f"{own}\n" if own else "") + detail

    def refresh_view(self) -> None:
        self.set_titles()
        i, p = self.index, self.prepared
        layer = self.current_layer
        selected = min(self.selected, self.trace.sizes[layer] - 1) if layer is not None else self.selected
        self.query_one(PhaseBar).show(self.trace, i)
        self.query_one(NetworkView).show(self.trace, i, selected)
        yours = comparison(self.trace[i], self.theirs) if self.theirs is not None and i >= 0 else ()
        self.query_one(FormulaPanel).show(p.formulas[i] if i >= 0 else None, self.neuron_text(), yours)
        self.query_one(TranscriptView).show(p.ends[i] if i >= 0 else 0, p.ends[i - 1] if i >= 1 else 0)
        self.query_one(QuantitiesTable).show(i)
