"""After an edit: what the change did to every number of the step, before → after, the largest changes first."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tutor.app.format import num, symbol
from tutor.engine.compare import Change, summary


def _symbol(label: str) -> str:
    name, bracket, index = label.partition("[")
    return symbol(name) + bracket + index


class ChangesScreen(ModalScreen[None]):
    """One line of what was changed and what it did to the cost, then a table of every number that moved."""

    CSS_PATH = "changes.tcss"
    BINDINGS = [Binding("escape,enter", "close", "Close", tooltip="Back to the stepper (the step starts again)",
                        id="changes.close")]

    def __init__(self, found: list[Change]) -> None:
        super().__init__()
        self.found = found

    def compose(self):
        with Vertical(id="changes-box"):
            yield Static(f"[b]What the change did[/b] · {summary(self.found)}", id="changes-summary", markup=True)
            yield DataTable(id="changes-table", cursor_type="row", zebra_stripes=True)
            yield Static("The numbers you set first, then the costs, then every other number by the size of its "
                         "change; 'because' names what it is computed from that changed. Esc: back to the stepper, "
                         "where the step starts again.", id="changes-help")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("quantity", "before", "after", "Δ", "because")
        for change in self.found:
            table.add_row(_symbol(change.name), num(change.before), num(change.after),
                          ("+" if change.delta > 0 else "") + num(change.delta),
                          "you set it" if change.given else ", ".join(symbol(b) for b in change.because))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
