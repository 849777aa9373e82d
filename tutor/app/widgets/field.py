"""A labelled input checked as it is typed, its message under it: the one form field of the edit and train forms."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable

from textual import on
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from tutor.errors import InputError
from tutor.numbers import NotANumber


class Field(Vertical):
    """`parse(text)` gives the field's value or raises InputError or NotANumber, whose message is shown under the
    field as "✗ label: message" (said once: a message that starts with the label is not prefixed again).
    `inline`: the label beside the input (the training form) rather than above it (the edit form)."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    def __init__(self, label: str, text: str, parse: Callable[[str], Any], *, input_id: str, error_id: str,
                 inline: bool = False, name: str | None = None) -> None:
        super().__init__(classes="-inline" if inline else "")
        self.label, self.text, self.parse, self.inline = label, text, parse, inline
        self.input_id, self.error_id = input_id, error_id
        self.what = name or label.split(" (")[0]  # how messages name the field

    def compose(self):
        if self.inline:
            with Horizontal(classes="field-row"):
                yield Label(self.label)
                yield Input(self.text, id=self.input_id)
        else:
            yield Label(self.label)
            yield Input(self.text, id=self.input_id)
        yield Static("", id=self.error_id, classes="field-error", markup=False)

    @property
    def value_text(self) -> str:
        return self.query_one(Input).value

    def check(self) -> Any | None:
        """The parsed value, its message cleared; None with the message shown when the text is not valid."""
        try:
            value = self.parse(self.value_text)
        except (InputError, NotANumber) as e:
            self.show_error(str(e))
            return None
        self.show_error(None)
        return value

    def show_error(self, message: str | None) -> None:
        """Show "✗ label: message" under the field (a problem found by what uses its value), or None to clear it."""
        error = self.query_one(f"#{self.error_id}", Static)
        if message is not None and not message.startswith(f"{self.what}: "):
            message = f"{self.what}: {message}"
        error.update("" if message is None else f"✗ {message}")
        error.set_class(message is not None, "shown")

    @on(Input.Changed)
    def _changed(self) -> None:
        self.check()


def check_fields(fields: Iterable[Field], notify: Callable[..., None]) -> list | None:
    """Every field's value (each message shown), or None with one notification when some need fixing."""
    values = [field.check() for field in fields]
    if any(v is None for v in values):
        notify("Some fields need fixing (see the ✗ messages).", severity="error")
        return None
    return values
