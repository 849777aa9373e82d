"""A lesson's experiment: runs a named experiment in a worker thread and shows its outcome line by line."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

from textual.message import Message
from textual.widgets import Log
from textual.worker import Worker, get_current_worker

from tutor.app.workers import background, failed
from tutor.course.experiments import run_experiment
from tutor.course.model import Step
from tutor.errors import InputError


class ExperimentPanel(Log):
    """Starts when mounted (and again with run()); posts ExperimentPanel.Finished when the outcome is complete."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    @dataclass
    class Line(Message):
        text: str

    @dataclass
    class Finished(Message):
        panel: "ExperimentPanel"
        ok: bool

    def __init__(self, step: Step, data_dir=None, **kwargs) -> None:
        super().__init__(highlight=False, **kwargs)
        self.step, self.data_dir = step, data_dir
        self.running = False

    def on_mount(self) -> None:
        self.border_title = f"experiment: {self.step.run}"
        self.run()

    def run(self) -> None:
        if self.running:
            return
        self.clear()
        self.running = True
        self.write_line("running … (the numbers appear as they are computed)")
        self._work()

    @background(exclusive=True, group="experiment")
    def _work(self) -> None:
        worker = get_current_worker()
        ok = True
        try:
            run_experiment(self.step.run, self.step.params, lambda text: self.post_message(self.Line(text)),
                           lambda: worker.is_cancelled, self.data_dir)
        except InputError as e:
            self.post_message(self.Line(f"✗ {e}"))
            ok = False
        if not worker.is_cancelled:
            self.post_message(self.Finished(self, ok))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if (line := failed(self, event, f"The experiment '{self.step.run}'")) is not None:
            self.write_line(f"✗ {line}")
            self.post_message(self.Finished(self, False))

    def on_experiment_panel_line(self, message: Line) -> None:
        message.stop()
        width = max(20, self.scrollable_content_region.width - 1)  # a line wider than the panel wraps, indented
        self.write_lines(textwrap.wrap(message.text, width, subsequent_indent="    ", break_on_hyphens=False)
                         or [""])

    def on_experiment_panel_finished(self, message: Finished) -> None:
        self.running = False
        self.write_line("✓ done" if message.ok else "✗ the experiment could not run")
