"""Every lesson step and every quantity of the stepper at 80x24 and 100x30: no text of ours is cut (tests/fit.py says
what counts), not only no crash. Every other screen is checked the same way after each key the crash hunt
(tests/test_app_keys.py) presses on it, at both sizes. The lesson text wraps, panels wrap their long lines, tables
drop a column or summarise a value with …, footers group their keys so all of them show."""

from __future__ import annotations

import pytest

from conftest import until
from fit import cut
from tutor.app.app import TutorApp
from tutor.app.screens.lesson import LessonScreen
from tutor.course.progress import Progress
from tutor.course.reader import load_lessons
from tutor.engine import mnist
from tutor.engine.spec import NetworkSpec, load_spec

SIZES = [(80, 24), (100, 30)]
LESSONS = load_lessons()


async def settled(pilot) -> None:
    """Let the screen lay out, and the lesson footer rebuild for the step's keys."""
    await pilot.pause()
    footers = pilot.app.screen.query("LessonFooter")
    if any(f._pending for f in footers):
        await until(pilot, lambda: not any(f._pending for f in footers))
        await pilot.pause()


def check(app, where: str) -> None:
    found = cut(app.screen)
    assert not found, f"{where} at {app.size.width}x{app.size.height}: " + "; ".join(found)


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
async def test_every_step_of_every_lesson_fits(lesson, shared_data):
    app = TutorApp(data_dir=shared_data)
    async with app.run_test(size=SIZES[1]) as pilot:
        progress = Progress.load(lessons={lesson.id: lesson.keys})
        screen = LessonScreen(lesson, progress, LESSONS.index(lesson) + 1, "The next lesson", shared_data)
        await app.push_screen(screen)
        for size in SIZES:
            await pilot.resize_terminal(*size)
            for index, step in enumerate(lesson.steps):
                screen.step_index = index
                await settled(pilot)
                check(app, f"{lesson.id} step {index} ({step.kind})")
            screen.session.complete()
            await screen.show_complete()
            await settled(pilot)
            check(app, f"{lesson.id}, complete")
        await until(pilot, lambda: all(w.is_finished for w in app.workers), 60)


@pytest.mark.parametrize("example", ["one-one-one", "two-three-two", "mnist"])
async def test_the_stepper_fits_at_every_quantity(example, shared_data, net):
    data = mnist.load(shared_data)
    spec = NetworkSpec(net, data.test.input(0), data.test.target(0), 3.0, title="MNIST test image 0, label 7") \
        if example == "mnist" else load_spec(example)
    app = TutorApp()
    async with app.run_test(size=SIZES[0]) as pilot:
        app.open_stepper(spec, data if example == "mnist" else None)
        await pilot.pause()
        stepper = app.screen.stepper
        for size, every in zip(SIZES, (1, 4)):  # every quantity at 80x24; at 100x30, where there is more room, some
            await pilot.resize_terminal(*size)
            for index in range(-1, len(spec.trace()), every):
                stepper.index = index
                await pilot.pause()
                check(app, f"the stepper on {example} at quantity {index}")
            for key, what in (("i", "the neuron inspector"), ("g", "the gradient check")):
                await pilot.press(key)
                await pilot.pause()
                check(app, what)
                await pilot.press("escape")
            if example == "two-three-two":
                await pilot.press("e")
                await pilot.pause()
                check(app, "the edit form")
                await pilot.press("ctrl+s")
                await pilot.pause()
                check(app, "what the change did")
                await pilot.press("escape")
