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
KINDS = {"head": Style(bold=True, underline=True), "plain": None, "ok": Style(bold=True, color="green"),
         "bad": Style(bold=True, color="red")}  # the learner's value beside the engine's (tutor.app.yours)
NEURON_LINES = 14  # room kept for the selected neuron's quantities


def wrap(lines: list[tuple[str, Style | None]], width: int) -> list[tuple[str, Style | None]]:
    """Each line cut into pieces of at most `width` characters at spaces where it can, the pieces after the first
    indented by two."""
    out = []
    for text, style in lines:
        rest, first = text, True
        while len(rest) > width:
            room = width if first else width - 2
            cut = rest.rfind(" ", 1, room + 1)
            cut = cut if cut > room // 3 else room
            out.append(((rest[:cut] if first else "  " + rest[:cut]).rstrip(), style))
            rest, first = rest[cut:].lstrip(), False
        out.append((rest if first else "  " + rest, style))
    return out


class FormulaPanel(ScrollView, can_focus=False):
    """Shows one Formula and below it what the selected neuron has computed so far. Drawn with the Line API;
    a line wider than the panel wraps (its continuation indented), so no text is cut. Sized once per trace (the
    longest formula plus room for a neuron), and grown only when a wrapped text needs more, so a key press does not
    re-lay out the screen."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.raw: list[tuple[str, Style | None]] = []
        self.lines: list[tuple[str, Style | None]] = []
        self._height = 1

    def size_for(self, formulas: list[Formula], neurons: bool = True, more: int = 0) -> None:
        """Make room for the longest of `formulas` (call once per trace), for a neuron's lines if `neurons`, and
        for `more` lines (the learner's value beside the engine's)."""
        rendered = [self.layout_lines(f) for f in formulas]
        self._height = max((len(r) for r in rendered), default=1) + (NEURON_LINES if neurons else 0) + more
        self._fit()

    def _fit(self) -> None:
        """Wrap the lines to the panel's width; grow the scrollable height if they need more."""
        width = max(10, self.scrollable_content_region.width - 1) if self.is_mounted else 0
        self.lines = wrap(self.raw, width) if width else list(self.raw)
        height = max(self._height, len(self.lines))
        if self.virtual_size.height != height or self.virtual_size.width != width + 1:
            self.virtual_size = Size(width + 1, height)

    def on_resize(self) -> None:
        self._fit()

    @staticmethod
    def layout_lines(formula: Formula | None, neuron: str = "",
                     yours: list[tuple[str, str]] = ()) -> list[tuple[str, Style | None]]:
        if formula is None:
            lines = [("Press Space to compute the first quantity.", ITALIC)]
        else:
            lines = [(formula.symbols, BOLD)]
            if formula.numbers:
                lines.append(("  " + formula.numbers, None))
            lines.append(("  " + formula.result, BOLD))
            if yours:  # right below the engine's result, so it is in sight at 80x24
                lines += [(text, KINDS[kind]) for text, kind in yours]
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
        """What is shown, each line whole (before wrapping)."""
        return "\n".join(t for t, _ in self.raw)

    def show(self, formula: Formula | None, neuron: str = "", yours: list[tuple[str, str]] = ()) -> None:
        """`yours`: lines comparing the learner's value with the engine's (tutor.app.yours.comparison), each with
        its kind ("head", "plain", "ok", "bad")."""
        self.raw = self.layout_lines(formula, neuron, yours)
        self._fit()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        n = scroll_y + y
        if n >= len(self.lines):
            return Strip.blank(width, PLAIN)
        text, style = self.lines[n]
        return Strip([Segment(" " + text, style or PLAIN)]).crop(scroll_x, scroll_x + width).extend_cell_length(width, PLAIN)
