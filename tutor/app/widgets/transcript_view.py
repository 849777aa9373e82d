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
    press only scrolls and repaints this widget (no layout): lines not computed yet are blank."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lines: list[str] = []
        self.count = 0
        self.new_from = 0

    def set_lines(self, lines: list[str]) -> None:
        self.lines = lines
        self.virtual_size = Size(max((len(s) for s in lines), default=0) + 2, len(lines))

    @property
    def text(self) -> str:
        """The transcript shown: exactly `trace.transcript(upto=index)`."""
        return "\n".join(self.lines[: self.count])

    def show(self, count: int, new_from: int) -> None:
        self.count, self.new_from = count, new_from
        self._scroll_to_end()
        self.refresh()

    def _scroll_to_end(self) -> None:
        self.scroll_to(y=max(0, self.count - self.scrollable_content_region.height), animate=False, immediate=True)

    def on_resize(self) -> None:
        self._scroll_to_end()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        n = scroll_y + y
        width = self.scrollable_content_region.width
        if n >= self.count:
            return Strip.blank(width, PLAIN)
        new = n >= self.new_from
        segments = [Segment("▶ " if new else "  ", PLAIN), Segment(self.lines[n], NEW if new else PLAIN)]
        return Strip(segments).crop(scroll_x, scroll_x + width).extend_cell_length(width, PLAIN)
