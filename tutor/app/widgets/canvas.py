"""Canvas: a 28 x 28 drawing surface; drag the mouse, or move a cursor with the arrows and paint with space."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from textual import events
from textual.binding import Binding
from textual.message import Message

from tutor.app.widgets.digit import DigitImage
from tutor.engine.digits import brush, stroke


class Canvas(DigitImage, can_focus=True):
    """Ink in [0, 1], bright on dark like MNIST. A cell holds two pixels, one above the other, so a
    mouse position (x, y) paints at pixel row 2y + 0.5, column x; the keyboard cursor is one pixel."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text()

    BINDINGS = [
        Binding("up", "move(-1, 0)", "Cursor up", show=False, id="canvas.up"),
        Binding("down", "move(1, 0)", "Cursor down", show=False, id="canvas.down"),
        Binding("left", "move(0, -1)", "Cursor left", show=False, id="canvas.left"),
        Binding("right", "move(0, 1)", "Cursor right", show=False, id="canvas.right"),
        Binding("space,enter", "paint", "Paint", tooltip="Paint a dab at the cursor", id="canvas.paint"),
        Binding("p", "toggle_pen", "Pen down/up", tooltip="While the pen is down, moving the cursor paints",
                id="canvas.pen"),
        Binding("c", "clear", "Clear", tooltip="Erase the whole drawing", id="canvas.clear"),
    ]

    @dataclass
    class Changed(Message):
        """The drawing changed; pixels is a copy (28 x 28, ink in [0, 1])."""

        canvas: "Canvas"
        pixels: np.ndarray

        @property
        def control(self) -> "Canvas":
            return self.canvas

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.cursor = (self.side // 2, self.side // 2)
        self.pen_down = False
        self._last: tuple[float, float] | None = None

    # -- drawing ---------------------------------------------------------------------------

    def _changed(self) -> None:
        self.refresh()
        self.post_message(self.Changed(self, self.pixels.copy()))

    def paint_at(self, row: float, col: float) -> None:
        brush(self.pixels, row, col)
        self._changed()

    def clear(self) -> None:
        self.pixels = np.zeros((self.side, self.side))
        self._changed()

    # -- keyboard ----------------------------------------------------------------------------

    def action_move(self, d_row: int, d_col: int) -> None:
        row, col = self.cursor
        self.cursor = (min(max(row + d_row, 0), self.side - 1), min(max(col + d_col, 0), self.side - 1))
        if self.pen_down:
            stroke(self.pixels, (row, col), self.cursor)
            self._changed()
        else:
            self.refresh()

    def action_paint(self) -> None:
        self.paint_at(*self.cursor)

    def action_toggle_pen(self) -> None:
        self.pen_down = not self.pen_down
        if self.pen_down:
            self.action_paint()
        self.notify("Pen down: moving the cursor paints" if self.pen_down else "Pen up", timeout=2)

    def action_clear(self) -> None:
        self.clear()

    # -- mouse -------------------------------------------------------------------------------

    def _position(self, event: events.MouseEvent) -> tuple[float, float]:
        offset = event.get_content_offset_capture(self)
        col = min(max(offset.x, 0), self.side - 1)
        row = min(max(2 * offset.y + 0.5, 0.5), self.side - 1.5)
        return row, col

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self.focus()
        self.capture_mouse()
        self._last = self._position(event)
        self.paint_at(*self._last)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._last is None:
            return
        here = self._position(event)
        stroke(self.pixels, self._last, here)
        self._last = here
        self._changed()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._last is not None:
            self._last = None
            self.release_mouse()
