"""The answer box: an Input that takes numbers and lets letter keys (h, n, p, a...) reach the screen's bindings."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

ANSWER_CHARACTERS = set("0123456789.,+-eE/ −")


class AnswerInput(Input):
    """Typing a number goes into the box; any other printable key is left to the lesson screen's bindings."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character is not None and character in ANSWER_CHARACTERS

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character not in ANSWER_CHARACTERS:
            event.prevent_default()  # not ours: let it bubble up to the bindings
