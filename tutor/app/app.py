"""TutorApp: the home screen, or the stepper on a network file, or a lesson."""

from __future__ import annotations

from textual.app import App
from textual.reactive import var

from tutor.app.commands import ScreenCommands
from tutor.app.screens.home import HomeScreen


class TutorApp(App):
    """Holds what screens share: the MNIST directory and the last trained network."""

    CSS_PATH = "app.tcss"
    TITLE = "tutor"
    COMMANDS = App.COMMANDS | {ScreenCommands}
    trained_network = var(None, always_update=True)  # set by the training screen when a run ends or an epoch ends

    def __init__(self, data_dir=None, spec=None, lesson_id=None) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.spec = spec
        self.lesson_id = lesson_id

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())
        if self.spec is not None:
            from tutor.app.screens.stepper import StepperScreen

            self.push_screen(StepperScreen(self.spec))
        elif self.lesson_id is not None:
            self.open_lesson(self.lesson_id)

    def open_lesson(self, lesson_id: str) -> None:
        """Open the lesson list, then the lesson `lesson_id` (an id or a number) where the learner left it."""
        from tutor.app.screens.lesson_list import LessonListScreen

        self.push_screen(LessonListScreen(open_id=lesson_id))

    def open_view(self, name: str) -> bool:
        """Open an MNIST view by the name a lesson step gives (e.g. "mnist-browser"); False if unknown."""
        from tutor.app.screens.explore import open_view

        return open_view(self, name)
