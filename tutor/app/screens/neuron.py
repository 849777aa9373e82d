"""NeuronScreen: one neuron of the stepper in full: its numbers so far and its whole incoming row, exactly."""

from __future__ import annotations

from itertools import islice

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tutor.app.later import after_refresh
from tutor.app.format import incoming_columns, neuron_scalars, symbol
from tutor.app.screens.hidden import signed_image
from tutor.app.widgets.digit import DigitImage
from tutor.engine.trace import Trace

IMAGE_INPUTS = 784  # a row this long is also drawn as a 28 x 28 image
CHUNK = 100  # table rows added between two repaints


class Number:
    """A table cell: the tracer's number and its exact text. Measured by its length alone: the DataTable
    measures every cell it is given, and a rich Text costs ~30 µs a measure (~0.25 s for 784 rows)."""

    __slots__ = ("value", "text")

    def __init__(self, value: float, text: str) -> None:
        self.value, self.text = value, text

    def __str__(self) -> str:
        return self.text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(len(self.text), len(self.text))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text(self.text, no_wrap=True, overflow="ellipsis", end="")


class NeuronScreen(Screen):
    """Neuron j of `layer` as the stepper has it at entry `index`: z, a, ∂C/∂a, b, ∂C/∂b and the updated values
    computed so far, and a table with one row per incoming k (a_prev[k], ∂C/∂w[j,k], w[j,k], w'[j,k]), every
    number the tracer's repr. Nothing the stepper has not reached yet is shown."""

    CSS_PATH = "neuron.tcss"
    BINDINGS = [
        Binding("s", "sort", "Sort by |∂C/∂w|", tooltip="Sort the rows by |∂C/∂w|, largest first, or back by k",
                id="neuron.sort"),
        Binding("v", "images", "Images", tooltip="Show or hide the 28x28 images (the table gets their width)",
                id="neuron.images"),
        Binding("escape", "close", "Back to the stepper", tooltip="Close the neuron inspector", id="neuron.close"),
    ]

    def __init__(self, trace: Trace, index: int, layer: int, j: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.trace, self.index, self.neuron_layer, self.j = trace, index, layer, j
        self.incoming = incoming_columns(trace, index, layer, j)
        self.by_gradient = False

    @property
    def gradient(self):
        """The ∂C/∂w column, or None before the stepper has computed it."""
        return next((c for c in self.incoming if c.name.startswith("dc_dw_")), None)

    def compose(self) -> ComposeResult:
        trace, layer, j = self.trace, self.neuron_layer, self.j
        sizes = "-".join(map(str, trace.sizes))
        where = f"at {symbol(trace[self.index].name)} ({self.index + 1}/{len(trace)})"
        yield Static(f"Neuron {j} of layer {layer} of {sizes}, {where}", id="neuron-title")
        with Horizontal(id="neuron-body"):
            with Vertical(id="neuron-left"):
                yield Static(self.scalars_text(), id="neuron-scalars")
                yield Static(id="neuron-order")
                yield DataTable(id="neuron-table", zebra_stripes=True, cursor_type="row")
            if trace.sizes[layer - 1] == IMAGE_INPUTS:
                with VerticalScroll(id="neuron-images"):
                    # ∂C/∂w first once computed: the row the step is about (a_prev times ∂C/∂b, the digit itself)
                    for column in sorted(self.incoming, key=lambda c: not c.name.startswith("dc_dw_")):
                        if column.name.startswith(("w_", "dc_dw_")):
                            image, scale = signed_image(column.values)
                            caption = f"{column.header.replace(',k]', ',·]')} ±{scale:.3g}"
                            yield DigitImage(image, signed=True, caption=caption, classes="neuron-image")
                    yield Static(id="neuron-legend")
        yield Footer()

    def scalars_text(self) -> str:
        done, later = neuron_scalars(self.trace, self.index, self.neuron_layer, self.j)
        lines = [f"{sym} = {text}" for sym, text in done]
        if later:
            lines.append("not computed yet: " + ", ".join(later))
        return "\n".join(lines)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("k", key="k")
        for column in self.incoming:
            table.add_column(column.header, key=column.name)
        columns = [list(zip(column.values.tolist(), column.texts)) for column in self.incoming]
        self._pending = ([Number(k, str(k)), *(Number(*c[k]) for c in columns)] for k in range(self.row_total))
        self.fill()
        if self.query("#neuron-legend"):
            plus, minus = ("█", "●") if self.app.no_color else ("blue", "orange")
            self.query_one("#neuron-legend", Static).update(
                f"28x28: {plus} positive, {minus} negative, strongest from |v| ≥ the ± value up")
        self.show_order()
        table.focus()

    @property
    def row_total(self) -> int:
        return self.trace.sizes[self.neuron_layer - 1]

    @property
    def filled(self) -> bool:
        """Whether the table holds every incoming row (784 rows go in CHUNK at a time, between repaints)."""
        return self.query_one(DataTable).row_count == self.row_total

    def fill(self) -> None:
        """Add the next CHUNK rows; again after the next repaint until all are in. DataTable measures every
        cell it is given (~0.3 ms a row), so 784 rows at once would hold up the screen ~0.25 s."""
        self.query_one(DataTable).add_rows(islice(self._pending, CHUNK))
        if not self.filled:
            after_refresh(self, self.fill)
        elif self.by_gradient:
            self.sort_rows()

    def show_order(self) -> None:
        count = self.trace.sizes[self.neuron_layer - 1]
        gradient = self.gradient
        if gradient is None:
            order = f"{count} incoming rows by k (∂C/∂w comes later in the step)"
        elif self.by_gradient:
            order = f"{count} incoming rows, largest |{symbol(gradient.name)}| first (s: by k)"
        else:
            order = f"{count} incoming rows by k (s: by |{symbol(gradient.name)}|)"
        self.query_one("#neuron-order", Static).update(order)

    def action_sort(self) -> None:
        gradient = self.gradient
        if gradient is None:
            self.notify(f"{symbol(f'dc_dw_l{self.neuron_layer}')} is not computed yet at this point of the step.")
            return
        self.by_gradient = not self.by_gradient
        if self.filled:  # otherwise fill() sorts once the last rows are in
            self.sort_rows()
        self.show_order()

    def sort_rows(self) -> None:
        table = self.query_one(DataTable)
        if self.by_gradient:
            table.sort(self.gradient.name, key=lambda cell: -abs(cell.value))
        else:
            table.sort("k", key=lambda cell: cell.value)
        table.move_cursor(row=0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "images":
            return bool(self.query("#neuron-images"))  # only rows of 784 have images
        if action == "sort":
            return True if self.gradient is not None else None  # None: shown dimmed until ∂C/∂w is computed
        return True

    def action_images(self) -> None:
        images = self.query_one("#neuron-images")
        images.display = not images.display

    def action_close(self) -> None:
        self.dismiss()
