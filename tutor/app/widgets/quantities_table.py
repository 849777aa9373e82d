"""Every quantity computed so far, with its shape and value (numbers in full, matrices summarised)."""

from __future__ import annotations

from textual.widgets import DataTable


class QuantitiesTable(DataTable, can_focus=False):
    """Rows are added and removed as the stepper moves, never rebuilt for a single step."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.add_columns("quantity", "shape", "value")

    def set_rows(self, rows: list[tuple[str, str, str, str]]) -> None:
        self.all_rows = [(name, shape, value) for name, _, shape, value in rows]
        self.clear()

    def show(self, index: int) -> None:
        have = self.row_count
        want = index + 1
        if want < have - 1 or want > have + 1:
            self.clear()
            have = 0
        while have > want:
            have -= 1
            self.remove_row(str(have))
        while have < want:
            self.add_row(*self.all_rows[have], key=str(have))
            have += 1
        if want:
            self.move_cursor(row=want - 1, animate=False)
