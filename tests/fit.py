"""What of ours a screen cuts: text wider than the widget that shows it, with no wrap and no way to see the rest.
Allowed: text that wraps, a table (DataTable) the learner scrolls, a summary that ends in … on purpose."""

from __future__ import annotations

from rich.text import Text
from textual.scroll_view import ScrollView
from textual.widgets import DataTable, Footer, Log

OURS = "tutor."


def cut(screen) -> list[str]:
    """Every piece of text of ours on `screen` that does not fit where it is shown."""
    found = []
    for w in screen.query("*"):
        if not w.display or not w.region.width or not w.region.height:
            continue
        name = f"{type(w).__name__}#{w.id}"
        ours = type(w).__module__.startswith(OURS)
        if isinstance(w, Footer):
            if w.virtual_size.width > w.size.width:
                keys = " ".join(f"{k.key_display} {k.description}".strip() for k in w.query("FooterKey"))
                found.append(f"{name}: its keys need {w.virtual_size.width} columns, it has {w.size.width}: {keys}")
        elif isinstance(w, Log):
            width = w.scrollable_content_region.width
            long = [line for line in w.lines if len(line) > width]
            if long:
                found.append(f"{name}: {len(long)} lines wider than {width}, e.g. {long[0][:50]!r}")
        elif isinstance(w, ScrollView) and ours and not isinstance(w, DataTable):
            if w.virtual_size.width > w.scrollable_content_region.width + 1:
                found.append(f"{name}: {w.virtual_size.width} columns of text in {w.scrollable_content_region.width}")
        drawn = getattr(w, "drawn", None)
        if drawn is not None:
            widest = max(len(line) for line in drawn.split("\n"))
            if widest > w.content_region.width:
                found.append(f"{name}: a drawing {widest} wide in {w.content_region.width}")
        if w.border_title and ours or w.border_title and type(w.parent).__module__.startswith(OURS):
            title = Text.from_markup(str(w.border_title)).plain
            if len(title) + 4 > w.outer_size.width and not title.endswith("…"):
                found.append(f"border title of {name}: {title!r} in {w.outer_size.width} columns")
    return found


def settled(screen) -> bool:
    """Whether the screen shows what it will show: no lesson footer waiting to be rebuilt, no help panel
    squeezing it (the keys panel of ? takes a third of the width while it is open)."""
    return not screen.query("HelpPanel") and not any(f._pending for f in screen.query("LessonFooter"))
