"""The current operation: the formula in symbols, then with the numbers filled in, then the tracer's result."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tutor.app.format import Formula


class FormulaPanel(Static):
    """Shows one Formula, and below it what the selected neuron has computed so far."""

    def show(self, formula: Formula | None, neuron: str = "") -> None:
        text = Text()
        if formula is None:
            text.append("Press Space to compute the first quantity.", style="italic")
        else:
            text.append(formula.symbols, style="bold")
            if formula.numbers:
                text.append("\n  " + formula.numbers)
            text.append("\n  " + formula.result, style="bold")
            if formula.value_text:
                text.append("\n" + formula.value_text)
        if neuron:
            text.append("\n\n" + neuron)
        self.update(text)
