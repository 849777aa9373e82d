"""The current operation: the formula in symbols, then with the numbers filled in, then the tracer's result."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tutor.app.format import Formula

PLAIN = Style.null()
BOLD = Style(bold=True)
ITALIC = Style(italic=True)
DIM = Style(dim=True)
NEURON_LINES = 14  # room kept for the selected neuron's quantities


class FormulaPanel(ScrollView, can_focus=False):
    """Shows one Formula and below it what the selected neuron has computed so far. Drawn with the Line API
    and sized once per trace (the longest formula plus room for a neuron), so a key press never re-lays out
    the screen."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lines: list[tuple[str, Style | None]] = []

    def size_for(self, formulas: list[Formula], neurons: bool = True) -> None:
        """Make room for the longest of `formulas` (call once per trace), and for a neuron's lines if `neurons`."""
        rendered = [self.layout_lines(f) for f in formulas]
        height = max((len(r) for r in rendered), default=1) + (NEURON_LINES if neurons else 0)
        width = max((len(t) for r in rendered for t, _ in r), default=0) + 1
        self.virtual_size = Size(width, height)

    @staticmethod
    def layout_lines(formula: Formula | None, neuron: str = "") -> list[tuple[str, Style | None]]:
        if formula is None:
            lines = [("Press Space to compute the first quantity.", ITALIC)]
        else:
            lines = [(formula.symbols, BOLD)]
            if formula.numbers:
                lines.append(("  " + formula.numbers, None))
            lines.append(("  " + formula.result, BOLD))
            lines += [(line, None) for line in formula.value_text.splitlines()]
            if formula.where:
                lines.append(("where", DIM))
                lines += [("  " + w, DIM) for w in formula.where]
            if formula.code:
                lines.append((formula.code, DIM))
        if neuron:
            lines.append(("", None))
            lines += [(line, None) for line in neuron.splitlines()]
        return lines

    @property
    def text(self) -> str:
        return "\n".join(t for t, _ in self.lines)

    def show(self, formula: Formula | None, neuron: str = "") -> None:
        self.lines = self.layout_lines(formula, neuron)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        n = scroll_y + y
        if n >= len(self.lines):
            return Strip.blank(width, PLAIN)
        text, style = self.lines[n]
        return Strip([Segment(" " + text, style or PLAIN)]).crop(scroll_x, scroll_x + width).extend_cell_length(width, PLAIN)
