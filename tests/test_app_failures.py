"""An unexpected exception in any of the app's workers: the app keeps running, says what failed (and where the
details are logged), and the screen that waited for the result shows it instead; the learner's place is kept."""

from __future__ import annotations

import pytest

from conftest import check, open_train, until
from tutor.app.app import TutorApp
from tutor.app.screens import explore as explore_module
from tutor.app.screens import lesson_list as lesson_list_module
from tutor.app.screens.browser import BrowserScreen
from tutor.app.screens.confusion import ConfusionScreen
from tutor.app.screens.explore import Trained
from tutor.app.screens.lesson import LessonScreen
from tutor.app.screens.noise import NoiseScreen
from tutor.app.widgets import lesson_experiment
from tutor.app.workers import log_path
from tutor.course.progress import Progress
from tutor.course.reader import lesson_step_keys
from tutor.engine import digits, mnist, training

SIZE = (100, 30)


def boom(*args, **kwargs):
    raise RuntimeError("injected for the test")


def notes(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


def open_at(lesson_id: str, index: int) -> None:
    progress = Progress.load(lessons=lesson_step_keys())
    progress.lesson(lesson_id).step = index
    progress.save()


CASES = {
    # name: (what to patch, the text the waiting screen shows, how to get there)
    "lesson list": ((lesson_list_module, "load_lessons"), "#lessons-summary", "list"),
    "explore": ((mnist, "load"), "#explore-network", "explore"),
    "explore file": ((explore_module, "load_network"), "#explore-network", "explore-file"),
    "training screen": ((training, "run"), "#train-status", "train"),
    "lesson experiment": ((lesson_experiment, "run_experiment"), None, "experiment"),
    "lesson training": ((training, "run"), "#train-status", "lesson-train"),
    "browser search": ((training, "predict"), None, "browser"),
    "confusion": ((digits, "confusion_matrix"), "#confusion-summary", "confusion"),
    "noise": ((digits, "mean_top_activation"), "#noise-compare", "noise"),
}


@pytest.mark.parametrize("case", CASES)
async def test_an_unexpected_error_in_a_worker_is_reported_and_the_app_goes_on(case, shared_data, net, monkeypatch,
                                                                               tmp_path):
    (owner, name), shown, how = CASES[case]
    lesson = {"experiment": ("gradient-descent", 5), "lesson-train": ("training-mnist", 2)}.get(how)
    if lesson:
        open_at(*lesson)
    app = TutorApp(data_dir=shared_data, lesson_id=lesson[0] if lesson else None)
    async with app.run_test(size=SIZE) as pilot:
        if how in ("browser", "confusion", "noise"):
            data = mnist.load(shared_data)
            screen = {"browser": BrowserScreen, "confusion": ConfusionScreen, "noise": NoiseScreen}[how](net, data)
            monkeypatch.setattr(owner, name, boom)
            await app.push_screen(screen)
            if how == "browser":
                await pilot.press("m")
        else:
            monkeypatch.setattr(owner, name, boom)
            if how == "list":
                app.open_lessons()
            elif how == "explore":
                await app.push_screen(app.explore())
            elif how == "explore-file":
                app.trained = Trained(net, "trained on the Train screen")
                screen = app.explore()
                await app.push_screen(screen)
                await until(pilot, lambda: screen.ready)
                await pilot.press("l")
                screen.query_one("#explore-path").value = str(tmp_path / "net.npz")
                await pilot.press("enter")
            elif how == "train":
                await open_train(pilot, images="100", epochs="1")
                await pilot.press("ctrl+t")
            elif how in ("experiment", "lesson-train"):
                await until(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.step_index >= 0)
                if how == "lesson-train":
                    await pilot.press("s")
        await until(pilot, lambda: "Something went wrong" in "\n".join(n.title for n in app._notifications))
        await pilot.pause()
        check(app)
        assert "injected for the test" in notes(app) and str(log_path()) in notes(app)
        assert "RuntimeError: injected for the test" in log_path().read_text()
        screen = app.screen
        if shown is not None:
            assert "failed unexpectedly: RuntimeError: injected for the test" in str(screen.query_one(shown).render())
        if how == "experiment":
            assert any("failed unexpectedly" in line for line in screen.query_one("ExperimentPanel").lines)
            assert not screen.query_one("ExperimentPanel").running and not screen.is_done(5)
        if how == "lesson-train":
            assert not screen.query_one("TrainPanel").running and not screen.is_done(2)
        if how == "browser":
            assert not screen.query_one("#browser-note").display
        await pilot.press("escape")  # and the app goes on
        check(app)


def test_an_app_that_ends_on_an_error_exits_with_a_status_that_is_not_0(monkeypatch, capsys):
    """An error outside a worker (a bug in a screen) still ends the app, as Textual does; `tutor` then exits 1."""
    from textual.app import App

    from tutor.app.screens import home
    from tutor.cli import main

    def broken_compose(self):
        raise RuntimeError("a bug in a screen")

    monkeypatch.setattr(home.HomeScreen, "compose", broken_compose)
    monkeypatch.setattr(TutorApp, "run", lambda self: App.run(self, headless=True, size=SIZE))
    assert main([]) == 1


async def test_a_network_too_large_to_trace_is_said_not_opened():
    """tutor.engine.trace refuses networks over its bound (a loaded 784-1000-10, traced from Explore): the app says
    so in a message instead of failing inside the stepper."""
    import numpy as np

    from tutor.engine.network import Network
    from tutor.engine.spec import NetworkSpec

    big = NetworkSpec(Network([784, 1000, 10], seed=0), np.zeros((784, 1)), np.zeros((10, 1)), 3.0)
    app = TutorApp()
    async with app.run_test(size=SIZE) as pilot:
        app.open_stepper(big)
        await pilot.pause()
        check(app)
        assert app.screen.__class__.__name__ == "HomeScreen"
        assert "too many to trace" in notes(app)
