"""Code steps without the UI (tutor.course.code, tutor.course.solutions): graded by value in the sandbox, wrong
values diagnosed, errors and the time limit costing no try, the asked quantity not there to copy; the lesson checker's
problems and its proof that each solution gives the engine's value and no classic wrong value agrees."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.cli import main
from tutor.course.progress import Progress
from tutor.course.reader import check_file, load_lessons
from tutor.course.session import LessonSession
from tutor.course.solutions import check_lesson, wrong_values
from tutor.sandbox import Sandbox

LESSONS = {lesson.id: lesson for lesson in load_lessons()}


@pytest.fixture(scope="module")
def sandbox():
    box = Sandbox()
    yield box
    box.close()


def session_at(lesson_id: str, step_id: str) -> LessonSession:
    lesson = LESSONS[lesson_id]
    session = LessonSession(lesson, Progress.load(lessons={lesson.id: lesson.keys}))
    session.go(next(i for i, s in enumerate(lesson.steps) if s.id == step_id))
    return session


def grade(sandbox: Sandbox, attempts, text: str):
    code = attempts.prepare(text)
    if not isinstance(code, str):
        return code
    sandbox.reset(attempts.quantities)
    return attempts.grade(text, sandbox.run(code))


def test_a_code_step_is_graded_by_value_and_a_wrong_value_is_diagnosed(sandbox):
    session = session_at("matrix-form", "code-dc-dw-l2")
    assert session.step.kind == "code" and session.where().startswith("step 12/16 code")
    attempts = session.attempts()
    names = attempts.names
    assert names[-1] == "dc_da_l2" or names[-1] == "dc_db_l2"
    assert "dc_dw_l2" not in names and "dc_db_l2" in names and "You have: a_l0, w_l1," in attempts.you_have()
    assert session.target == session.limit == LESSONS["matrix-form"].trace.index("dc_dw_l2") - 1  # no peeking

    # not counted: the asked quantity (not there to copy), an error, a broadcast, a bare number, no value
    for text, said in [("dc_dw_l2", "dc_dw_l2 is what you are computing"),
                       ("dc_db_l2 * a_l1", "ValueError: operands could not be broadcast"),
                       ("np.dot(dc_db_l2, a_l1.T", "SyntaxError"),
                       ("0.0154", "not a number typed in"),
                       ("x = a_l1", "gives no value"),
                       ("", "Type the Python")]:
        feedback = grade(sandbox, attempts, text)
        assert not feedback.counted and said in feedback.message, (text, feedback.message)
    assert attempts.record["tries"] == []

    # counted wrong, each with a plain message (and a diagnosis where there is one)
    for text, said in [("np.dot(a_l1, dc_db_l2.T)", "transposed"),
                       ("float('nan') * a_l1", "NaN"),
                       ]:
        feedback = grade(sandbox, attempts, text)
        assert feedback.counted and not feedback.right and said in feedback.message, (text, feedback.message)
    assert attempts.record["tries"] == ["np.dot(a_l1, dc_db_l2.T)", "float('nan') * a_l1"]

    # three ways of writing it, and the article's own line, all pass
    for text in ["dc_db_l2 @ a_l1.T", "np.dot(dc_db_l2, a_l1.T)", "dc_dw(a_l1, dc_db_l2)",
                 "dc_dw_l2 = dc_dw(a_l1, dc_db_l2)", "d = dc_db_l2; d @ a_l1.T"]:
        again = session.attempts().__class__(session.step, None, session.lesson.trace)
        feedback = grade(sandbox, again, text)
        assert feedback.right and "gives the engine's dc_dw_l2" in feedback.message, (text, feedback.message)
    assert session.answered(again) and session.solved(session.index)


def test_strings_shapes_and_the_last_wrong_try_on_1_1_1(sandbox):
    session = session_at("backprop", "code-dc-dw-l2")
    attempts = session.attempts()
    assert isinstance(attempts.quantities["a_l1"], float)  # as the article's session has it
    for text, said in [("'a_l1 * dc_db_l2'", "not a number"), ("np.ones((2, 2))", "Yours is 2x2, dc_dw_l2 is a number")]:
        feedback = grade(sandbox, attempts, text)
        assert feedback.counted and said in feedback.message, feedback.message
    feedback = grade(sandbox, attempts, "a_l0 * dc_db_l2")
    assert feedback.counted and attempts.record["revealed"] and "Not this time" in feedback.message
    assert session.step.answer_text() == "dc_dw_l2 = dc_dw(a_l1, dc_db_l2)"
    assert session.answered(attempts) and session.is_done(session.index)
    assert session.blocked(session.target).title == "No peeking"  # the predict step after it asks for its number


def test_the_time_limit_costs_no_try():
    session = session_at("forward-pass", "code-z-l2")
    attempts = session.attempts()
    box = Sandbox(time_limit=0.3)
    try:
        box.reset(attempts.quantities)
        feedback = attempts.grade("while True: pass", box.run("while True: pass"))
        assert not feedback.counted and feedback.message.startswith("✗ Stopped after 0.3 s")
        box.reset(attempts.quantities)
        feedback = attempts.grade("w_l2 * a_l1 + b_l2", box.run("w_l2 * a_l1 + b_l2"))  # a new child, at once
        assert feedback.right and attempts.record["tries"] == ["w_l2 * a_l1 + b_l2"]
    finally:
        box.close()


def test_a_code_step_stops_the_stepper_before_its_quantity_and_then_the_predict_after_it():
    session = session_at("backprop", "code-dc-db-l2")
    trace = session.lesson.trace
    assert session.limit == trace.index("dc_db_l2") - 1 and session.blocked(session.limit).title == "Not yet"
    assert "Write dc_db_l2 first" in session.blocked(session.limit).message
    attempts = session.attempts()
    attempts.reveal()
    session.answered(attempts)
    assert session.limit == trace.index("dc_db_l2") - 1  # the predict step after it asks for its number
    session.next()
    assert session.step.kind == "predict" and session.step.name == "dc_db_l2"


def test_the_shipped_solutions_give_the_engines_values_and_no_classic_wrong_value_agrees(sandbox):
    steps = [(lesson, s) for lesson in LESSONS.values() for s in lesson.steps if s.kind == "code"]
    assert len(steps) >= 10
    for lesson in {lesson.id: lesson for lesson, _ in steps}.values():
        assert check_lesson(lesson, sandbox) == []
    matrix = LESSONS["matrix-form"]
    dc_da = next(s for s in matrix.steps if s.kind == "code" and s.name == "dc_da_l1")
    whats = [what for what, _ in wrong_values(dc_da, matrix.trace)]
    assert "the answer transposed" in whats and "wᵀ · ∂C/∂b with the weights already updated" in whats


BAD = '''format_version = 1
id = "bad-code"
title = "Bad code steps"
network = "one-one-one"

[[steps]]
kind = "code"
quantity = "dc_dw_l2"
solution = "dc_dw(a_l0, dc_db_l2)"
text = "Type it."
hint = "a_l1 times dc_db_l2."

[[steps]]
kind = "code"
quantity = "z_l2"
solution = "z_l2"
text = "Type it."
hint = "z."

[[steps]]
kind = "code"
quantity = "a_l1[0]"
solution = "sigmoid(z_l1"
text = "Type it."
figures = 3
'''


def test_the_checker_names_each_problem_of_a_code_step_with_its_line(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(BAD.split("[[steps]]\nkind = \"code\"\nquantity = \"a_l1[0]\"")[0])
    lesson, problems = check_file(path)
    assert problems == [] and lesson.exercises == 2
    found = [str(p) for p in check_lesson(lesson, Sandbox())]
    assert found == [f"{path}:9: steps[0].solution: 'dc_dw(a_l0, dc_db_l2)' gives a number '-0.015193895586323187', "
                     "not the engine's dc_dw_l2 (a number)",
                     f"{path}:16: steps[1].solution: 'z_l2' raised NameError: name 'z_l2' is not defined (it may use "
                     "only the quantities before z_l2, np and the article's helpers)"]
    path.write_text(BAD)
    assert main(["lessons", "check", str(path)]) == 2
    out = capsys.readouterr().out.splitlines()
    assert f"{path}:25: steps[2].figures: unknown field 'figures' in a code step (fields: explanation, hint, id, " \
           "kind, label, quantity, solution, start, text, title, tries)" in out
    assert any(line.startswith(f"{path}:22: steps[2].quantity: the network does not produce 'a_l1[0]' (a code step "
                               "asks for a whole quantity: no [index])") for line in out), out
    assert any(line.startswith(f"{path}:23: steps[2].solution: 'sigmoid(z_l1' is not a Python expression")
               for line in out)
    assert f"{path}:20: steps[2].hint: is missing or empty: every exercise needs a hint shown after a wrong try" in out


def test_lessons_check_counts_the_code_exercises(capsys):
    assert main(["lessons", "check"]) == 0
    assert capsys.readouterr().out == f"ok: 13 lessons, {sum(l.exercises for l in LESSONS.values())} exercises\n"
    assert sum(s.kind == "code" for l in LESSONS.values() for s in l.steps) == 12
    assert np.isclose(LESSONS["backprop"].steps[4].expected, LESSONS["backprop"].trace.value("dc_dw_l2")).all()


TINY_STEP = '''format_version = 1
id = "tiny-step"
title = "A step size so small that the updated weights are the weights"

[network]
layers = [1, 1, 1]
weights = [[[1.58]], [[2.45]]]
biases = [[-0.14], [-0.11]]
input = [0.8]
target = [1.0]
step_size = 1e-8

[[steps]]
kind = "code"
quantity = "dc_da_l1"
solution = "dc_da_prev(w_l2, dc_db_l2)"
text = "Type it."
hint = "w_l2 times dc_db_l2."
'''


def test_the_checker_fails_a_code_step_whose_classic_mistake_agrees_with_the_answer(tmp_path, capsys):
    """With η = 1e-8 the hidden error computed with the updated weights agrees with the right one: the grading could
    not tell the article's warning apart, so the step is refused; the 1-1-1 transposes (1x1) are no problem."""
    path = tmp_path / "tiny.toml"
    path.write_text(TINY_STEP)
    assert main(["lessons", "check", str(path)]) == 2
    assert capsys.readouterr().out == (f"{path}:15: steps[0].quantity: wᵀ · ∂C/∂b with the weights already updated "
                                       "agrees with dc_da_l1 on this network, so the grading cannot tell it from the "
                                       "answer: ask for another quantity, or use another network\n")
    path.write_text(TINY_STEP.replace("1e-8", "0.1"))
    assert main(["lessons", "check", str(path)]) == 0
