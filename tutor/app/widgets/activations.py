"""Activations: the ten output activations as a bar chart, the answer and the label marked in words."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from textual.markup import escape
from textual.widgets import Static

EIGHTHS = " ▏▎▍▌▋▊▉█"


def bar(value: float, width: int) -> str:
    """A horizontal bar of `width` cells filled in proportion to value in [0, 1], to an eighth of a cell."""
    eighths = int(round(min(max(value, 0.0), 1.0) * width * 8))
    full, part = divmod(eighths, 8)
    return ("█" * full + (EIGHTHS[part] if part else "")).ljust(width)


class Activations(Static):
    """One row per output neuron: its class, a bar, its activation; '◀ answer' on the largest, '● label'
    on the true class (when known), so nothing depends on colour."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text()

    def __init__(self, label_names=tuple(str(d) for d in range(10)), *, bar_width: int = 20,
                 id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.label_names = tuple(label_names)
        self.bar_width = bar_width
        self.values: np.ndarray | None = None

    def show(self, activations, label: int | None = None) -> None:
        self.values = np.asarray(activations, dtype=np.float64).ravel()
        answer = int(np.argmax(self.values))
        named = any(n != str(j) for j, n in enumerate(self.label_names))
        name_width = max(len(n) for n in self.label_names)
        lines = []
        for j, v in enumerate(self.values):
            name = self.label_names[j] if j < len(self.label_names) else str(j)
            name = escape(f"{j} {name:<{name_width}}" if named else f"{j}")
            line = f"{name} [$accent]{bar(v, self.bar_width)}[/] {v:.4f}"
            if j == answer:
                line = f"[bold]{line} ◀ answer[/]"
            if label is not None and j == label:
                line += " [italic]● label[/]"
            lines.append(line)
        self.update("\n".join(lines))
