"""Work left for after the next repaint, done only if its widget's screen is still open by then."""

from __future__ import annotations

from inspect import isawaitable
from typing import Callable

from textual.widget import Widget


def after_refresh(widget: Widget, callback: Callable[[], object]) -> None:
    """Run `callback` after the next repaint, unless `widget`'s screen has left the screen stack meanwhile (Esc,
    then the repaint: a closing screen's widgets are removed before it is, so their own state cannot tell).
    Everything in the app that waits for a repaint goes through here; a worker reports by message instead,
    which a closed screen simply does not receive."""
    screen = widget.screen

    async def run() -> None:
        if screen in widget.app.screen_stack and widget.is_attached:
            result = callback()
            if isawaitable(result):
                await result

    widget.call_after_refresh(run)
