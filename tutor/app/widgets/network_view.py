"""The network drawn as columns of neurons with their current activations (weights too, for small networks)."""

from __future__ import annotations

import re

import numpy as np
from rich.text import Text
from textual.widgets import Static

from tutor.app.format import latest, num
from tutor.engine.trace import Trace

SHOWN = 6  # neurons drawn per layer (when it has more than SHOWN + 2) before the rest are summarised with ⋮
SMALL_WEIGHTS = 3  # weights are drawn on the edges when a layer has at most this many inputs


def _window(n: int, selected: int | None) -> tuple[int, int]:
    if n <= SHOWN + 2:
        return 0, n
    start = 0 if selected is None else min(max(0, selected - SHOWN // 2), n - SHOWN)
    return start, start + SHOWN


class NetworkView(Static):
    """Layers of neurons: ● value once computed (′ after the update), ○ before; the layer being computed is
    marked ▶ and reversed, the selected neuron ›."""

    def show(self, trace: Trace, index: int, selected: int) -> None:
        text = self.render_network(trace, index, selected, self.content_region.width or None)
        self.drawn = text.plain  # what is drawn, for a check that it fits
        height = text.plain.count("\n") + 1 + self.styles.gutter.height
        if self.styles.height is None or self.styles.height.value != height:
            self.styles.height = height  # fixed per trace: a key press repaints without a layout
        self.update(text, layout=False)

    @classmethod
    def render_network(cls, trace: Trace, index: int, selected: int, width: int | None = None) -> Text:
        """The drawing; when it is wider than `width`, a compact one (fewer digits, narrower gaps), and when that is
        still too wide (many layers: 1-1-1-1-1), one without the weights' numbers (the formula panel shows them) and with short layer names."""
        for compact, weights in ((False, True), (True, True), (True, False)):
            text = cls._draw(trace, index, selected, compact, weights)
            if not width or max(len(line) for line in text.plain.split("\n")) <= width:
                break
        return text

    @staticmethod
    def _draw(trace: Trace, index: int, selected: int, compact: bool, weights: bool = True) -> Text:
        entry = trace[index] if index >= 0 else None
        current = entry.layer if entry is not None and entry.name != "step_size" else None
        weights_entry = entry is not None and re.fullmatch(r"(updated_|dc_d)?w_l\d+", entry.name) is not None
        sizes = trace.sizes
        columns: list[list[Text]] = []
        for l, n in enumerate(sizes):
            if l:
                columns.append(_weights_column(trace, index, l, current == l and weights_entry, compact, weights))
            name, values = latest(trace, index, f"updated_a_l{l}", f"a_l{l}")
            prime = "′" if name and name.startswith("updated") else ""
            is_current = current == l and not weights_entry
            label = "input" if l == 0 else ("output" if l == len(sizes) - 1 else f"layer {l}")
            if not weights:  # the narrowest drawing: short names too
                label = "in" if l == 0 else ("out" if l == len(sizes) - 1 else f"l{l}")
            head = Text(f"▶ {label} ({n})" if is_current else f"  {label} ({n})",
                        style="reverse bold" if is_current else "bold")
            cells = [head]
            sel = selected if current == l else None
            start, stop = _window(n, sel)
            if start:
                cells.append(Text(f"   ⋮ {start} above", style="dim"))
            for j in range(start, stop):
                mark = "›" if sel == j else " "
                if values is None:
                    cells.append(Text(f"{mark}{j:>3} ○"))
                else:
                    a = float(np.asarray(values)[j, 0])
                    cells.append(Text(f"{mark}{j:>3} ● {num(a, 3 if compact else 4)}{prime}",
                                      style="reverse" if (is_current or sel == j) else ""))
            if stop < n:
                cells.append(Text(f"   ⋮ {n - stop} more", style="dim"))
            columns.append(cells)
        _, y = latest(trace, index, "y")
        if y is not None:  # the target beside the output layer, row for row
            start, stop = _window(sizes[-1], selected if current == len(sizes) - 1 else None)
            columns.append([Text("y", style="bold")] + ([Text("")] if start else [])
                           + [Text(num(float(np.asarray(y)[j, 0]))) for j in range(start, stop)])
        widths = [max(c.cell_len for c in col) for col in columns]
        out = Text(no_wrap=True, overflow="crop")
        for r in range(max(len(c) for c in columns)):
            if r:
                out.append("\n")
            for c, (col, width) in enumerate(zip(columns, widths)):
                cell = col[r] if r < len(col) else Text("")
                out.append_text(cell)
                if c < len(columns) - 1:
                    out.append(" " * (width - cell.cell_len + (1 if compact else 2)))
        return out

def _weights_column(trace: Trace, index: int, l: int, highlight: bool, compact: bool = False,
                    numbers: bool = True) -> list[Text]:
    name, w = latest(trace, index, f"updated_w_l{l}", f"w_l{l}")
    j, k = trace.sizes[l], trace.sizes[l - 1]
    style = "reverse bold" if highlight else "dim"
    head = Text(("▶ " if highlight else "  ") + f"w_l{l}" + ("′" if name and "updated" in name else ""), style=style)
    if w is None:
        return [head, Text(f"{j}x{k}")]
    if not numbers:
        return [head, Text(f"{j}x{k} →")]
    if k > SMALL_WEIGHTS or j > SHOWN:
        return [head, Text(f"{j}x{k} ──▶")]
    w = np.asarray(w)
    digits = (3 if k == 1 else 2) if compact else (4 if k == 1 else 3)
    arrow = "→" if compact else " ─▶"
    return [head] + [Text(" ".join(num(float(v), digits) for v in w[r]) + arrow) for r in range(j)]
