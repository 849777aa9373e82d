"""The training screen: mini-batch SGD on MNIST in a worker, with epoch lines, progress and accuracy chart."""

from __future__ import annotations

import textwrap
import threading
from dataclasses import dataclass

from textual import events, on, work
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Log, ProgressBar, Sparkline, Static
from textual.worker import Worker, WorkerState, get_current_worker

from tutor.engine.network import Network, check_sizes
from tutor.app.screens.explore import DIGIT_WORDS, Words, words
from tutor.app.training_messages import EpochDone, TrainingProgress, reporters
from tutor.errors import InputError

FIELDS = {  # id: (label, default)
    "layers": ("layers", "784, 30, 10"),
    "epochs": ("epochs", "3"),
    "batch": ("mini-batch size", "10"),
    "eta": ("step size η", "3.0"),
    "seed": ("seed", "0"),
    "images": ("training images", "10000"),
    "save": ("save to (.npz)", "tutor-network.npz"),
}
SHOWN_EPOCHS = 4  # the test accuracies written out under the log (the chart shows them all)


def parse_field(key: str, text: str, dataset: Words | None = DIGIT_WORDS):
    """The value of one form field, or InputError with the message shown next to it; `dataset`: the data's
    words, when known (the layers' message names its classes)."""
    text = text.strip()
    if key == "layers":
        try:
            sizes = [int(p) for p in text.replace(",", " ").split()]
        except ValueError:
            raise InputError("layers: whole numbers separated by commas, e.g. 784, 30, 10") from None
        sizes = check_sizes(sizes, "layers")
        if sizes[0] != 784 or sizes[-1] != 10:
            classes = f"{dataset.name}'s {dataset.classes}" if dataset else "one per class"
            raise InputError(f"layers: the first layer must be 784 (pixels) and the last 10 ({classes})")
        return sizes
    if key == "save":
        if not text:
            raise InputError("save to: type a file name, e.g. tutor-network.npz")
        return text
    try:
        value = float(text) if key == "eta" else int(text)
    except ValueError:
        kind = "a number" if key == "eta" else "a whole number"
        raise InputError(f"{FIELDS[key][0]}: expected {kind}, got {text!r}") from None
    if key == "eta" and not (value > 0 and value < float("inf")):
        raise InputError("step size: must be a finite number greater than 0")
    if key == "seed" and value < 0:
        raise InputError("seed: must be 0 or more")
    if key in ("epochs", "batch", "images") and value < 1:
        raise InputError(f"{FIELDS[key][0]}: must be at least 1")
    if key == "epochs" and value > 1000:
        raise InputError("epochs: at most 1000")
    return value


def fit_lines(parts: list[str], width: int) -> list[str]:
    """The parts joined with ", " into lines of at most `width` characters (a part longer than that
    is wrapped on its own), so the log, which does not wrap, shows all of them."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + 2 + len(part) <= width:
            lines[-1] += ", " + part
        else:
            lines.extend(textwrap.wrap(part, width) or [part])
    return lines


def run_lines(values: dict, width: int) -> list[str]:
    """What a run trains, for the top of the log."""
    return fit_lines([f"Network({values['layers']})", f"{values['images']} training images",
                      f"{values['epochs']} epochs", f"mini-batch {values['batch']}", f"η = {values['eta']}",
                      f"seed {values['seed']}"], width)


class RunLog(Log):
    """The run's log. It follows its last line (Log's auto-scroll) and keeps doing so when it gets
    shorter because the status above or the accuracies below it wrap onto another line."""

    _height = 0

    def on_resize(self, event: events.Resize) -> None:
        old, self._height = self._height, event.size.height
        if 0 < event.size.height < old and self.auto_scroll and self.scroll_y >= self.virtual_size.height - old:
            self.scroll_end(animate=False, immediate=True, x_axis=False)


class TrainScreen(Screen):
    """Form on the left, the run on the right. Esc cancels a run (keeping what was learned) or goes back."""

    CSS_PATH = "train.tcss"
    BINDINGS = [
        Binding("ctrl+t", "start", "Start", tooltip="Start training with these settings", id="train.start"),
        Binding("escape", "cancel", "Cancel/back", tooltip="Stop training (keeps what was learned), or go back",
                id="train.cancel"),
        Binding("ctrl+s", "save", "Save network", tooltip="Save the trained network as .npz", id="train.save"),
    ]

    @dataclass
    class Note(Message):
        text: str

    @dataclass
    class DataKnown(Message):
        """The data directory was loaded (in a worker): its words name the dataset."""

        dataset: Words

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.network: Network | None = None
        self.dataset: Words | None = None  # MNIST's or Fashion-MNIST's words, once known
        self.accuracy: list[float] = []
        self.worker: Worker | None = None
        # Esc asks the thread to stop rather than cancelling its Worker: a cancelled thread Worker turns
        # CANCELLED at once while its thread trains on to the next check; this one stays RUNNING until then.
        self.stop_asked = threading.Event()

    def compose(self):
        with Horizontal(id="train"):
            with Vertical(id="train-form"):
                for key, (label, default) in FIELDS.items():
                    with Horizontal(classes="field"):
                        yield Label(label)
                        yield Input(default, id=f"train-{key}")
                    yield Static("", id=f"train-error-{key}", classes="error")
                with Horizontal(id="train-buttons"):
                    yield Button("Start", variant="primary", id="start")
                    yield Button("Save", id="save")
            with Vertical(id="train-run"):
                yield Static("Press Start (or Enter in a field). Esc stops a run and keeps what was learned.",
                             id="train-status")
                yield ProgressBar(total=100, show_eta=False, id="train-progress")
                yield RunLog(id="train-log", highlight=False)
                yield Label("test accuracy per epoch:", id="accuracy-label")
                yield Sparkline([], id="accuracy")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#train-log").border_title = "test images right per epoch"
        data_dir = getattr(self.app, "data_dir", None)
        self.show_dataset(DIGIT_WORDS if data_dir is None else None)  # the bundled data is MNIST's digits
        if data_dir is not None:  # another directory (Fashion-MNIST?) is known once loaded, in a worker
            self.identify(data_dir)

    @work(thread=True, group="identify")
    def identify(self, data_dir) -> None:
        from tutor.engine import mnist

        try:
            data = mnist.load(data_dir)  # kept (lru_cache) for the run
        except InputError:
            return  # a run says what is wrong with the data
        self.post_message(self.DataKnown(words(data.label_names)))

    def on_train_screen_data_known(self, message: DataKnown) -> None:
        self.show_dataset(message.dataset)

    def show_dataset(self, dataset: Words | None) -> None:
        self.dataset = dataset
        self.title = f"Train on {dataset.name}" if dataset else "Train"
        self.query_one("#train-form").border_title = self.title
        self.check("layers")  # its message names the classes

    @property
    def running(self) -> bool:
        return self.worker is not None and self.worker.state in (WorkerState.PENDING, WorkerState.RUNNING)

    def check(self, key: str):
        """Parse one field and show its message under it; None when it is not valid."""
        error = self.query_one(f"#train-error-{key}", Static)
        try:
            value = parse_field(key, self.query_one(f"#train-{key}", Input).value, self.dataset)
        except InputError as e:
            error.update(f"✗ {e}")
            error.set_class(True, "shown")
            return None
        error.update("")
        error.set_class(False, "shown")
        return value

    def values(self) -> dict | None:
        out = {key: self.check(key) for key in FIELDS}
        return None if any(v is None for v in out.values()) else out

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        self.check(event.input.id.removeprefix("train-"))

    @on(Input.Submitted)
    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        if self.running:
            self.notify("Training is running: Esc stops it first.", severity="warning")
            return
        values = self.values()
        if values is None:
            self.notify("Some fields need fixing (see the ✗ messages).", severity="error")
            return
        self.accuracy = []
        self.query_one("#accuracy", Sparkline).data = []
        self.query_one(Log).clear()
        self.query_one(ProgressBar).update(total=100, progress=0)
        self.network = Network(values["layers"], seed=values["seed"])
        log = self.query_one("#train-log", Log)
        # the log does not wrap: lines as wide as it is, a vertical scrollbar's width kept free for later
        log.write_lines(run_lines(values, max(24, log.content_region.width - log.styles.scrollbar_size_vertical)))
        self.stop_asked.clear()
        self.worker = self.train(self.network, values)

    @work(thread=True, exclusive=True, group="train")
    def train(self, network: Network, values: dict) -> None:
        from tutor.engine import mnist

        worker = get_current_worker()
        self.post_message(self.Note(f"Loading {self.dataset.name if self.dataset else 'the data'}…"))
        try:
            data = mnist.load(self.app.data_dir)
            mnist.check_input_size(data, network.sizes[0])
        except InputError as e:
            self.post_message(self.Note(f"✗ {e}"))
            return
        train = data.train.head(int(values["images"]))
        self.post_message(self.Note(f"Training on {len(train)} images from {data.source}…"))
        progress, epoch_done = reporters(self, network=network)
        network.sgd(train.images, train.labels, int(values["epochs"]), int(values["batch"]), float(values["eta"]),
                    seed=int(values["seed"]), test=(data.test.images, data.test.labels), on_progress=progress,
                    on_epoch=epoch_done, should_stop=lambda: self.stop_asked.is_set() or worker.is_cancelled)

    def on_train_screen_note(self, message: Note) -> None:
        self.query_one("#train-status", Static).update(message.text)

    def on_training_progress(self, message: TrainingProgress) -> None:
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)
        self.query_one("#train-status", Static).update(
            f"Epoch {message.epoch}: {message.done} / {message.total} images (Esc stops)")

    def on_epoch_done(self, message: EpochDone) -> None:
        self.query_one("#train-log", Log).write_line(
            f"Epoch {message.epoch}: {message.correct} / {message.total}  ({message.seconds:.1f} s)")
        self.accuracy.append(message.correct / message.total)
        self.query_one("#accuracy", Sparkline).data = list(self.accuracy)
        shown = [f"{100 * a:.2f}%" for a in self.accuracy[-SHOWN_EPOCHS:]]
        if len(self.accuracy) > SHOWN_EPOCHS:
            shown.insert(0, "…")
        self.query_one("#accuracy-label", Label).update(f"test accuracy per epoch: {', '.join(shown)}")
        self.app.trained_network = message.network

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is not self.worker:
            return
        status = self.query_one("#train-status", Static)
        if event.state == WorkerState.SUCCESS and self.stop_asked.is_set():
            status.update(f"Stopped after {len(self.accuracy)} complete epochs; the network keeps what it learned "
                          "(Ctrl+S saves it).")
            self.query_one("#train-log", Log).write_line("Stopped.")
            self.app.trained_network = self.network
        elif event.state == WorkerState.SUCCESS:
            if self.network is not None and "✗" not in str(status.content):
                status.update(f"Done: {len(self.accuracy)} epochs. Ctrl+S saves the network.")
                self.app.trained_network = self.network
        elif event.state == WorkerState.ERROR:
            status.update(f"✗ training failed: {event.worker.error}")

    def action_cancel(self) -> None:
        if self.running:
            self.stop_asked.set()
        else:
            self.app.pop_screen()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        from tutor.engine.model_file import save_network

        if self.network is None:
            self.notify("Train a network first (Start).", severity="warning")
            return
        if self.running:
            self.notify("Training is running: Esc stops it, then save.", severity="warning")
            return
        try:
            path = save_network(self.network, parse_field("save", self.query_one("#train-save", Input).value))
        except InputError as e:
            self.notify(str(e), severity="error")
            return
        self.notify(f"Saved {path.resolve()}", title="Network saved")
