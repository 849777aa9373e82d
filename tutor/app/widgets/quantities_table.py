"""Every quantity computed so far, with its shape and value (numbers in full, matrices summarised)."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

PLAIN = Style.null()
HEAD = Style(bold=True, underline=True)
LATEST = Style(bold=True, reverse=True)
COLUMNS = ("quantity", "shape", "value")


class QuantitiesTable(ScrollView, can_focus=False):
    """A table drawn with the Line API (a DataTable re-lays out and repaints all rows on every added row, which
    is too slow for a key press). The header stays on the first line; the newest row is marked ▶ and reversed.
    The virtual size is the whole step, so a move only scrolls and repaints this widget."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[tuple[str, ...]] = []
        self.lines: list[str] = []
        self.head = ""
        self.count = 0

    def set_rows(self, rows: list[tuple[str, str, str, str]]) -> None:
        self.rows = [(name, shape, value) for name, _, shape, value in rows]
        self._lay_out()

    def _lay_out(self) -> None:
        """The rows as lines that fit the width: all three columns if they do; else without the shape (the
        value says it: a number, or [a, b] for a column, min/max for a matrix); values still too wide end in …
        (the formula panel and the inspector, i, show them whole)."""
        room = self.scrollable_content_region.width - 2 if self.is_mounted else 10**6
        columns = list(range(len(COLUMNS)))
        widths = [max([len(c)] + [len(r[i]) for r in self.rows]) for i, c in enumerate(COLUMNS)]
        if sum(widths) + 2 * (len(widths) - 1) > room:
            columns = [0, 2]
        used = [widths[i] for i in columns]
        cut = max(8, room - sum(used[:-1]) - 2 * (len(used) - 1))

        def fmt(cells) -> str:
            picked = [cells[i] for i in columns]
            last = picked[-1] if len(picked[-1]) <= cut else picked[-1][: cut - 1] + "…"
            return "  ".join(c.ljust(w) for c, w in zip(picked[:-1] + [last], used)).rstrip()

        self.head = "  " + fmt(COLUMNS)
        self.lines = [fmt(r) for r in self.rows]
        self.virtual_size = Size(max(len(self.head), *(len(s) + 2 for s in self.lines)) if self.lines
                                 else len(self.head), len(self.lines) + 1)

    @property
    def shown_rows(self) -> list[tuple[str, ...]]:
        """The rows on display: one per quantity computed so far."""
        return self.rows[: self.count]

    def show(self, index: int) -> None:
        self.count = index + 1
        self._scroll_to_end()
        self.refresh()

    def _scroll_to_end(self) -> None:
        self.scroll_to(y=max(0, self.count + 1 - self.scrollable_content_region.height), animate=False,
                       immediate=True)

    def on_resize(self) -> None:
        self._lay_out()
        self._scroll_to_end()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        if y == 0:
            strip = Strip([Segment(self.head, HEAD)])
        else:
            n = scroll_y + y - 1
            if n >= self.count:
                return Strip.blank(width, PLAIN)
            latest = n == self.count - 1
            strip = Strip([Segment("▶ " if latest else "  ", PLAIN), Segment(self.lines[n], LATEST if latest else PLAIN)])
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width, PLAIN)
