"""ConfusionScreen: the 10 x 10 confusion matrix of the test set; selecting a cell browses its images."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.text import Text
from textual import on
from textual.worker import Worker
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tutor.app.workers import background, failed
from tutor.app.words import network_name
from tutor.engine import digits, training
from tutor.engine.mnist import Mnist
from tutor.engine.network import Network


class ConfusionScreen(Screen):
    """Rows: the true label; columns: the network's answer. The diagonal (marked ✓) is what it got right."""

    CSS_PATH = "confusion.tcss"
    BINDINGS = [
        Binding("enter", "browse", "Browse cell", tooltip="Browse the images of the selected cell",
                id="confusion.browse"),
        Binding("w", "worst", "Worst cell", tooltip="Jump to the most frequent mistake", id="confusion.worst"),
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the menu", id="confusion.back"),
    ]

    def __init__(self, network: Network, data: Mnist, how: str | None = None):
        """`how`: which network it is ("784-30-10 trained in lesson 10"; None: its layer sizes)."""
        super().__init__()
        self.network, self.data = network, data
        self.how = how
        self.predicted: np.ndarray | None = None
        self.counts: np.ndarray | None = None
        self.correct = 0

    def compose(self) -> ComposeResult:
        yield Static(f"Network: {network_name(self.network, self.how)}", id="confusion-network", markup=False)
        yield Static("Classifying the test set…", id="confusion-summary")
        yield DataTable(id="confusion-table", cursor_type="cell", zebra_stripes=True, cell_padding=0)
        yield Static("Rows: the true label. Columns: the network's answer. ✓ marks the diagonal, the "
                     "images it got right. Enter on a cell browses its images; w jumps to the most "
                     "frequent mistake.", id="confusion-help")
        yield Footer()

    def on_mount(self) -> None:
        self.classify()

    @dataclass
    class Classified(Message):
        predicted: np.ndarray
        counts: np.ndarray

    @background(exclusive=True)
    def classify(self) -> None:
        test = self.data.test
        predicted = training.predict(self.network, test.images)
        counts = digits.confusion_matrix(test.labels, predicted, self.network.sizes[-1])
        self.post_message(self.Classified(predicted, counts))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if (line := failed(self, event, "Classifying the test set")) is not None:
            self.query_one("#confusion-summary", Static).update(f"✗ {line}")

    def on_confusion_screen_classified(self, message: Classified) -> None:
        self._show(message.predicted, message.counts)

    def short(self, label: int) -> str:
        name = self.data.label_names[label]
        return str(label) if name == str(label) else f"{label} {name}"

    def _show(self, predicted: np.ndarray, counts: np.ndarray) -> None:
        self.predicted, self.counts = predicted, counts
        self.correct = correct = int(np.trace(counts))  # the diagonal: label and answer agree
        total = int(counts.sum())
        self.query_one("#confusion-summary", Static).update(
            f"The network gets [b]{correct:,} / {total:,}[/b] test images right ({correct / total:.2%}): "
            "the sum of the ✓ diagonal.")
        table = self.query_one(DataTable)
        table.clear(columns=True)
        classes = len(counts)
        width = max(5, len(str(total))) + 1
        table.add_column("true ↓ answer →", key="label")
        for c in range(classes):
            table.add_column(str(c).rjust(width), key=str(c))
        table.add_column("right".rjust(width), key="right")
        for r in range(classes):
            cells = []
            for c in range(classes):
                n = int(counts[r, c])
                if r == c:
                    cells.append(Text(f"✓{n}".rjust(width), style="bold"))
                else:
                    cells.append((str(n) if n else "·").rjust(width))
            row_total = int(counts[r].sum())
            cells.append((f"{counts[r, r] / row_total:.0%}" if row_total else "–").rjust(width))
            table.add_row(self.short(r) + " ", *cells, key=str(r))
        table.move_cursor(row=0, column=1)
        table.focus()

    def cell_images(self, true: int, answer: int) -> np.ndarray:
        """Test-set indices of the images with label `true` that the network answered `answer`."""
        labels = self.data.test.labels
        return np.flatnonzero((labels == true) & (self.predicted == answer))

    @on(DataTable.CellSelected)
    def _selected(self, event: DataTable.CellSelected) -> None:
        self.browse(event.coordinate.row, event.coordinate.column)

    def action_browse(self) -> None:
        table = self.query_one(DataTable)
        self.browse(table.cursor_coordinate.row, table.cursor_coordinate.column)

    def browse(self, row: int, column: int) -> None:
        if self.counts is None:
            return
        answer = column - 1
        if not 0 <= answer < len(self.counts):
            self.notify("Select a cell in one of the answer columns.")
            return
        indices = self.cell_images(row, answer)
        if indices.size == 0:
            self.notify(f"No test image labelled {self.short(row)} was answered {self.short(answer)}.")
            return
        from tutor.app.screens.browser import BrowserScreen

        what = (f"label {self.short(row)} answered {self.short(answer)}" if row != answer
                else f"label {self.short(row)}, answered right")
        self.app.push_screen(BrowserScreen(self.network, self.data, "test", indices, subset=what, how=self.how))

    def action_worst(self) -> None:
        if self.counts is None:
            return
        off = self.counts.copy()
        np.fill_diagonal(off, -1)
        r, c = np.unravel_index(np.argmax(off), off.shape)
        self.query_one(DataTable).move_cursor(row=int(r), column=int(c) + 1)
