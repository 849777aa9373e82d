"""The training screen: mini-batch SGD on MNIST in a worker, with epoch lines, progress and accuracy chart."""

from __future__ import annotations

import textwrap
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from textual import events, on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Log, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from tutor.app.workers import background, failed
from tutor.app.messages import NetworkTrained, TrainFormChanged
from tutor.app.screens.save_network import DEFAULT_NAME, SaveNetworkScreen
from tutor.classroom import NO_FILES, served
from tutor.app.training_messages import EpochDone, TrainingProgress, reporters
from tutor.app.widgets.accuracy_chart import AccuracyChart
from tutor.app.widgets.field import Field, check_fields
from tutor.engine import mnist, training
from tutor.engine.mnist import Mnist
from tutor.engine.network import Network
from tutor.errors import InputError
from tutor.numbers import NotANumber, read_number, read_whole

FIELDS = {  # id: (label, default): the article's run, 30 epochs over all 50,000 training images
    "layers": ("layers", "784, 30, 10"),
    "epochs": ("epochs", "30"),
    "batch": ("mini-batch size", "10"),
    "eta": ("step size η", "3.0"),
    "seed": ("seed", "0"),
    "images": ("training images", "50000"),
}
SAVE = "save"  # the form's key (TrainFormChanged) for the path the network was saved to last
TRAINED_HERE = "trained on the Train screen"  # how the views name a network trained here
# What the defaults reach on the bundled MNIST, measured (seed 0): 90.8% after the first epoch, 94.9% after 30,
# 0.5-0.8 s an epoch on a laptop; 3 epochs of 10,000 images reach 81.6%.
ARTICLE_RUN = ("Defaults: the article's run, 30 epochs over all 50,000 training images: about 95% right, in 15–30 s. "
               "Shorter runs reach less (3 epochs of 10,000 images: about 82%).")
OTHER_DATA = "Defaults: the article's settings, 30 epochs over up to 50,000 training images."
HOW_TO = "Ctrl+T starts; Esc stops a run, keeping what was learned."


def time_left(seconds: float) -> str:
    return f"about {seconds:.0f} s left" if seconds < 90 else f"about {seconds / 60:.0f} min left"


def parse_field(key: str, text: str, data: Mnist | None = None, dataset: str | None = "MNIST"):
    """The value of one form field, or InputError with the message shown under it; `data`: the data loaded, when
    known (the layers must fit its images and classes); `dataset`: its name if known before it is loaded."""
    text = text.strip()
    if key == "layers":
        parts = [p for p in text.replace(",", " ").split()]
        try:
            sizes = [read_whole(p) for p in parts]
        except NotANumber:
            raise InputError("layers: whole numbers separated by commas, e.g. 784, 30, 10") from None
        if data is not None:
            return training.check_fits(sizes, data)
        return training.check_layers(sizes, dataset=dataset)
    config = {"epochs": "epochs", "batch": "batch_size", "eta": "step_size", "seed": "seed", "images": "limit"}
    try:
        value = read_number(text).value if key == "eta" else read_whole(text)
    except NotANumber as e:
        kind = "a number" if key == "eta" else "a whole number"
        raise InputError(f"{FIELDS[key][0]}: expected {kind}, got {text!r} ({e})") from None
    if key == "images" and value < 1:
        raise InputError(f"{FIELDS[key][0]}: must be at least 1")
    training.Config(**{config[key]: value}).checked({config[key]: FIELDS[key][0]})
    return value


def gradient_lines(label: str, sizes, width: int) -> list[str]:
    """‖∂C/∂b‖ of each hidden layer, layer 1 first (the far layers learn slower: Nielsen's chapter 5), in lines of
    at most `width` characters."""
    return textwrap.wrap(f"{label} ‖∂C/∂b‖ of hidden layers: " + ", ".join(f"{g:.3g}" for g in sizes), width,
                         subsequent_indent="    ", break_on_hyphens=False)


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
    return fit_lines([f"Network({values['layers']})", f"{values['images']:,} training images",
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
        Binding("ctrl+s", "save", "Save network", tooltip="Save the trained network as .npz (asks where)",
                id="train.save"),
    ]

    @dataclass
    class Note(Message):
        text: str

    @dataclass
    class DataKnown(Message):
        """The data directory was loaded (in a worker): the layers must fit it, the title names it."""

        data: Mnist

    def __init__(self, data_dir=None, form: dict[str, str] | None = None, network: Network | None = None,
                 **kwargs) -> None:
        """`data_dir`: None for the bundled MNIST, else a directory of MNIST-format files (Fashion-MNIST?);
        `form`: the fields as the learner left them (by FIELDS key, and SAVE: the path saved to last), kept by the
        app; `network`: the network trained here last, which Ctrl+S saves until a new run starts."""
        super().__init__(**kwargs)
        self.data_dir = data_dir
        self.form = dict(form or {})
        self.network: Network | None = network
        self.config: training.Config | None = None
        self.started = 0.0  # time.monotonic() when the run's network was made
        self.data: Mnist | None = None  # the data, once loaded
        self.dataset: str | None = "MNIST" if data_dir is None else None  # its name: the bundled data is MNIST
        self.accuracy: list[float] = []
        self.worker: Worker | None = None
        # Esc asks the thread to stop rather than cancelling its Worker: a cancelled thread Worker turns
        # CANCELLED at once while its thread trains on to the next check; this one stays RUNNING until then.
        self.stop_asked = threading.Event()

    def compose(self):
        with Horizontal(id="train"):
            with Vertical(id="train-form"):
                for key, (label, default) in FIELDS.items():
                    yield Field(label, self.form.get(key, default),
                                lambda text, key=key: parse_field(key, text, self.data, self.dataset),
                                input_id=f"train-{key}", error_id=f"train-error-{key}", inline=True)
                with Horizontal(id="train-buttons"):
                    yield Button("Start", variant="primary", id="start")
                    yield Button("Save", id="save")
            with Vertical(id="train-run"):
                yield Static(self.intro(), id="train-status")
                yield ProgressBar(total=100, show_eta=False, id="train-progress")
                yield RunLog(id="train-log", highlight=False)
                yield AccuracyChart(id="accuracy-chart-box")
        yield Footer()

    def intro(self) -> str:
        """What the defaults do (what they reach on the bundled MNIST), how to start and stop, and what Ctrl+S
        saves when a network trained here before is kept."""
        parts = [ARTICLE_RUN if self.data_dir is None else OTHER_DATA, HOW_TO]
        if self.network is not None:
            parts.append("Ctrl+S saves the network you trained here last.")
        return " ".join(parts)

    def on_mount(self) -> None:
        self.query_one("#train-log").border_title = "test images right per epoch"
        self.show_dataset()
        if self.data_dir is not None:  # another directory (Fashion-MNIST?) is known once loaded, in a worker
            self.identify()

    @background(group="identify")
    def identify(self) -> None:
        try:
            data = mnist.load(self.data_dir)  # kept (lru_cache) for the run
        except InputError:
            return  # a run says what is wrong with the data
        self.post_message(self.DataKnown(data))

    def on_train_screen_data_known(self, message: DataKnown) -> None:
        self.data, self.dataset = message.data, message.data.name
        self.show_dataset()

    def show_dataset(self) -> None:
        self.title = f"Train on {self.dataset}" if self.dataset else "Train"
        self.query_one("#train-form").border_title = self.title
        self.field("layers").check()  # the layers must fit the data

    @property
    def running(self) -> bool:
        return self.worker is not None and self.worker.state in (WorkerState.PENDING, WorkerState.RUNNING)

    def field(self, key: str) -> Field:
        return next(f for f in self.query(Field) if f.input_id == f"train-{key}")

    def values(self) -> dict | None:
        values = check_fields(self.query(Field), self.notify)
        return None if values is None else dict(zip(FIELDS, values))

    @on(Input.Changed)
    def _form_changed(self) -> None:
        """The app keeps the fields as typed (valid or not): the screen opens with them next time."""
        self.form.update((key, self.field(key).value_text) for key in FIELDS)
        self.post_message(TrainFormChanged(dict(self.form)))

    @on(Input.Submitted)
    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        if self.running:
            self.notify("Training is running: Esc stops it first.", severity="warning")
            return
        values = self.values()
        if values is None:
            return
        self.accuracy = []
        self.query_one(AccuracyChart).show([])
        self.query_one(Log).clear()
        self.query_one(ProgressBar).update(total=100, progress=0)
        config = training.Config(tuple(values["layers"]), values["epochs"], values["batch"], values["eta"],
                                 values["images"], values["seed"])
        log = self.query_one("#train-log", Log)
        # the log does not wrap: lines as wide as it is, a vertical scrollbar's width kept free for later
        log.write_lines(run_lines(values, max(24, log.content_region.width - log.styles.scrollbar_size_vertical)))
        self.stop_asked.clear()
        self.network = None
        self.config = config
        self.worker = self.train(config)

    @dataclass
    class Started(Message):
        """The run's network exists (the worker made it): Ctrl+S saves it, even after a stop."""

        network: Network

    @background(exclusive=True, group="train")
    def train(self, config: training.Config) -> None:
        worker = get_current_worker()
        self.post_message(self.Note(f"Loading {self.dataset or 'the data'}…"))
        try:
            data = mnist.load(self.data_dir)
            training.check_fits(config.layers, data)
        except InputError as e:
            self.post_message(self.Note(f"✗ {e}"))
            return
        network = training.new_network(config)
        self.post_message(self.Started(network))
        self.post_message(self.Note(f"Training on {min(config.limit, len(data.train))} images from {data.source}…"))
        train = (data.train.head(config.limit) if config.limit else data.train)
        on_progress, on_epoch = reporters(self, network=network, gradients_from=(train.images, train.labels))
        if network.num_layers > 2:
            self.post_message(self.Logged("At the start:", tuple(training.gradient_sizes(
                network, train.images, train.labels))))
        training.run(config, data, network=network, on_progress=on_progress, on_epoch=on_epoch,
                     should_stop=lambda: self.stop_asked.is_set() or worker.is_cancelled)

    def on_train_screen_started(self, message: Started) -> None:
        self.network = message.network
        self.started = time.monotonic()

    def on_train_screen_note(self, message: Note) -> None:
        self.query_one("#train-status", Static).update(message.text)

    def on_training_progress(self, message: TrainingProgress) -> None:
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)
        epochs = self.config.epochs if self.config is not None else message.epoch + 1
        finished = message.epoch + (message.done == message.total)
        status = f"Epoch {message.epoch}: {message.done:,} / {message.total:,} images · {finished} of {epochs} epochs done"
        done = (message.epoch * message.total + message.done) / (epochs * message.total)
        elapsed = time.monotonic() - self.started
        if 0 < done < 1 and elapsed > 1:  # the estimate settles after a second
            status += f" · {time_left(elapsed * (1 - done) / done)}"
        self.query_one("#train-status", Static).update(f"{status} · Esc stops")

    @dataclass
    class Logged(Message):
        """‖∂C/∂b‖ of the hidden layers at the start of the run."""

        label: str
        gradients: tuple

    def log_gradients(self, label: str, gradients) -> None:
        log = self.query_one("#train-log", Log)
        log.write_lines(gradient_lines(label, gradients, max(24, log.content_region.width -
                                                           log.styles.scrollbar_size_vertical)))

    def on_train_screen_logged(self, message: Logged) -> None:
        self.log_gradients(message.label, message.gradients)

    def on_epoch_done(self, message: EpochDone) -> None:
        self.query_one("#train-log", Log).write_line(
            f"Epoch {message.epoch}: {message.correct} / {message.total}  ({message.seconds:.1f} s)")
        if message.gradients:
            self.log_gradients("  then", message.gradients)
        self.accuracy.append(message.correct / message.total)
        self.query_one(AccuracyChart).show(self.accuracy)
        self.post_message(NetworkTrained(message.network, TRAINED_HERE))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        line = failed(self, event, "Training" if event.worker is self.worker else "Reading the data")
        if event.worker is not self.worker:
            return
        status = self.query_one("#train-status", Static)
        if event.state == WorkerState.SUCCESS and self.stop_asked.is_set():
            status.update(f"Stopped after {len(self.accuracy)} complete epochs; the network keeps what it learned "
                          "(Ctrl+S saves it).")
            self.query_one("#train-log", Log).write_line("Stopped.")
            if self.network is not None:
                self.post_message(NetworkTrained(self.network, TRAINED_HERE))
        elif event.state == WorkerState.SUCCESS:
            if self.network is not None and "✗" not in str(status.content):
                last = f", {100 * self.accuracy[-1]:.2f}% of the test images right" if self.accuracy else ""
                epochs = len(self.accuracy)
                status.update(f"Done: {epochs} epoch{'s' * (epochs != 1)}{last}. Ctrl+S saves the network.")
                self.post_message(NetworkTrained(self.network, TRAINED_HERE))
        elif line is not None:
            status.update(f"✗ {line}")

    def action_cancel(self) -> None:
        if self.running:
            self.stop_asked.set()
        else:
            self.app.pop_screen()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Ask where to save (the last path saved to, or a file in the data directory), then save there."""
        if self.network is None:
            self.notify("Train a network first (Start).", severity="warning")
            return
        if self.running:
            self.notify("Training is running: Esc stops it, then save.", severity="warning")
            return
        if served():
            self.notify(f"Saving a network is {NO_FILES}.", severity="warning")
            return
        directory = Path(self.data_dir) if self.data_dir is not None else Path.cwd()
        where = f"The default is in the {'data' if self.data_dir is not None else 'current'} directory."
        default = self.form.get(SAVE) or str(directory.resolve() / DEFAULT_NAME)
        self.app.push_screen(SaveNetworkScreen(default, self.save_to, where), self._saved)

    def save_to(self, path: Path) -> Path:
        from tutor.engine.model_file import save_network

        return save_network(self.network, path)

    def _saved(self, path: Path | None) -> None:
        if path is None:
            return
        self.form[SAVE] = str(path)
        self.post_message(TrainFormChanged(dict(self.form)))
        self.notify(f"Saved {path.resolve()}", title="Network saved")
