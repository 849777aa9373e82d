"""A lesson's code step played by keys (right by another expression than the solution, wrong with its diagnosis shown,
a loop stopped at the time limit while the screen keeps answering, the try not counted), and > opening the >>> prompt
over what the lesson's stepper has computed, never past the quantity still asked, and only out of the answer box."""

from __future__ import annotations

import time

import pytest

from textual import events

from conftest import until, wait_until
from tutor.app.app import TutorApp
from tutor.app.commands import ScreenCommands
from tutor.app.screens.lesson import LessonScreen
from tutor.app.screens.repl import ReplScreen
from tutor.app.widgets.exercise import Exercise
from tutor.app.widgets.exercise_input import AnswerInput
from tutor.course.progress import Progress
from tutor.course.reader import lesson_step_keys


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def open_at(lesson_id: str, step_id: str) -> None:
    progress = Progress.load(lessons=lesson_step_keys())
    progress.lesson(lesson_id).step = lesson_step_keys()[lesson_id].index(step_id)
    progress.save()


async def lesson_at(pilot, step_id: str) -> LessonScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, LessonScreen) and pilot.app.screen.step_index >= 0)
    screen = pilot.app.screen
    assert screen.step.id == step_id
    return screen


async def typed(pilot, text: str) -> str:
    """Type `text` into the answer box, Enter, and wait for the sandbox's verdict; the feedback shown."""
    exercise = pilot.app.screen.query_one(Exercise)
    box = exercise.query_one(AnswerInput)
    assert pilot.app.focused is box
    box.value = text
    await pilot.press("enter")
    await until(pilot, lambda: not exercise.running)
    return str(exercise.query_one("#feedback").render())


async def test_a_code_step_right_wrong_with_its_diagnosis_and_stopped_at_the_time_limit():
    open_at("matrix-form", "code-dc-dw-l2")
    app = TutorApp(lesson_id="matrix-form")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await lesson_at(pilot, "code-dc-dw-l2")
        exercise = screen.query_one(Exercise)
        names = str(exercise.query_one("#namespace").render())
        assert names.startswith("You have: a_l0, w_l1,") and "dc_db_l2, np and the article's helpers" in names
        assert "dc_dw_l2" not in names
        shown = await typed(pilot, "np.dot(a_l1, dc_db_l2.T)")
        assert "2 tries left" in shown and "Not yet: it is the right answer transposed" in shown, shown
        assert exercise.record["tries"] == ["np.dot(a_l1, dc_db_l2.T)"] and screen.query_one("#hint").display

        exercise.runner.sandbox.time_limit = 1.0
        box = exercise.query_one(AnswerInput)
        box.value = "while True: pass"
        started = time.monotonic()
        app.post_message(events.Key("enter", "\r"))            # (Pilot's press would wait for the worker)
        await wait_until(lambda: exercise.running and box.disabled)
        before = screen.stepper.index
        app.post_message(events.Key("left", None))              # the screen answers while the loop runs
        await wait_until(lambda: screen.stepper.index == before - 1)
        assert exercise.running
        await wait_until(lambda: not exercise.running, 5)
        assert time.monotonic() - started < 3
        shown = str(exercise.query_one("#feedback").render())
        assert shown.startswith("✗ Stopped after 1 s") and "does not count as a try" in shown
        await until(pilot, lambda: app.focused is box)
        assert len(exercise.record["tries"]) == 1 and box.value == "while True: pass"

        await pilot.press("up", "up")                          # ↑: what was tried in this step
        assert box.value == "np.dot(a_l1, dc_db_l2.T)"
        shown = await typed(pilot, "dc_db_l2 @ a_l1.T")         # not the solution's text: its value
        assert shown.startswith("✓ Right. Your code gives the engine's dc_dw_l2.")
        assert "The article's code: dc_dw_l2 = np.dot(dc_db_l2, a_l1.T)" in shown
        assert exercise.record == {"tries": ["np.dot(a_l1, dc_db_l2.T)", "dc_db_l2 @ a_l1.T"], "correct": True,
                                   "revealed": False}
        assert screen.stepper.index == screen.lesson.trace.index("dc_dw_l2") - 1  # the predict after it: no peeking
        await pilot.press("n")
        assert screen.step.kind == "predict" and screen.step.quantity == "dc_dw_l2[1][2]"
    assert exercise.runner.sandbox._child is None                # the child ended with the screen


async def test_greater_than_opens_the_prompt_over_the_quantities_so_far_but_types_into_an_answer_box():
    open_at("backprop", "code-dc-db-l2")
    app = TutorApp(lesson_id="backprop")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await lesson_at(pilot, "code-dc-db-l2")
        box = screen.query_one(AnswerInput)
        await pilot.press("greater_than_sign")                 # in the answer box, > is text
        assert box.value == ">" and app.screen is screen
        box.value = ""
        await pilot.press("escape", "question_mark")           # out of the box: ? lists the keys, > among them
        assert app.screen.query("HelpPanel") and "A >>> prompt" in str(
            [b.tooltip for b in screen.BINDINGS if b.action == "python"])
        await pilot.press("escape")
        assert not app.screen.query("HelpPanel") and app.screen is screen
        await pilot.press("greater_than_sign")
        await until(pilot, lambda: isinstance(app.screen, ReplScreen) and app.screen.query("#repl-input"))
        repl = app.screen
        trace = screen.lesson.trace
        assert repl.names == trace.names[:trace.index("dc_db_l2")]  # everything before the asked quantity, no more
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        assert "Python" in [name for name, *_ in ScreenCommands(screen)._commands()]  # and in the palette
