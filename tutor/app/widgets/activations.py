"""Activations: the ten output activations as a bar chart, the answer and the label marked in words."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from textual.markup import escape
from textual.widgets import Static

EIGHTHS = " ▏▎▍▌▋▊▉█"
ANSWER, LABEL = " ◀ answer", " ● label"
SHORTEST_BAR = 4  # the bars give up width for the marks down to this (below it the marks are cut)


def bar(value: float, width: int) -> str:
    """A horizontal bar of `width` cells filled in proportion to value in [0, 1], to an eighth of a cell."""
    eighths = int(round(min(max(value, 0.0), 1.0) * width * 8))
    full, part = divmod(eighths, 8)
    return ("█" * full + (EIGHTHS[part] if part else "")).ljust(width)


class Activations(Static):
    """One row per output neuron: its class, a bar, its activation; '◀ answer' on the largest, '● label'
    on the true class (when known), so nothing depends on colour. The bars are `bar_width` cells, or fewer
    when the widget is narrower than a row with both marks (a browser at 80 columns, Fashion-MNIST's names)."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text()

    def __init__(self, label_names=tuple(str(d) for d in range(10)), *, bar_width: int = 20,
                 id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.label_names = tuple(label_names)
        self.bar_width = bar_width
        self.values: np.ndarray | None = None
        self.label: int | None = None

    def show(self, activations, label: int | None = None) -> None:
        self.values = np.asarray(activations, dtype=np.float64).ravel()
        self.label = label
        self._draw()

    def on_resize(self) -> None:
        if self.values is not None:
            self._draw()

    def _draw(self) -> None:
        answer = int(np.argmax(self.values))
        named = any(n != str(j) for j, n in enumerate(self.label_names))
        name_width = max(len(n) for n in self.label_names)
        names = [self.label_names[j] if j < len(self.label_names) else str(j) for j in range(len(self.values))]
        names = [f"{j} {name:<{name_width}}" if named else f"{j}" for j, name in enumerate(names)]
        # a row: name, bar, value (0.1234), then the marks; the widest one holds both (the answer is the label)
        rest = max(map(len, names)) + 1 + 1 + 6 + len(ANSWER) + (len(LABEL) if self.label is not None else 0)
        width = self.content_size.width  # 0 until laid out: the full bars, redrawn on the first resize
        bar_width = min(self.bar_width, max(SHORTEST_BAR, width - rest)) if width else self.bar_width
        lines = []
        for j, v in enumerate(self.values):
            line = f"{escape(names[j])} [$accent]{bar(v, bar_width)}[/] {v:.4f}"
            if j == answer:
                line = f"[bold]{line}{ANSWER}[/]"
            if self.label is not None and j == self.label:
                line += f" [italic]{LABEL.strip()}[/]"
            lines.append(line)
        self.update("\n".join(lines))
