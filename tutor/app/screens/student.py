"""The classroom's first screen (tutor serve): the student's name, which says where their progress is saved; it is
kept for this tab only (one app process per tab), never stored as a login."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from tutor.classroom import BadName, student
from tutor.course.progress import set_student


class StudentScreen(Screen):
    """Asks the name; dismissed with a tutor.classroom.Student once it is one (a bad one is said, and asked again)."""

    CSS_PATH = "student.tcss"
    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit", id="student.quit")]

    def compose(self):
        with Vertical(id="student-box"):
            yield Static("[b]tutor[/b] · in the classroom", id="student-title")
            yield Static("Your name? Your progress is saved under it on this server: type the same name next time "
                         "to carry on where you left off.", id="student-intro")
            yield Input(placeholder="your name, e.g. Ada", max_length=60, id="student-name")
            yield Static("", id="student-error")
        yield Footer()

    def on_mount(self) -> None:
        box = self.query_one(Input)
        box.cursor_blink = False  # a tab left at this prompt does no work: no repaint twice a second
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            named = student(event.value)
        except BadName as e:
            self.query_one("#student-error", Static).update(f"✗ {e}")
            return
        set_student(named.directory)
        self.notify(f"Hello {named.name}: your progress is saved as '{named.directory}'.", timeout=6)
        self.dismiss(named)
