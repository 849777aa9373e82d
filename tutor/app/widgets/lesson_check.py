"""A lesson's check step: the learner's own file (made from the starter, opened in their editor) checked by
`tutor check` up to the step's level, in a worker; the report shown, and posted up for the lesson to judge."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Static
from textual.worker import Worker, get_current_worker

from tutor.app import your_file
from tutor.app.check_report import report_text
from tutor.app.messages import CodePathChanged
from tutor.app.workers import background, failed
from tutor.classroom import UNAVAILABLE, served
from tutor.course.model import Step


class CheckPanel(Vertical):
    """new(), edit() and check() do what f, e and c ask on the lesson screen. Posts CheckPanel.Checked with the
    Report when a check ends, and CodePathChanged (to the app) with the path the learner used."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    @dataclass
    class Checked(Message):
        panel: "CheckPanel"
        report: object  # a tutor.check.Report

    def __init__(self, step: Step, path: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.step, self.path_text = step, path
        self.worker: Worker | None = None

    def compose(self):
        with Horizontal(id="check-path-row"):
            yield Static("file ", id="check-path-label")
            yield Input(self.path_text, placeholder=your_file.DEFAULT_PATH, id="check-path")
        yield Static("", id="check-file")
        with VerticalScroll(id="check-report-box"):
            yield Static(f"c checks your file up to the {self.step.level}; f creates it from the starter, e opens it "
                         "in your editor (Tab: the path).", id="check-report")

    def on_mount(self) -> None:
        self.border_title = f"your code · tutor check up to the {self.step.level}"
        self.show_file()
        self.classroom()

    @property
    def path(self) -> Path:
        return your_file.resolve(self.query_one("#check-path", Input).value)

    @property
    def running(self) -> bool:
        return self.worker is not None and not self.worker.is_finished

    def show_file(self) -> None:
        self.query_one("#check-file", Static).update(Text(your_file.describe(self.path, "f")))

    def say(self, message: str | Text, error: bool = False) -> None:
        text = message if isinstance(message, Text) else Text(message, style="bold red" if error else "")
        self.query_one("#check-report", Static).update(text)

    def remember(self) -> None:
        self.post_message(CodePathChanged(self.query_one("#check-path", Input).value.strip()))

    @on(Input.Changed, "#check-path")
    def path_changed(self) -> None:
        self.show_file()

    @on(Input.Submitted, "#check-path")
    def path_submitted(self) -> None:
        self.screen.set_focus(None)
        self.check()

    def classroom(self) -> bool:
        """Served (tutor serve): a check runs a whole file on the teacher's machine, so it is not offered; said."""
        if served():
            self.say(f"Checking your own file is {UNAVAILABLE}", error=True)
        return served()

    def new(self) -> None:
        if self.classroom():
            return
        path = self.path
        self.remember()
        try:
            self.say(your_file.create(path))
        except your_file.AlreadyThere as e:
            self.say(str(e), error=True)
        except OSError as e:
            self.say(f"Could not create {path}: {e.strerror or e}", error=True)
        self.show_file()

    def edit(self) -> None:
        if self.classroom():
            return
        path = self.path
        self.remember()
        trouble = your_file.problem(path, "f")
        message = trouble or your_file.edit(self.app, path)
        self.show_file()
        self.say(message or f"Back from the editor. c checks {path.name}.", error=message is not None)

    def check(self) -> None:
        if self.classroom():
            return
        path = self.path
        self.remember()
        self.show_file()
        if self.running:
            return
        trouble = your_file.problem(path, "f")
        if trouble is not None:
            self.say(trouble, error=True)
            return
        self.say(f"Checking {path} up to the {self.step.level} …")
        self.worker = self._work(str(path), self.step.level)

    @background(exclusive=True, group="check")
    def _work(self, path: str, level: str) -> None:
        worker = get_current_worker()
        report = your_file.run_check(path, upto=level, should_stop=lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self.post_message(self.Checked(self, report))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if (line := failed(self, event, "Checking your file")) is not None:
            self.say(line, error=True)

    def on_check_panel_checked(self, message: Checked) -> None:
        """Shown here; the message goes on up to the lesson screen, which judges it."""
        self.say(report_text(message.report, stepper="On the Your-code screen (c on the home screen), s opens it in "
                             "the stepper, your values beside the engine's.", upto=self.step.level))
        self.show_file()
