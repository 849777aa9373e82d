"""DigitImage: a 28 x 28 image drawn with half blocks, two pixels a cell, or shade characters under NO_COLOR."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

SHADES = " ░▒▓█"     # positive weights under NO_COLOR
INK, FAINT = 0.4, 0.1  # greys under NO_COLOR: a half block from INK up, a light shade from FAINT
NEGATIVE = " ·•●"     # negative weights under NO_COLOR
PLAIN = Style()     # the line filters (NO_COLOR's Monochrome) need a style on every segment
CURSOR = Style(color="rgb(255,190,0)", bgcolor="rgb(255,190,0)")


LEVELS = 64  # colour steps per sign: few enough that the same Style objects come back (Textual caches by style)


def _level(v: float) -> int:
    """v in [-1, 1] as a whole number of steps in [-LEVELS, LEVELS]."""
    return int(round(min(max(v, -1.0), 1.0) * LEVELS))


@lru_cache(maxsize=None)
def _colour(level: int, signed: bool) -> Color:
    """Grey (ink bright) for levels 0..LEVELS; signed: blue for positive, orange-red for negative."""
    t = abs(level) / LEVELS
    if not signed:
        g = int(round(255 * max(t, 0.0)))
        return Color.from_rgb(g, g, g)
    if level >= 0:
        return Color.from_rgb(int(40 * t), int(130 * t), int(255 * t))
    return Color.from_rgb(int(255 * t), int(100 * t), int(20 * t))


@lru_cache(maxsize=None)
def _half_blocks(top: int, bottom: int, signed: bool) -> Style:
    """The style of a ▀ cell: the top pixel's colour in front, the bottom pixel's behind."""
    return Style(color=_colour(top, signed), bgcolor=_colour(bottom, signed))


def downsample(image: np.ndarray, factor: int) -> np.ndarray:
    """Mean of each factor x factor block."""
    if factor == 1:
        return image
    h, w = image.shape
    return image.reshape(h // factor, factor, w // factor, factor).mean(axis=(1, 3))


class DigitImage(Widget):
    """A square image of pixels in [0, 1] (greyscale, ink bright) or in [-1, 1] (signed, diverging)."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text()

    def __init__(self, pixels=None, *, signed: bool = False, scale: int = 1, side: int = 28,
                 caption: str | None = None, name: str | None = None, id: str | None = None,
                 classes: str | None = None):
        """`caption`: a line of text above the image (shown reversed while `selected`)."""
        super().__init__(name=name, id=id, classes=classes)
        self.side = side
        self.signed = signed
        self.scale = scale
        self.caption = caption
        self.selected = False
        self.cursor: tuple[int, int] | None = None  # (row, column) of a highlighted pixel
        self.pixels = np.zeros((side, side))
        if pixels is not None:
            self.show(pixels)
        self.styles.width = side // scale
        self.styles.height = (side // scale + 1) // 2 + (caption is not None)

    def select(self, selected: bool) -> None:
        if selected != self.selected:
            self.selected = selected
            self.refresh()

    def show(self, pixels) -> None:
        """Display new pixels (any shape holding side x side values; uint8 is scaled to [0, 1])."""
        a = np.asarray(pixels)
        a = a / 255.0 if a.dtype == np.uint8 else a.astype(np.float64)
        self.pixels = a.reshape(self.side, self.side)
        self.refresh()

    def refresh(self, *args, **kwargs):
        self._strips: dict[int, Strip] = {}
        return super().refresh(*args, **kwargs)

    @property
    def no_color(self) -> bool:
        return bool(getattr(self.app, "no_color", False))

    def render_line(self, y: int) -> Strip:
        key = (y, self.size.width, self.no_color)
        strips = self.__dict__.setdefault("_strips", {})
        if key not in strips:
            strips[key] = self._line(y)
        return strips[key]

    def _line(self, y: int) -> Strip:
        if self.caption is not None:
            if y == 0:
                text = f"{'▶' if self.selected else ' '} {self.caption}"
                style = Style(bold=True, reverse=True) if self.selected else PLAIN
                return Strip([Segment(text[: self.size.width], style)]).adjust_cell_length(self.size.width, PLAIN)
            y -= 1
        image = downsample(self.pixels, self.scale)
        rows, cols = image.shape
        top_row, bottom_row = 2 * y, 2 * y + 1
        if top_row >= rows:
            return Strip.blank(self.size.width, PLAIN)
        top = image[top_row]
        bottom = image[bottom_row] if bottom_row < rows else np.zeros(cols)
        cursor = self.cursor if self.scale == 1 else None
        segments = []
        if self.no_color:
            for x in range(cols):
                char = self._shade(top[x], bottom[x])
                if cursor and cursor[1] == x and cursor[0] in (top_row, bottom_row):
                    char = "✛"
                segments.append(Segment(char, PLAIN))
        else:
            signed = self.signed
            for x in range(cols):
                style = _half_blocks(_level(top[x]), _level(bottom[x]), signed)
                if cursor and cursor[1] == x and cursor[0] == top_row:
                    style = Style(color=CURSOR.color, bgcolor=style.bgcolor)
                elif cursor and cursor[1] == x and cursor[0] == bottom_row:
                    style = Style(color=style.color, bgcolor=CURSOR.bgcolor)
                segments.append(Segment("▀", style))
        return Strip(segments, cols).adjust_cell_length(self.size.width, PLAIN)

    def _shade(self, top: float, bottom: float) -> str:
        """One cell without colour. Greys: half blocks where a pixel has ink (▀ ▄ █), a light shade
        where there is only a little. Signed: shades for positive, dots for negative, by the mean."""
        if self.signed:
            v = (top + bottom) / 2
            if v < 0:
                return NEGATIVE[min(int(-v * len(NEGATIVE)), len(NEGATIVE) - 1)]
            return SHADES[min(int(v * len(SHADES)), len(SHADES) - 1)]
        ink_top, ink_bottom = top >= INK, bottom >= INK
        if ink_top or ink_bottom:
            return "█" if ink_top and ink_bottom else "▀" if ink_top else "▄"
        return "░" if max(top, bottom) >= FAINT else " "
