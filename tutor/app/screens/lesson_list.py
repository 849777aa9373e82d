"""The list of lessons with the learner's progress in each; Enter opens one where it was left."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from tutor.app.workers import background, failed
from tutor.course.model import Lesson
from tutor.course.progress import Progress, summarize
from tutor.course.reader import find_lesson, load_lessons
from tutor.errors import InputError


class LessonListScreen(Screen):
    """Loads the lessons and the progress in a worker; `open_id` opens that lesson as soon as they are loaded."""

    CSS_PATH = "lesson_list.tcss"
    BINDINGS = [
        Binding("enter", "open", "Open", tooltip="Open the highlighted lesson where you left it", id="lessons.open"),
        Binding("escape", "close", "Back", tooltip="Back to the home screen", id="lessons.close"),
        Binding("q", "app.quit", "Quit", tooltip="Quit tutor", id="lessons.quit"),
    ]

    @dataclass
    class Loaded(Message):
        lessons: list | None
        progress: Progress | None
        error: str = ""

    def __init__(self, open_id: str | None = None, data_dir=None, **kwargs) -> None:
        """`data_dir`: where the lessons' MNIST runs read their data (None: the bundled copy)."""
        super().__init__(**kwargs)
        self.open_id, self.data_dir = open_id, data_dir
        self.lessons: list[Lesson] = []
        self.progress: Progress | None = None

    def compose(self):
        with Vertical(id="lessons"):
            yield Static("[b]Lessons[/b] · from one neuron to reading handwritten digits", id="lessons-title")
            yield Static("Loading the lessons …", id="lessons-summary")
            yield OptionList(id="lesson-menu")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Lessons"
        self._load()

    @background(exclusive=True)
    def _load(self) -> None:
        try:
            lessons = load_lessons()
        except InputError as e:
            self.post_message(self.Loaded(None, None, str(e)))
            return
        self.post_message(self.Loaded(lessons, Progress.load(lessons={lesson.id: lesson.keys for lesson in lessons})))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if (line := failed(self, event, "Loading the lessons")) is not None:
            self.query_one("#lessons-summary", Static).update(f"✗ {line}")

    def on_lesson_list_screen_loaded(self, message: Loaded) -> None:
        if message.error:
            self.query_one("#lessons-summary", Static).update(f"✗ {message.error}")
            return
        self.lessons, self.progress = message.lessons, message.progress
        if self.progress.notice:
            self.notify(self.progress.notice, title="Progress reset", severity="warning", timeout=12)
        self.fill()
        self.query_one(OptionList).focus()
        if self.open_id is not None:
            key, self.open_id = self.open_id, None
            try:
                self.open_lesson(self.lessons.index(find_lesson(self.lessons, key)))
            except InputError as e:
                self.notify(str(e), severity="error")

    def fill(self) -> None:
        menu = self.query_one(OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        rows = summarize(self.lessons, self.progress)
        for row in rows:
            mark = "✓" if row.completed else "…" if row.steps_done else "·"
            prompt = Group(Text.assemble(f"{mark} {row.number:>2}. ", (row.title, "bold")),
                           Padding(Text(f"{row.steps} steps, {row.exercises} exercises · {row.state}"), (0, 0, 0, 6)))
            menu.add_option(Option(prompt, id=row.id))
        completed = sum(row.completed for row in rows)
        exercises = sum(l.exercises for l in self.lessons)
        self.query_one("#lessons-summary", Static).update(
            f"{len(self.lessons)} lessons, {exercises} exercises · {completed} completed · "
            "✓ done · … started · Enter opens a lesson where you left it")
        if self.lessons:
            first_open = next((i for i, l in enumerate(self.lessons)
                               if not (self.progress.lessons.get(l.id) and self.progress.lessons[l.id].completed)), 0)
            menu.highlighted = highlighted if highlighted is not None else first_open

    def on_screen_resume(self) -> None:
        if self.lessons:
            self.fill()

    @on(OptionList.OptionSelected, "#lesson-menu")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.open_lesson(event.option_index)

    def action_open(self) -> None:
        menu = self.query_one(OptionList)
        if menu.highlighted is not None and self.lessons:
            self.open_lesson(menu.highlighted)

    def open_lesson(self, index: int) -> None:
        from tutor.app.screens.lesson import LessonScreen

        lesson = self.lessons[index]
        next_title = self.lessons[index + 1].title if index + 1 < len(self.lessons) else ""

        def closed(result) -> None:
            self.fill()
            if result == "next" and index + 1 < len(self.lessons):
                self.query_one(OptionList).highlighted = index + 1
                self.open_lesson(index + 1)

        self.app.push_screen(LessonScreen(lesson, self.progress, index + 1, next_title, self.data_dir), closed)

    def action_close(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()
