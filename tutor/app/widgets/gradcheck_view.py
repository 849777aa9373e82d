"""The gradient check shown digit by digit: the slope from nudging a parameter against backprop's derivative."""

from __future__ import annotations

import re

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from tutor.engine import gradcheck
from tutor.engine.gradcheck import GradientCheck


def agreeing(a: float, b: float) -> tuple[Text, Text]:
    """The two numbers as the REPL prints them, the digits they share in bold green, the rest dim."""
    left, right = repr(a), repr(b)
    width = max(len(left), len(right))
    left, right = left.ljust(width), right.ljust(width)
    same = next((i for i, (p, q) in enumerate(zip(left, right)) if p != q), width)
    return tuple(Text.assemble((s[:same], "bold green"), (s[same:].rstrip(), "dim")) for s in (left, right))


def detail(check: GradientCheck, symbol: str = "w") -> Group:
    """One check, line by line."""
    numeric, backprop = agreeing(check.numeric, check.backprop)
    label = Table.grid(padding=(0, 1))
    label.add_column(no_wrap=True)
    label.add_column(no_wrap=True)
    label.add_row(f"{symbol} + ε = {check.value!r} + {check.epsilon:g}:", f"C = {check.cost_plus!r}")
    label.add_row(f"{symbol} − ε = {check.value!r} − {check.epsilon:g}:", f"C = {check.cost_minus!r}")
    label.add_row("(C(+ε) − C(−ε)) / 2ε =", numeric)
    label.add_row(f"∂C/∂{check.name} (backprop) =", backprop)
    return Group(Text(f"Nudge {check.name} = {check.value!r} by ε = {check.epsilon:g}, run forward, compare:",
                      style="bold"), label,
                 Text(f"They agree to {check.agreeing_figures} significant figures: backprop's number is the slope "
                      "of the cost (the rest is ε's own error, and rounding)."))


def table(checks: list[GradientCheck]) -> Table:
    """Several checks, one a row."""
    grid = Table(box=None, padding=(0, 1), show_edge=False)
    for header in ("parameter", "(C(+ε) − C(−ε)) / 2ε", "∂C/∂p (backprop)", "agree"):
        grid.add_column(header, no_wrap=True)
    for one in checks:
        numeric, backprop = agreeing(one.numeric, one.backprop)
        grid.add_row(one.name, numeric, backprop, f"{one.agreeing_figures} figures")
    return grid


class GradientCheckView(Static):
    """Shows one check in detail, or several as a table."""

    def show(self, checks: list[GradientCheck]) -> None:
        if len(checks) == 1:
            self.update(detail(checks[0], checks[0].name.split("[")[0]))
        else:
            self.update(table(checks))


def parameter_check(spec, quantity: str, epsilon: float) -> GradientCheck:
    """The check of the parameter a lesson names ("w_l2", "w_l2[1][2]", "b_l1[0]") on the lesson's network."""
    m = re.fullmatch(r"([wb])_l(\d+)((?:\[\d+\])*)", quantity.replace(" ", ""))
    param, layer = m.group(1), int(m.group(2))
    index = [int(i) for i in re.findall(r"\d+", m.group(3))] + [0, 0]
    return gradcheck.check(spec.network, spec.input, spec.target, param, layer, index[0], index[1], epsilon)


class GradientCheckPanel(GradientCheckView):
    """A lesson's gradient-check step: the check of the parameter it names, in the stepper's place."""

    DEFAULT_CSS = """
    GradientCheckPanel {
        height: auto;
        border: round $secondary;
        border-title-align: left;
        padding: 0 1;
    }
    """

    def __init__(self, spec, quantity: str, epsilon: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.check = parameter_check(spec, quantity, epsilon)

    def on_mount(self) -> None:
        self.border_title = "gradient check"
        self.show([self.check])
