"""Snapshots of the main screens at 100x30 (pytest-textual-snapshot): a change to what they show is seen in review.
After a deliberate change, look at the new pictures and accept them with `pytest tests/test_snapshots.py
--snapshot-update`."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tutor.app.app import TutorApp
from tutor.course.progress import Progress
from tutor.course.reader import lesson_step_keys
from tutor.engine.spec import load_spec

SIZE = (100, 30)


async def steady(pilot) -> None:
    """No text box has the focus, so none shows a cursor: whether a focused box's blinking cursor is drawn depends on
    the moment the picture is taken (and on the app's focus in the harness), which made the picture differ between
    runs."""
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    pilot.app.screen.set_focus(None)
    await pilot.pause()


def test_home(snap_compare):
    assert snap_compare(TutorApp(), terminal_size=SIZE)


def test_stepper_on_the_demo_network_in_the_backward_pass(snap_compare):
    keys = ["space"] * 14 + ["down"]
    assert snap_compare(TutorApp(spec=load_spec("two-three-two")), press=keys, terminal_size=SIZE)


def test_edit_form(snap_compare):
    async def opened(pilot):
        await pilot.press("e")
        while pilot.app.screen.__class__.__name__ != "EditNetworkScreen":
            await pilot.pause(0.02)
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(TutorApp(spec=load_spec("two-three-two")), run_before=opened, terminal_size=SIZE)


def test_lesson_list(snap_compare):
    async def lessons_loaded(pilot):
        await pilot.press("enter")
        while not getattr(pilot.app.screen, "lessons", None):
            await pilot.pause(0.02)
        await pilot.pause()

    assert snap_compare(TutorApp(), run_before=lessons_loaded, terminal_size=SIZE)


@pytest.mark.parametrize("index", [3, 9], ids=["predict", "choice"])
def test_a_lesson_exercise(snap_compare, index):
    progress = Progress.load(lessons=lesson_step_keys())
    progress.lesson("forward-pass").step = index
    progress.save()

    async def opened(pilot):
        while pilot.app.screen.__class__.__name__ != "LessonScreen" or pilot.app.screen.step_index != index \
                or not isinstance(pilot.app.focused, Input):
            await pilot.pause(0.02)
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(TutorApp(lesson_id="forward-pass"), run_before=opened, terminal_size=SIZE)
