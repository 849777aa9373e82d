"""Every shipped lesson played to the end without the UI (tutor.course.session): wrong answers first, no peeking,
the experiments and training runs for real on a small slice of MNIST, tutor check for real on the article's code
(lesson 13), progress saved and complete."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import write_dataset
from tutor.check import Report, check_file
from tutor.course.experiments import run_experiment, train_config
from tutor.course.grading import allowed_error
from tutor.course.progress import Progress, progress_path
from tutor.course.reader import load_lessons
from tutor.course.session import LessonSession, level_agrees
from tutor.engine import mnist, training
from tutor.sandbox import Sandbox

LESSONS = load_lessons()


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> str:
    """MNIST runs on 600 training and 100 test images."""
    return str(write_dataset(tmp_path_factory.mktemp("session") / "mnist"))


def wrong_answer(step) -> str:
    if step.kind == "choice":
        return str(next(i for i, o in enumerate(step.options) if not o.correct) + 1)
    return repr(step.answer + 10 * allowed_error(step) + 1.0)


def right_answer(step) -> str:
    if step.kind == "choice":
        return str(next(i for i, o in enumerate(step.options) if o.correct) + 1)
    return repr(step.answer)


@pytest.fixture(scope="module")
def article_report() -> Report:
    """tutor check on the article's code (tests/check_files/article.py), run once: every level agrees."""
    report = check_file(Path(__file__).parent / "check_files" / "article.py", seed=1)
    assert report.exit_status == 0, report.error or report.difference
    return report


@pytest.fixture(scope="module")
def sandbox():
    """One child process for every code step of the module."""
    box = Sandbox()
    yield box
    box.close()


def try_code(sandbox: Sandbox, attempts, text: str):
    """What a code step's try gives, as the lesson screen's worker gets it."""
    code = attempts.prepare(text)
    sandbox.reset(attempts.quantities)
    return attempts.grade(text, sandbox.run(code))


def play(session: LessonSession, data_dir: str, sandbox: Sandbox, report: Report) -> None:
    """Every step as a learner does it: the stepper driven with → where it is asked for, each exercise answered
    wrong, then not as a number, then right; experiments and runs to their end; a check step checked first on a file
    still to write, then on the article's code (`report`)."""
    lesson = session.lesson
    stepper = session.target
    for index, step in enumerate(lesson.steps):
        assert session.index == index and not session.is_done(index) or step.shows_itself
        stepper = session.target if session.has_stepper else stepper
        if session.limit is not None:
            assert stepper <= session.limit, "the stepper never stands past a quantity still to predict"
            assert session.blocked(session.limit) is not None  # no peeking: → stops there with a message
        if step.kind == "step":
            assert session.allowed("forward") and not session.next() == "moved"
            while not session.is_done(index):
                assert session.blocked(stepper) is None
                stepper += 1
                session.stepper_moved(stepper)
            assert lesson.trace.names[stepper] == step.until
        elif step.kind == "code":
            assert session.allowed("hint") and session.allowed("reveal") and session.blocked(session.limit)
            attempts = session.attempts()
            assert step.name not in attempts.quantities and lesson.trace.names[session.limit] in attempts.quantities
            feedback = try_code(sandbox, attempts, f"-({step.solution}) + 1")
            assert feedback.counted and not feedback.right and not session.answered(attempts)
            feedback = try_code(sandbox, attempts, f"{step.solution} + not_a_name")
            assert not feedback.counted and "NameError" in feedback.message
            feedback = try_code(sandbox, attempts, f"{step.name} = {step.solution}")  # the article's line passes too
            assert feedback.right and session.answered(attempts), (lesson.id, index, feedback.message)
            assert session.target <= lesson.trace.index(step.name) if session.limit is None else \
                session.target <= session.limit
        elif step.is_exercise:
            assert session.allowed("hint") and session.allowed("reveal")
            attempts = session.attempts()
            feedback = attempts.attempt(wrong_answer(step))
            assert feedback.counted and not feedback.right and not session.answered(attempts)
            assert session.next() == "blocked" and session.index == index
            if step.kind == "predict":
                feedback = attempts.attempt("1.2.3")
                assert not feedback.counted and "not a number" in feedback.message
            feedback = attempts.attempt(right_answer(step))
            assert feedback.right and session.answered(attempts), (lesson.id, index)
            assert not session.allowed("reveal")
            if step.name:
                assert session.target == lesson.trace.index(step.name) - 1 or session.limit is None \
                    or session.limit >= lesson.trace.index(step.name)
        elif step.kind == "check":
            assert session.allowed("code") and not session.allowed("hint")
            todo = Report("mine.py", error="not written yet: sigmoid", todo="sigmoid")
            assert not session.checked(todo) and session.next() == "blocked" and "c checks it" in session.todo()
            assert session.checked(report)
        elif step.kind == "experiment":
            lines = []
            run_experiment(step.run, step.params, lines.append, data_dir=data_dir)
            assert lines and not any(line.startswith("✗") for line in lines)
            session.experiment_finished(True)
        elif step.kind == "train":
            assert session.allowed("train")
            run = training.run(train_config(step.train), mnist.load(data_dir))
            assert run.results and not run.stopped
            assert session.training_finished(len(run.results))
        assert session.is_done(index), (lesson.id, index, step.kind)
        outcome = session.next()
        assert outcome == ("complete" if index == len(lesson.steps) - 1 else "moved")


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_every_lesson_plays_to_completion_without_the_ui(lesson, small, sandbox, request):
    number = LESSONS.index(lesson) + 1
    progress = Progress.load(lessons={lesson.id: lesson.keys})
    session = LessonSession(lesson, progress, number, "next" if number < len(LESSONS) else "")
    assert session.start() == 0
    report = request.getfixturevalue("article_report") if any(s.kind == "check" for s in lesson.steps) else None
    play(session, small, sandbox, report)
    assert session.finished and session.todo() == "✓ Lesson complete."
    assert session.solved_by_learner == lesson.exercises
    assert session.next() == "leave"
    saved = json.loads(progress_path().read_text())["lessons"][lesson.id]
    assert saved["completed"] and sorted(saved["done"]) == sorted(lesson.keys)
    again = LessonSession(lesson, Progress.load(lessons={lesson.id: lesson.keys}))
    assert again.start() == 0 and again.record.completed  # a finished lesson opens at its beginning


def test_a_session_resumes_where_the_learner_left_and_keeps_answers():
    lesson = next(l for l in LESSONS if l.id == "forward-pass")
    progress = Progress.load(lessons={lesson.id: lesson.keys})
    session = LessonSession(lesson, progress)
    session.start()
    assert session.next() == "moved" and session.step.kind == "step"
    assert session.next() == "blocked" and "compute the next quantity" in session.todo()
    session.stepper_moved(lesson.trace.index(session.step.until))
    assert session.next() == "moved" and session.step.kind == "predict"
    attempts = session.attempts()
    attempts.attempt("1.2")
    session.answered(attempts)
    assert not session.ask_reveal() and session.ask_reveal()  # `a` asks once, then shows the answer
    assert attempts.reveal() and session.answered(attempts)
    again = LessonSession(lesson, Progress.load(lessons={lesson.id: lesson.keys}))
    assert again.start() == 2 and again.attempts().record == {"tries": ["1.2"], "correct": False, "revealed": True}
    assert again.previous() and again.index == 1 and again.previous() and not again.previous()


def test_a_save_that_fails_is_reported_and_the_session_goes_on(tmp_path):
    lesson = LESSONS[0]
    blocked = tmp_path / "file"
    blocked.write_text("")
    errors = []
    session = LessonSession(lesson, Progress(blocked / "progress.json"), on_save_error=errors.append)
    session.start()
    assert session.next() == "moved"
    assert errors and "cannot save progress" in errors[0] and session.index == 1


def test_lessons_start_the_stepper_where_their_story_is_and_hide_it_when_unused():
    """Lessons 4, 5 and 6 reset the stepper to 0/27 and the learner pressed → 10-16 times to get back; lesson 8's
    unused stepper filled half the screen."""
    for lesson in LESSONS:
        session = LessonSession(lesson, Progress.load(lessons={lesson.id: lesson.keys}))
        session.start()
        first = next((s for s in lesson.steps if s.kind == "step"), None)
        if first is not None:  # the presses from where the stepper stands to the first quantity asked for
            presses = lesson.trace.index(first.until) - session.target
            assert presses <= 4, (lesson.id, presses)
        used = any(s.start or s.highlight or s.until or s.name for s in lesson.steps)
        assert session.has_stepper == (lesson.trace is not None and used)
    assert not LessonSession(next(l for l in LESSONS if l.id == "mini-batches"), Progress.load()).has_stepper


def test_the_stepper_resumes_where_the_learner_left_it():
    lesson = next(l for l in LESSONS if l.id == "forward-pass")
    session = LessonSession(lesson, Progress.load(lessons={lesson.id: lesson.keys}))
    session.start()
    session.next()
    for index in range(2):       # the step step: → twice, to b_l1
        session.stepper_moved(session.target + index + 1)
    assert session.next() == "moved" and session.step.kind == "predict" and session.limit == 2
    session.stepper_moved(1)     # back one (←), then the lesson closes
    session.save()
    again = LessonSession(lesson, Progress.load(lessons={lesson.id: lesson.keys}))
    assert again.start() == 2 and again.target == 1
    record = json.loads(progress_path().read_text())["lessons"][lesson.id]
    assert record["stepper"] == lesson.trace.names[1]


def test_a_check_step_passes_when_its_level_and_those_before_agree():
    """tutor check's levels in order: a check step asks that its level and every level before it agree; a later one
    may differ, or be unwritten."""
    from check_reports import transposed_dc_dw

    wrong = transposed_dc_dw()                        # helpers and forward pass agree, the backward pass differs
    assert level_agrees(wrong, "helpers") and level_agrees(wrong, "forward pass")
    assert not level_agrees(wrong, "backward pass") and not level_agrees(wrong, "cost after")
    later = Report("mine.py", passed=["helpers: agree", "forward pass: agree"], error="not written yet: "
                   "propagate_backward", todo="propagate_backward")
    assert level_agrees(later, "forward pass") and not level_agrees(later, "backward pass")
    assert not level_agrees(Report("mine.py", error="syntax error: mine.py, line 3"), "helpers")
