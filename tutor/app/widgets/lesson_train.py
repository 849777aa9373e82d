"""A lesson's train step: the MNIST run, live in a worker thread, with progress, epoch scores and the goal."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Log, ProgressBar, Static
from textual.worker import Worker, get_current_worker

from tutor.app.workers import background, failed
from tutor.app.training_messages import EpochDone, TrainingProgress, reporters
from tutor.course.experiments import train_config
from tutor.course.model import Step
from tutor.engine import mnist, training
from tutor.errors import InputError


class TrainPanel(Vertical):
    """start() runs the training, stop() asks it to end after the current chunk (keeping what was learned).
    Posts TrainPanel.Finished when a run ends."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    @dataclass
    class Finished(Message):
        panel: "TrainPanel"
        epochs: int
        best: float
        stopped: bool
        error: str = ""
        network: object = None  # the trained tutor.engine.network.Network

    def __init__(self, step: Step, data_dir=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.step, self.data_dir = step, data_dir
        self.running = False
        self.best = 0.0
        self.epochs_done = 0

    def compose(self):
        cfg = self.step.train
        yield Static(f"{'-'.join(map(str, cfg['layers']))}, {cfg['epochs']} epochs, mini-batches of "
                     f"{cfg['batch_size']}, step size {cfg['step_size']}; goal: {cfg['goal']:.0%} of the test "
                     "images (the article's result)", id="train-settings")
        yield Static("Press s to start.", id="train-status")
        yield ProgressBar(total=100, show_eta=False, id="train-progress")
        yield Log(highlight=False, id="train-log")

    def on_mount(self) -> None:
        self.border_title = "training on MNIST"

    def start(self) -> None:
        if self.running:
            return
        self.running = True
        self.best, self.epochs_done = 0.0, 0
        self.query_one(Log).clear()
        self.query_one("#train-status", Static).update("Loading MNIST and starting … (s stops)")
        self._work()

    def stop(self) -> None:
        if self.running:
            self.workers.cancel_group(self, "train")
            self.query_one("#train-status", Static).update("Stopping after the current 1,000 images …")

    @background(exclusive=True, group="train")
    def _work(self) -> None:
        worker = get_current_worker()
        on_progress, on_epoch = reporters(self)
        try:
            run = training.run(train_config(self.step.train), mnist.load(self.data_dir), on_epoch=on_epoch,
                               on_progress=on_progress, should_stop=lambda: worker.is_cancelled)
        except InputError as e:
            self.post_message(self.Finished(self, 0, 0.0, False, str(e)))
            return
        self.post_message(self.Finished(self, len(run.results), run.best, run.stopped, network=run.network))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if (line := failed(self, event, "Training")) is not None:
            self.post_message(self.Finished(self, 0, 0.0, False, line))

    def on_training_progress(self, message: TrainingProgress) -> None:
        message.stop()
        bar = self.query_one(ProgressBar)
        bar.update(total=message.total, progress=message.done)
        self.query_one("#train-status", Static).update(
            f"Epoch {message.epoch}: {message.done:,} of {message.total:,} training images (s stops)")

    def on_epoch_done(self, message: EpochDone) -> None:
        message.stop()
        self.epochs_done += 1
        share = message.correct / message.total
        self.best = max(self.best, share)
        mark = "  ✓ goal reached" if share >= self.step.train["goal"] else ""
        self.query_one(Log).write_line(f"epoch {message.epoch}: {message.correct} / {message.total} "
                                       f"({share:.2%}) in {message.seconds:.1f} s{mark}")

    def on_train_panel_finished(self, message: Finished) -> None:
        self.running = False
        goal = self.step.train["goal"]
        if message.error:
            text = f"✗ {message.error}"
        else:
            reached = "✓ the goal is reached" if message.best >= goal else f"below the {goal:.0%} goal"
            how = "stopped" if message.stopped else "finished"
            text = f"Training {how} after {message.epochs} epochs: best {message.best:.2%} ({reached}). s runs it again."
        self.query_one("#train-status", Static).update(text)
