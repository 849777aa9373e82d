"""The Your-code screen: the learner's own network file, made from the starter, edited in $EDITOR, checked
quantity by quantity by `tutor check` in a worker, and its first difference opened in the stepper."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static
from textual.worker import Worker, get_current_worker

from tutor.app import your_file
from tutor.app.check_report import report_text
from tutor.app.messages import CodePathChanged
from tutor.app.workers import background, failed
from tutor.app.yours import first_differing

INTRO = ("Write the article's network yourself; tutor check runs it on the article's examples and on networks it "
         "never saw, and stops at the first quantity that differs from the engine's.")
HOW_TO = "n: new from the starter · e: edit · c: check · s: the difference in the stepper · p: the path"


class YourCodeScreen(Screen):
    """A path field, the file's state, and the last check's report. Esc stops a check that runs, leaves the path
    field, or goes back."""

    CSS_PATH = "your_code.tcss"
    BINDINGS = [
        Binding("n", "new", "New", tooltip="Create the file from the starter (never over a file that is there)",
                id="your_code.new"),
        Binding("e", "edit", "Edit", tooltip="Open the file in your editor ($VISUAL or $EDITOR)", id="your_code.edit"),
        Binding("c", "check", "Check", tooltip="Check the file: every quantity against the engine's, in order",
                id="your_code.check"),
        Binding("s", "stepper", "Stepper", tooltip="Open the first differing quantity in the stepper, your values "
                "beside the engine's", id="your_code.stepper"),
        Binding("p", "path", "Path", tooltip="Type the path of your file (Enter checks it)", id="your_code.path"),
        Binding("question_mark", "help", "Keys", tooltip="Show or hide the list of keys", id="your_code.help"),
        Binding("escape", "back", "Stop/back", tooltip="Stop the check that runs, leave the path field, or go back",
                id="your_code.back"),
    ]

    @dataclass
    class Checked(Message):
        """tutor check's Report on the file at `path`."""

        path: str
        report: object

    def __init__(self, path: str = your_file.DEFAULT_PATH) -> None:
        super().__init__()
        self.path_text = path
        self.report = None       # the last Report shown (tutor.check)
        self.worker: Worker | None = None

    def compose(self):
        with Vertical(id="code"):
            yield Static(INTRO, id="code-intro")
            with Horizontal(id="code-path-row"):
                yield Static("file ", id="code-path-label")
                yield Input(self.path_text, placeholder=your_file.DEFAULT_PATH, id="code-path")
            yield Static("", id="code-file")
            with Horizontal(id="code-buttons"):
                yield Button("New (n)", id="code-new", compact=True)
                yield Button("Edit (e)", id="code-edit", compact=True)
                yield Button("Check (c)", id="code-check", compact=True, variant="primary")
                yield Button("Stepper (s)", id="code-stepper", compact=True)
            with VerticalScroll(id="code-report-box"):
                yield Static(HOW_TO, id="code-report")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Your code"
        self.show_file()
        self.query_one("#code-report-box").focus()

    # -- the file ---------------------------------------------------------------------------------------------

    @property
    def path(self):
        return your_file.resolve(self.query_one("#code-path", Input).value)

    def show_file(self) -> None:
        self.query_one("#code-file", Static).update(Text(your_file.describe(self.path)))

    def say(self, message: str | Text, error: bool = False) -> None:
        """Show one message where the report goes."""
        text = message if isinstance(message, Text) else Text(message, style="bold red" if error else "")
        self.query_one("#code-report", Static).update(text)

    def remember(self) -> None:
        self.post_message(CodePathChanged(self.query_one("#code-path", Input).value.strip()))

    @on(Input.Changed, "#code-path")
    def path_changed(self) -> None:
        self.show_file()

    @on(Input.Submitted, "#code-path")
    def path_submitted(self) -> None:
        self.query_one("#code-report-box").focus()
        self.action_check()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        action = {"code-new": self.action_new, "code-edit": self.action_edit, "code-check": self.action_check,
                  "code-stepper": self.action_stepper}[event.button.id]
        action()

    def action_path(self) -> None:
        self.query_one("#code-path", Input).focus()

    def action_new(self) -> None:
        path = self.path
        self.remember()
        try:
            self.say(your_file.create(path))
        except your_file.AlreadyThere as e:
            self.say(str(e), error=True)
        except OSError as e:
            self.say(f"Could not create {path}: {e.strerror or e}", error=True)
        self.show_file()

    def action_edit(self) -> None:
        path = self.path
        self.remember()
        trouble = your_file.problem(path)
        if trouble is not None:
            self.say(trouble, error=True)
            return
        message = your_file.edit(self.app, path)
        self.show_file()
        if message is not None:
            self.say(message, error=True)
        else:
            self.say(f"Back from the editor. c checks {path.name}.")

    # -- checking ---------------------------------------------------------------------------------------------

    @property
    def checking(self) -> bool:
        return self.worker is not None and not self.worker.is_finished

    def action_check(self) -> None:
        path = self.path
        self.remember()
        self.show_file()
        if self.checking:
            self.notify("A check is already running (Esc stops it).", severity="warning")
            return
        trouble = your_file.problem(path)
        if trouble is not None:
            self.say(trouble, error=True)
            return
        self.report = None
        self.say(f"Checking {path}: the article's 1-1-1 and 2-3-2, then networks it never saw… (Esc stops it)")
        self.worker = self.check_in_background(str(path))

    @background(exclusive=True, group="check")
    def check_in_background(self, path: str) -> None:
        report = your_file.run_check(path)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Checked(path, report))

    def on_your_code_screen_checked(self, message: Checked) -> None:
        self.report = message.report
        self.say(report_text(message.report))
        self.show_file()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        line = failed(self, event, "Checking your file")
        if line is not None:
            self.say(line, error=True)

    def action_stepper(self) -> None:
        diff = self.report.difference if self.report is not None else None
        if diff is None:
            self.notify("Nothing to show in the stepper: c checks the file; when a quantity differs, s opens it "
                        "there, your values beside the engine's.")
            return
        trace = diff.spec.trace()
        name = diff.name or diff.quantity  # a helper's difference ("dc_dw(a_l1, dc_db_l2)") is at its trace name
        at = name if name in trace else first_differing(trace, diff.theirs)
        self.app.open_stepper(diff.spec, theirs=dict(diff.theirs), at=at)

    # -- keys -------------------------------------------------------------------------------------------------

    def action_help(self) -> None:
        if self.query("HelpPanel"):
            self.app.action_hide_help_panel()
        else:
            self.app.action_show_help_panel()

    def action_back(self) -> None:
        if self.query("HelpPanel"):
            self.app.action_hide_help_panel()
        elif self.checking:
            self.worker.cancel()
            self.say("Check stopped. c checks again.")
        elif self.query_one("#code-path", Input).has_focus:
            self.query_one("#code-report-box").focus()
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()
