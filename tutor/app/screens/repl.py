"""The `>>>` prompt over the quantities computed so far (> in the stepper): the article's REPL, with the learner's
lines run in a child process (tutor.sandbox) by a worker, so a line that loops costs a message after 2 s and the
screen never waits on it."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, RichLog, Static
from textual.worker import Worker

from tutor.app.workers import background, failed
from tutor.sandbox import Outcome, Sandbox

HELPERS = "np, sigmoid, sigmoid_prime, z, dc_db, dc_dw, dc_da_prev, cost"


class ReplScreen(ModalScreen[None]):
    """A Python prompt whose namespace holds `quantities` (as the transcript names them) and the article's helpers;
    assignments stay for as long as the screen is open; ↑/↓ go through the lines typed."""

    CSS_PATH = "repl.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back", tooltip="Back to the stepper", id="repl.close"),
        Binding("up", "history(-1)", "Earlier line", show=False, id="repl.history_back"),
        Binding("down", "history(1)", "Later line", show=False, id="repl.history_forward"),
    ]

    class Ran(Message):
        def __init__(self, line: str, outcome: Outcome) -> None:
            super().__init__()
            self.line, self.outcome = line, outcome

    def __init__(self, quantities: dict, title: str) -> None:
        super().__init__()
        self.sandbox = Sandbox(quantities)
        self.names = list(quantities)
        self.title_text = title
        self.history: list[str] = []
        self.position = 0  # in history: len(history) is the new line being typed

    def compose(self):
        shown = ", ".join(self.names) if self.names else "none yet (step forward in the stepper first)"
        with Vertical(id="repl-box"):
            yield Static(Text.assemble(("Python", "bold"), f" · {self.title_text}\nQuantities so far: {shown}\n"
                                       f"Also: {HELPERS}. Enter runs a line (2 s at most); ↑/↓ earlier lines; "
                                       "Esc back."), id="repl-intro")
            yield RichLog(id="repl-log", wrap=True, markup=False, highlight=False)
            yield Input(placeholder=">>> type Python, e.g. z(w_l1, a_l0, b_l1)", id="repl-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_unmount(self) -> None:
        self.sandbox.close()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        line = event.value
        event.input.value = ""
        if not line.strip():
            return
        self.history.append(line)
        self.position = len(self.history)
        self.query_one(RichLog).write(Text(f">>> {line}", style="bold"))
        event.input.disabled = True
        self.run_line(line)

    @background(exclusive=True, group="repl")
    def run_line(self, line: str) -> None:
        self.post_message(self.Ran(line, self.sandbox.run(line)))

    def on_repl_screen_ran(self, message: Ran) -> None:
        log = self.query_one(RichLog)
        outcome = message.outcome
        if outcome.output:
            log.write(Text(outcome.output))
        if outcome.error:
            log.write(Text(outcome.error, style="red"))
        box = self.query_one(Input)
        box.disabled = False
        box.focus()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        line = failed(self, event, "Running your line")
        if line is not None:
            self.query_one(RichLog).write(Text(line, style="red"))
            self.query_one(Input).disabled = False

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        self.position = max(0, min(len(self.history), self.position + step))
        box = self.query_one(Input)
        box.value = self.history[self.position] if self.position < len(self.history) else ""
        box.cursor_position = len(box.value)

    def action_close(self) -> None:
        self.dismiss(None)
