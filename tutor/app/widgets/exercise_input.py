"""The answer box: an Input that takes any text the learner types (letters too: `a` as an option, `2^-3`, `nan`)."""

from __future__ import annotations

from textual.widgets import Input


class AnswerInput(Input):
    """Every printable key goes into the box and is read when Enter is pressed; the lesson's commands use keys
    that cannot be typed (F2, F3, Esc) while it has the focus, and their letters once it has not."""
