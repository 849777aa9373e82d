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
DIFFERS = Style(bold=True, color="red")
COLUMNS = ("quantity", "shape", "value")
BOTH = ("quantity", "shape", "yours", "engine")  # with the learner's values (tutor check): theirs, then ours


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
        self.columns = COLUMNS
        self.differs: list[bool] = []  # per row: the learner's value differs from the engine's

    def set_rows(self, rows: list[tuple[str, str, str, str]],
                 yours: list[tuple[str, bool | None]] | None = None) -> None:
        """One row per trace entry (symbol, phase, shape, value); with `yours` (the learner's value's text and
        whether it agrees, one per row) a column of theirs before the engine's."""
        if yours is None:
            self.columns, self.differs = COLUMNS, []
            self.rows = [(name, shape, value) for name, _, shape, value in rows]
        else:
            self.columns, self.differs = BOTH, [ok is False for _, ok in yours]
            self.rows = [(name, shape, mine, value) for (name, _, shape, value), (mine, _) in zip(rows, yours)]
        self._lay_out()

    def _lay_out(self) -> None:
        """The rows as lines that fit the width: all columns if they do; else without the shape (the value says
        it: a number, or [a, b] for a column, min/max for a matrix); values still too wide end in … (the formula
        panel and the inspector, i, show them whole). With the learner's column, the two values share the room."""
        room = self.scrollable_content_region.width - 2 if self.is_mounted else 10**6
        names = self.columns
        columns = list(range(len(names)))
        widths = [max([len(c)] + [len(r[i]) for r in self.rows]) for i, c in enumerate(names)]
        if sum(widths) + 2 * (len(widths) - 1) > room:
            columns = [i for i in columns if i != 1]
        used = [widths[i] for i in columns]
        values = 2 if names is BOTH else 1  # the last columns, cut to fit
        share = max(8, (room - sum(used[:-values]) - 2 * (len(used) - 1)) // values)
        if values == 2:
            used[-2] = min(used[-2], share)

        def fmt(cells) -> str:
            picked = [cells[i] for i in columns]
            picked[-values:] = [c if len(c) <= share else c[: share - 1] + "…" for c in picked[-values:]]
            return "  ".join(c.ljust(w) for c, w in zip(picked, used)).rstrip()

        self.head = "  " + fmt(names)
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
            style = LATEST if latest else DIFFERS if self.differs and self.differs[n] else PLAIN
            strip = Strip([Segment("▶ " if latest else "  ", PLAIN), Segment(self.lines[n], style)])
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width, PLAIN)
