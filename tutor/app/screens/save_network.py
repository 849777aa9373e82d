"""Where to save a network: a path field with its default shown; Enter saves, Esc cancels, a problem is one line."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tutor.app.widgets.field import Field
from tutor.errors import InputError

DEFAULT_NAME = "tutor-network.npz"


def save_path(text: str) -> Path:
    """The file a typed path names: `~` expanded, `.npz` added to a name without a suffix; InputError for
    nothing typed, a directory (the message shows a file name in it) or a file in a directory that is not there."""
    text = text.strip()
    if not text:
        raise InputError(f"type a file name, e.g. {DEFAULT_NAME}")
    path = Path(text).expanduser()
    if path.is_dir():
        raise InputError(f"{text}: a directory, not a file name (e.g. {path / DEFAULT_NAME})")
    if not path.parent.is_dir():
        raise InputError(f"{path.parent}: no such directory")
    return path if path.suffix else path.with_name(path.name + ".npz")


class SaveNetworkScreen(ModalScreen[Path | None]):
    """Dismisses with the path saved to, or None when cancelled. `save(path)` writes the file (InputError: why
    it cannot, shown under the field, the dialog staying open); `where` says where the default is, in words."""

    CSS_PATH = "save_network.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving", id="save.cancel"),
    ]

    def __init__(self, default: str, save: Callable[[Path], Path], where: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.default, self.save, self.where = default, save, where

    def compose(self):
        with Vertical(id="save-dialog"):
            yield Static("[b]Save the network[/b] (weights and biases, .npz)", id="save-title")
            yield Field("save to", self.default, save_path, input_id="save-path", error_id="save-error")
            yield Static(self.note(self.default), id="save-note", markup=False)

    def on_mount(self) -> None:
        self.query_one("#save-dialog").border_subtitle = "Enter saves · Esc cancels"

    def note(self, text: str) -> str:
        """What Enter will do: replace a file that exists, or write where the default is."""
        try:
            path = save_path(text)
        except InputError:
            return ""
        if path.exists():
            return f"{path.name} exists: Enter replaces it."
        return self.where if text == self.default else ""

    @on(Input.Changed, "#save-path")
    def _changed(self, event: Input.Changed) -> None:
        self.query_one("#save-note", Static).update(self.note(event.value))

    @on(Input.Submitted, "#save-path")
    def _submitted(self) -> None:
        field = self.query_one(Field)
        path = field.check()
        if path is None:
            return
        try:
            saved = self.save(path)
        except InputError as e:
            field.show_error(str(e))
            return
        self.dismiss(saved)

    def action_cancel(self) -> None:
        self.dismiss(None)
