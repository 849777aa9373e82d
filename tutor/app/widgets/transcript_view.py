"""The article's REPL session through the current entry, newest lines marked ▶, scrolled to the end."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

PLAIN = Style.null()
NEW = Style(bold=True, reverse=True)


class TranscriptView(ScrollView, can_focus=False):
    """Line API view over the precomputed lines of the whole step. Its virtual size is the whole step, so a key
    press only scrolls and repaints this widget (no layout): lines not computed yet are blank. A line wider than
    the view wraps onto the next rows (indented), so nothing is cut."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lines: list[str] = []
        self.count = 0
        self.new_from = 0
        self.rows: list[tuple[int, str]] = []  # (the line it shows part of, its text), as wrapped to the width
        self.first_row: list[int] = [0]       # first_row[n]: the first row of line n (and the row count at the end)

    def set_lines(self, lines: list[str]) -> None:
        self.lines = lines
        self._wrap()

    def _wrap(self) -> None:
        width = max(8, self.scrollable_content_region.width - 2) if self.is_mounted else 10**6
        self.rows, self.first_row = [], []
        for n, line in enumerate(self.lines):
            self.first_row.append(len(self.rows))
            rest, first = line, True
            while len(rest) > (width if first else width - 2):
                room = width if first else width - 2
                self.rows.append((n, rest[:room] if first else "  " + rest[:room]))
                rest, first = rest[room:], False
            self.rows.append((n, rest if first else "  " + rest))
        self.first_row.append(len(self.rows))
        self.virtual_size = Size(min(width + 2, max((len(t) for _, t in self.rows), default=0) + 2), len(self.rows))

    @property
    def text(self) -> str:
        """The transcript shown: exactly `trace.transcript(upto=index)`."""
        return "\n".join(self.lines[: self.count])

    def show(self, count: int, new_from: int) -> None:
        self.count, self.new_from = count, new_from
        self._scroll_to_end()
        self.refresh()

    def _scroll_to_end(self) -> None:
        shown = self.first_row[min(self.count, len(self.first_row) - 1)]
        self.scroll_to(y=max(0, shown - self.scrollable_content_region.height), animate=False, immediate=True)

    def on_resize(self) -> None:
        self._wrap()
        self._scroll_to_end()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y
        width = self.scrollable_content_region.width
        if row >= len(self.rows) or self.rows[row][0] >= self.count:
            return Strip.blank(width, PLAIN)
        n, text = self.rows[row]
        new = n >= self.new_from
        mark = ("▶ " if new else "  ") if row == self.first_row[n] else "  "
        segments = [Segment(mark, PLAIN), Segment(text, NEW if new else PLAIN)]
        return Strip(segments).crop(scroll_x, scroll_x + width).extend_cell_length(width, PLAIN)
