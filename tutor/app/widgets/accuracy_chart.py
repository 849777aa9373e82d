"""The test accuracy after each epoch: the last few in words, then bars with their scale (the y range in %, beside
them, and the epochs, under them), since the bars run from the lowest accuracy to the highest, not from 0%."""

from __future__ import annotations

from pathlib import Path

from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Sparkline, Static

SHOWN = 4  # the accuracies written out (the chart shows them all)


def percent(value: float) -> str:
    return f"{100 * value:.2f}%"


def summary(accuracy: list[float]) -> str:
    """The last SHOWN accuracies, after an ellipsis when there are more."""
    shown = [percent(a) for a in accuracy[-SHOWN:]]
    if len(accuracy) > SHOWN:
        shown.insert(0, "…")
    return f"test accuracy per epoch: {', '.join(shown)}"


def y_scale(accuracy: list[float], height: int) -> str:
    """The labels beside the bars, one a line: the highest accuracy at the top, the lowest at the bottom (the
    bars' range); one value, or all equal, only at the top (every bar is full)."""
    if not accuracy:
        return ""
    high, low = max(accuracy), min(accuracy)
    lines = [percent(high)] + [""] * (height - 1)
    if low != high and height > 1:
        lines[-1] = percent(low)
    return "\n".join(lines)


def x_scale(accuracy: list[float]) -> tuple[str, str]:
    """The labels under the bars: the first epoch at the left, the last at the right (numbered from 0, as the
    epoch lines are)."""
    if not accuracy:
        return "", ""
    return "epoch 0", (f"epoch {len(accuracy) - 1}" if len(accuracy) > 1 else "")


class AccuracyChart(Vertical):
    """show(accuracies) draws the chart of a run so far; show([]) empties it."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    HEIGHT = 3  # the bars' lines

    def compose(self):
        yield Label("test accuracy per epoch:", id="accuracy-label")
        with Horizontal(id="accuracy-chart"):
            yield Static("", id="accuracy-y")
            yield Sparkline([], id="accuracy")
        with Horizontal(id="accuracy-x"):
            yield Label("", id="accuracy-first")
            yield Label("", id="accuracy-last")

    def show(self, accuracy: list[float]) -> None:
        accuracy = list(accuracy)
        self.query_one("#accuracy-label", Label).update(summary(accuracy))
        self.query_one("#accuracy-y", Static).update(y_scale(accuracy, self.HEIGHT))
        self.query_one("#accuracy", Sparkline).data = accuracy
        first, last = x_scale(accuracy)
        self.query_one("#accuracy-first", Label).update(first)
        self.query_one("#accuracy-last", Label).update(last)
