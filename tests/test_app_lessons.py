"""Plays every shipped lesson through the real app (Pilot), with wrong answers first; progress across restarts, across
a step inserted into a lesson, and from a version-1 progress file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from textual import events
from textual.keys import _character_to_key
from rich.console import Console

from tutor.course import reader as L
from tutor.app.app import TutorApp
from tutor.app.screens.lesson import LessonScreen
from tutor.app.screens.lesson_list import LessonListScreen
from tutor.app.widgets.exercise import Exercise
from tutor.app.widgets.exercise_input import AnswerInput
from conftest import until, wait_until
from tutor.cli import main
from tutor.course.reader import load_lessons
from tutor.course.grading import allowed_error
from tutor.course.progress import Progress, progress_path
from tutor.course.reader import lesson_step_keys


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


async def lesson_screen(pilot) -> LessonScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, LessonScreen))
    await pilot.pause()
    return pilot.app.screen


async def answer(pilot, text: str) -> None:
    box = pilot.app.screen.query_one(AnswerInput)
    assert pilot.app.focused is box, "the answer box has the focus on an exercise"
    box.value = text
    await pilot.press("enter")


def wrong_answer(step) -> str:
    if step.kind == "choice":
        return str(next(i for i, o in enumerate(step.options) if not o.correct) + 1)
    return repr(step.answer + 10 * allowed_error(step) + 1.0)


def right_answer(step) -> str:
    if step.kind == "choice":
        return str(next(i for i, o in enumerate(step.options) if o.correct) + 1)
    return repr(step.answer)


async def play_step(pilot, screen: LessonScreen, index: int) -> None:
    step = screen.lesson.steps[index]
    if step.kind == "step":
        before = screen.stepper.index
        await pilot.press("right")
        assert screen.stepper.index == before + 1
        await pilot.press("end")  # on to the step's quantity
    elif step.kind == "code":
        exercise = screen.query_one(Exercise)
        await answer(pilot, f"-({step.solution}) + 1")     # a wrong value: a counted try, the hint shown
        await until(pilot, lambda: not exercise.running)
        assert len(exercise.record["tries"]) == 1 and screen.query_one("#hint").display
        await answer(pilot, step.solution)
        await until(pilot, lambda: not exercise.running)
        assert exercise.record["correct"], (screen.lesson.id, index, str(screen.query_one("#feedback").render()))
    elif step.is_exercise:
        exercise = screen.query_one(Exercise)
        hint = screen.query_one("#hint")
        assert not hint.display
        first_of_kind = index == next(i for i, s in enumerate(screen.lesson.steps) if s.kind == step.kind)
        if first_of_kind:  # in every lesson, the first predict and the first choice get a wrong answer first
            await answer(pilot, wrong_answer(step))
            assert hint.display and step.hint in str(hint.render()), "a wrong try shows the hint"
            assert not exercise.solved and len(exercise.record["tries"]) == 1
        if first_of_kind and step.kind == "predict":
            await answer(pilot, "1.2.3")  # not a number: a message, not a counted try
            assert "not a number" in str(screen.query_one("#feedback").render())
            assert len(exercise.record["tries"]) == 1
        await answer(pilot, right_answer(step))
        assert exercise.record["correct"], (screen.lesson.id, index)
        assert "✓ Right" in str(screen.query_one("#feedback").render())
    elif step.kind == "check":  # tutor check for real: a file with dc_dw transposed, then the article's code
        panel = screen.query_one("CheckPanel")
        for name, done in (("broken_transposed_dc_dw.py", False), ("article.py", True)):
            panel.query_one("#check-path").value = str(Path(__file__).parent / "check_files" / name)
            await pilot.press("c")
            await until(pilot, lambda: panel.worker is not None and not panel.running)
            await pilot.pause()
            assert screen.is_done(index) == done, str(panel.query_one("#check-report").render())
        assert f"★ Everything up to the {step.level} agrees" in str(panel.query_one("#check-report").render())
    elif step.kind == "experiment":
        await until(pilot, lambda: screen.is_done(index))
    elif step.kind == "train":
        await pilot.press("s")
        await until(pilot, lambda: screen.is_done(index), 60)
    assert screen.is_done(index), (screen.lesson.id, index, step.kind)


def first_step_of_each_kind() -> dict[str, tuple[str, int]]:
    """kind -> (lesson id, step index) of its first step in the shipped lessons."""
    found = {}
    for lesson in load_lessons():
        for index, step in enumerate(lesson.steps):
            found.setdefault(step.kind, (lesson.id, index))
    return found


KIND_STEPS = first_step_of_each_kind()


def open_at(lesson_id: str, index: int) -> None:
    """Progress saved at step `index` of a lesson: the app opens the lesson there."""
    progress = Progress.load(lessons=lesson_step_keys())
    progress.lesson(lesson_id).step = index
    progress.save()


@pytest.mark.parametrize("kind", sorted(KIND_STEPS))
async def test_each_kind_of_step_played_through_the_app(kind, shared_data):
    """Every lesson is played to its end by tests/test_course_session.py without the UI; here each kind of step is
    played as the learner does it, by keys (a wrong answer first), and n goes on to the next step."""
    lesson_id, index = KIND_STEPS[kind]
    open_at(lesson_id, index)
    app = TutorApp(lesson_id=lesson_id, data_dir=shared_data)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await lesson_screen(pilot)
        assert screen.step_index == index and screen.step.kind == kind
        await play_step(pilot, screen, index)
        await pilot.press("n")
        assert screen.step_index == index + 1
    assert json.loads(progress_path().read_text())["lessons"][lesson_id]["step"] == screen.lesson.steps[index + 1].key


async def test_the_last_step_completes_the_lesson_and_n_opens_the_next_then_the_list(shared_data):
    lessons = load_lessons()
    for lesson in (lessons[0], lessons[-1]):
        open_at(lesson.id, len(lesson.steps) - 1)
        app = TutorApp(lesson_id=lesson.id, data_dir=shared_data)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await lesson_screen(pilot)
            await play_step(pilot, screen, len(lesson.steps) - 1)
            await pilot.press("n")
            assert screen.finished and Progress.load(lessons=lesson_step_keys()).lessons[lesson.id].completed
            done = str(screen.query_one("#lesson-done").render())
            if lesson is lessons[0]:
                assert "Next lesson" in done and lessons[1].title in done
                await pilot.press("n")
                await until(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen is not screen)
                assert app.screen.lesson.id == lessons[1].id
            else:
                assert "That was the last lesson" in done
                await pilot.press("n")
                await until(pilot, lambda: isinstance(app.screen, LessonListScreen))


async def test_progress_survives_quitting_and_restarting(data_home):
    app = TutorApp(lesson_id="forward-pass")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await lesson_screen(pilot)
        await pilot.press("n")                       # explain -> step until b_l1
        await pilot.press("right", "right", "right")
        assert screen.is_done(1) and screen.stepper.index == 2
        await pilot.press("right")                   # z_l1 is still to predict: no peeking
        assert screen.stepper.index == 2
        await pilot.press("n")
        box = screen.query_one(AnswerInput)          # at 80x24 the box, the stepper's transcript and the footer fit
        await until(pilot, lambda: box.region.height > 0)
        assert box.region.height == 1 and box.region.bottom < 24 - 2
        assert screen.query_one("#transcript").region.height >= 3
        await pilot.press("f2")                      # the hint on request, before any try (h is typed in the box)
        assert screen.query_one("#hint").display
        await answer(pilot, "1.2")
        assert not screen.query_one(Exercise).solved
        await pilot.press("f3")                      # give up? the first press only asks
        assert not screen.query_one(Exercise).solved and "again" in str(screen.query_one("#lesson-status").render())
        await pilot.press("f3")                      # the answer is shown, the step is done
        assert screen.query_one(Exercise).record["revealed"] and "1.124" in str(screen.query_one("#feedback").render())
        assert screen.stepper.entry.name == "z_l1"  # and the stepper shows it
        await pilot.press("n", "q")
    assert json.loads(progress_path().read_text())["lessons"]["forward-pass"]["step"] == "a-l1"  # saved by step id

    app = TutorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")                  # home: Lessons is the first entry
        await until(pilot, lambda: isinstance(app.screen, LessonListScreen) and app.screen.lessons)
        await pilot.pause()
        menu = app.screen.query_one("#lesson-menu")
        console = Console(width=100, no_color=True, force_terminal=False)
        with console.capture() as shown:
            console.print(menu.get_option("forward-pass").prompt)
        assert "3. The forward pass" in shown.get() and "3 of 10 steps" in shown.get()
        menu.highlighted = 2
        await pilot.press("enter")
        screen = await lesson_screen(pilot)
        assert screen.step_index == 3 and screen.stepper.entry.name == "z_l1"  # a_l1 is next, to predict
        screen.step_index = 2
        await pilot.pause()
        exercise = screen.query_one(Exercise)
        assert exercise.record == {"tries": ["1.2"], "correct": False, "revealed": True, "hinted": True}  # F2 asked
        assert exercise.query_one(AnswerInput).disabled


async def test_corrupt_progress_is_kept_aside_and_the_app_starts(data_home):
    path = progress_path()
    path.parent.mkdir(parents=True)
    path.write_text('{"lessons": {"cost": ')
    app = TutorApp(lesson_id="cost")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await lesson_screen(pilot)
        assert screen.step_index == 0
        assert any("kept as" in n.message for n in app._notifications)
        await pilot.press("n")
    kept = [p for p in path.parent.iterdir() if p.name.startswith("progress.json.corrupt-")]
    assert len(kept) == 1 and kept[0].read_text() == '{"lessons": {"cost": '
    assert json.loads(path.read_text())["lessons"]["cost"]["step"] == "to-y"


async def test_training_runs_in_a_worker_and_s_stops_it():
    from tutor.app.widgets.lesson_train import TrainPanel

    progress = Progress.load(lessons=lesson_step_keys())
    progress.lesson("training-mnist").step = 2  # the train step
    progress.save()
    app = TutorApp(lesson_id="training-mnist")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await lesson_screen(pilot)
        assert screen.step.kind == "train"
        await pilot.press("n")
        assert screen.step_index == 2                 # not before it has run
        # Pilot's press waits for the app's workers to finish, so the key's action is run directly here.
        screen.action_train()
        panel = screen.query_one(TrainPanel)
        assert panel.running and "s stops" in str(screen.query_one("#lesson-status").render())
        await wait_until(lambda: panel.epochs_done >= 1)  # the UI keeps running while the worker trains
        screen.action_train()
        await wait_until(lambda: not panel.running and screen.is_done(2))  # the screen hears just after the panel
        await wait_until(lambda: app.trained_network is not None)
        status = str(panel.query_one("#train-status").render())
        assert "Training stopped after" in status and panel.epochs_done < 30
        assert screen.is_done(2)
        assert app.trained_network is not None and app.trained_network.sizes == [784, 30, 10]


def screen_line(widget, y: int = 0) -> str:
    return widget.render_line(y).text


async def test_head_line_and_stepper_halves_fit(data_home):
    app = TutorApp(lesson_id="backprop")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await lesson_screen(pilot)
        head = screen_line(screen.query_one("#lesson-head")).rstrip()
        assert head.startswith("Lesson 5 · Backpropagation on 1-1-1: the chain rule, number by number  ")
        assert head.endswith("  step 1/14 read · 1/14 done") and len(head) <= 98
        formula, transcript = screen.query_one("#formula"), screen.query_one("#transcript")
        assert abs(formula.region.width - transcript.region.width) <= 1 and formula.region.width >= 49
        assert "∂C/∂a_l2 = a_l2 − y" in screen_line(formula, 0)  # the lesson starts where its story does
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        head = screen_line(screen.query_one("#lesson-head")).rstrip()
        assert len(head) <= 78 and head.startswith("Lesson 5 · Backpropagation") and "…" in head
        assert head.endswith("step 1/14 read · 1/14 done")  # where the learner is: always whole


FORWARD_PASS = "03-forward-pass.toml"
NEW_STEP = """[[steps]]
kind = "choice"
title = "A question added later"
text = "Which numbers does the hidden neuron's z use?"
hint = "Look at the stepper."

[[steps.options]]
text = "The input, the weight and the bias"
correct = true
why = "z_l1 = w_l1 · a_l0 + b_l1."

[[steps.options]]
text = "Only the input"
correct = false
why = "The weight and the bias come in too."

"""


def head_text(screen) -> str:
    return screen_line(screen.query_one("#lesson-head"))


def lesson_list_entry(app, lesson_id: str) -> str:
    console = Console(width=100, no_color=True, force_terminal=False)
    with console.capture() as shown:
        console.print(app.screen.query_one("#lesson-menu").get_option(lesson_id).prompt)
    return shown.get()


@pytest.fixture
def lesson_dir(tmp_path, monkeypatch):
    """The app's lessons come from a directory of the test's own."""
    directory = tmp_path / "lessons"
    directory.mkdir()
    shipped = L.lesson_files
    monkeypatch.setattr(L, "lesson_files", lambda paths=None: shipped(paths or [directory]))
    return directory


@pytest.mark.parametrize("step_ids", [True, False], ids=["step-ids", "derived-keys"])
async def test_a_step_inserted_before_an_answered_exercise(lesson_dir, step_ids):
    text = (L.SHIPPED / FORWARD_PASS).read_text(encoding="utf-8")
    if not step_ids:
        text = re.sub(r'(?m)^(kind = "\w+"\n)id = "[^"]*"\n', r"\1", text)
        assert 'id = "z-l1"' not in text and 'id = "forward-pass"' in text
    (lesson_dir / FORWARD_PASS).write_text(text, encoding="utf-8")
    app = TutorApp(lesson_id="forward-pass")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await lesson_screen(pilot)
        for index in range(3):                        # read, step to b_l1, predict z_l1 (a wrong try first)
            await play_step(pilot, screen, index)
            await pilot.press("n")
        await pilot.press("q")
    z_l1 = text.rindex("[[steps]]", 0, text.index('quantity = "z_l1"'))
    (lesson_dir / FORWARD_PASS).write_text(text[:z_l1] + NEW_STEP + text[z_l1:], encoding="utf-8")

    app = TutorApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")                    # home: Lessons
        await until(pilot, lambda: isinstance(app.screen, LessonListScreen) and app.screen.lessons)
        await pilot.pause()
        assert "3 of 11 steps" in lesson_list_entry(app, "forward-pass")
        await pilot.press("enter")
        screen = await lesson_screen(pilot)
        assert screen.step_index == 4 and screen.step.quantity == "a_l1"  # where the learner left it
        assert head_text(screen).rstrip().endswith("step 5/11 predict · 3/11 done")
        assert [screen.is_done(i) for i in range(5)] == [True, True, False, True, False]
        screen.step_index = 3
        await pilot.pause()
        exercise = screen.query_one(Exercise)
        assert screen.step.quantity == "z_l1" and exercise.record["correct"] and len(exercise.record["tries"]) == 2
        assert exercise.query_one(AnswerInput).disabled
        screen.step_index = 2
        await pilot.pause()
        assert screen.step.title == "A question added later" and not screen.is_done(2)
        assert exercise.record == {"tries": [], "correct": False, "revealed": False}
        assert not exercise.query_one(AnswerInput).disabled


async def test_a_version_1_file_opens_where_the_learner_left_it(data_home, capsys):
    path = progress_path()
    path.parent.mkdir(parents=True)
    answer = {"tries": ["1.2"], "correct": False, "revealed": True}
    v1 = {"version": 1, "lessons": {"forward-pass": {"step": 3, "done": [0, 1, 2], "completed": False,
                                                     "answers": {"2": answer}}}}
    path.write_text(json.dumps(v1))
    assert main(["lessons", "list"]) == 0 and "3 of 10 steps" in capsys.readouterr().out
    app = TutorApp(lesson_id="forward-pass")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await lesson_screen(pilot)
        assert screen.step_index == 3 and head_text(screen).rstrip().endswith("step 4/10 predict · 3/10 done")
        screen.step_index = 2
        await pilot.pause()
        assert screen.query_one(Exercise).record == answer
    saved = json.loads(path.read_text())
    assert saved["version"] == 2 and saved["lessons"]["forward-pass"]["answers"] == {"z-l1": answer}
    copies = [p for p in path.parent.iterdir() if p.name.startswith("progress.json.version-1-")]
    assert len(copies) == 1 and json.loads(copies[0].read_text()) == v1


@pytest.mark.parametrize("moves", [0, 2, 7])
async def test_escape_leaves_a_lesson_for_the_list_at_any_step(moves):
    """Esc closes the lesson; its footer, whose refresh may still be pending, must not touch a closed screen."""
    app = TutorApp(lesson_id="forward-pass")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await lesson_screen(pilot)
        for _ in range(moves):
            screen.step_index = min(screen.step_index + 1, len(screen.lesson.steps) - 1)
            await pilot.pause()
        typing = screen.typing
        await pilot.press("escape")
        if typing:  # the first Esc leaves the answer box, the second the lesson
            assert app.screen is screen and not screen.typing
            await pilot.press("escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, LessonListScreen))
        await pilot.pause(0.2)
        assert app.return_value is None and app.is_running


PRINTABLE = "".join(chr(c) for c in range(33, 127)) + " −×"  # every printable ASCII character, a space, − and ×


@pytest.mark.parametrize("kind", ["predict", "choice"])
async def test_any_printable_text_typed_into_an_answer_box_is_text_never_a_command(kind):
    """Typing `a` (an option letter) asked to reveal the answer; `nan` revealed it through its a. Now every
    printable key goes into the box; the commands are F2 (hint), F3 (answer) and Esc (out of the box)."""
    lesson_id, index = KIND_STEPS[kind]
    open_at(lesson_id, index)
    app = TutorApp(lesson_id=lesson_id)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await lesson_screen(pilot)
        box = screen.query_one(AnswerInput)
        assert app.focused is box and screen.step_index == index
        for character in PRINTABLE:  # as a terminal sends them, a fast typist's keys
            app.post_message(events.Key(_character_to_key(character) if character.isascii() else character,
                                        character))
        await pilot.pause()
        assert box.value == PRINTABLE
        exercise = screen.query_one(Exercise)
        assert screen.step_index == index and app.screen is screen and not exercise.hint_shown
        assert exercise.record == {"tries": [], "correct": False, "revealed": False}
        footer = app.screen.active_bindings
        assert "f2" in footer and "f3" in footer and not footer["h"].enabled if "h" in footer else True
        wrong = next(chr(ord("a") + i) for i, o in enumerate(screen.step.options) if not o.correct) \
            if kind == "choice" else "nan"
        box.value = wrong                              # an option's letter, or not a number (through its a)
        await pilot.press("enter")
        assert not exercise.record["revealed"] and exercise.record["tries"] == ([wrong] if kind == "choice" else [])
        await pilot.press("f2")
        assert exercise.hint_shown
        await pilot.press("escape")                    # out of the box: letters are commands again
        assert app.screen is screen and app.focused is not box
        await pilot.press("a")
        assert "Press a again" in str(screen.query_one("#lesson-status").render())


async def test_quitting_keeps_the_lesson_step_and_the_stepper_together():
    """Quitting at lesson step 2 with the stepper at 5/27 reopened at step 2 with the stepper at 0/27."""
    app = TutorApp(lesson_id="forward-pass")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await lesson_screen(pilot)
        assert {"home", "end"} <= {k for k, b in screen.active_bindings.items() if b.binding.show}
        await pilot.press("n", "right", "right", "n")  # the step step (→ twice, to b_l1), then predict z_l1
        assert screen.step.kind == "predict" and screen.stepper.index == 2
        await pilot.press("1", "home")                  # in the answer box Home moves its cursor, not the stepper
        assert screen.stepper.index == 2 and screen.query_one(AnswerInput).cursor_position == 0
        await pilot.press("escape", "left")             # out of the answer box; the stepper one back
        assert screen.stepper.index == 1
        await pilot.press("q")
    app = TutorApp(lesson_id="forward-pass")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await lesson_screen(pilot)
        assert screen.step_index == 2 and screen.stepper.index == 1
        await pilot.press("escape", "end")              # End: as far as it may go, just before z_l1
        assert screen.stepper.index == 2
        await pilot.press("home")
        assert screen.stepper.index == -1


async def test_a_lesson_that_does_not_use_the_stepper_does_not_show_one():
    app = TutorApp(lesson_id="mini-batches")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await lesson_screen(pilot)
        assert screen.lesson.trace is not None and screen.stepper is None
        home = screen.active_bindings.get("home")
        assert home is None or home.node is not screen or not home.enabled
