"""Placeholders in lesson text: {quantity} is filled from the lesson's trace; the checker reports bad ones as FILE:LINE."""

from __future__ import annotations

import re
import textwrap

from tutor.course import reader as L
from tutor.cli import main
from tutor.engine.spec import load_spec
from tutor.course.computations import compute
from tutor.course.model import Lesson
from tutor.course.placeholders import format_value
from tutor.course.reader import check_all

HEAD = textwrap.dedent('''\
    format_version = 1
    id = "demo"
    title = "Demo"
    network = "NETWORK"
''')


def lesson(steps: str, tmp_path, network: str = "one-one-one") -> tuple[Lesson | None, list[str], str]:
    """Check a lesson made of HEAD and `steps`; returns the lesson, its problems and the file's path."""
    path = tmp_path / "lesson.toml"
    head = HEAD.replace("NETWORK", network) if network else HEAD.replace('network = "NETWORK"\n', "")
    path.write_text(head + textwrap.dedent(steps), encoding="utf-8")
    lessons, problems = check_all([path])
    return (lessons[0] if lessons else None), [str(p) for p in problems], str(path)


PREDICT_A_L2 = '''
    [[steps]]
    kind = "predict"
    quantity = "a_l2"
    text = "What is a_l2?"
    hint = "sigmoid of z_l2"
'''


def test_filled_values_are_the_trace_values(tmp_path):
    trace = load_spec("two-three-two").trace()
    got, problems, _ = lesson('''
        [[steps]]
        kind = "explain"
        title = "w = {w_l2[1][2]}"
        text = "a_l0 = {a_l0[1]}, z_l1[2] = {z_l1[2][0]}, long {z_l1[0]:.8}, fixed {z_l1[0]:.3f}, braces {{x}} and }}."

        [[steps]]
        kind = "predict"
        quantity = "dc_db_l1[2]"
        text = "From {dc_da_l1[2]} and {a_l1[2]:.6}?"
        hint = "cost {original_cost}"
        explanation = "It is {dc_db_l1[2]:.17}."
    ''', tmp_path, "two-three-two")
    assert problems == []
    v = lambda name, *i: float(trace[name].value[i])  # noqa: E731
    explain, predict = got.steps
    assert explain.title == f"w = {v('w_l2', 1, 2):.4g}"
    assert explain.text == (f"a_l0 = {v('a_l0', 1, 0):.4g}, z_l1[2] = {v('z_l1', 2, 0):.4g}, long {v('z_l1', 0, 0):.8g}, "
                            f"fixed {v('z_l1', 0, 0):.3f}, braces {{x}} and }}.")
    assert predict.text == f"From {v('dc_da_l1', 2, 0):.4g} and {v('a_l1', 2, 0):.6g}?"
    assert predict.hint == f"cost {trace['original_cost'].value:.4g}"
    assert float(re.search(r"It is (\S+)\.", predict.explanation).group(1)) == predict.answer == v("dc_db_l1", 2, 0)


def test_shipped_lessons_show_engine_numbers():
    lessons = {l.id: l for l in L.load_lessons()}
    trace = load_spec("one-one-one").trace()
    hints = {s.quantity: s.hint for s in lessons["backprop"].steps if s.kind == "predict"}
    f = lambda name: format_value(trace[name].scalar)  # noqa: E731
    assert hints["dc_dw_l2"] == f"a_l1 ≈ {f('a_l1')} times ∂C/∂b_l2 ≈ {f('dc_db_l2')}."
    assert f("a_l1") == "0.7547" and f("dc_db_l2") == "-0.01899"
    batch = compute("batch", {"network": "one-one-one", "inputs": [[0.8], [0.2]], "targets": [[1.0], [0.0]],
                              "step_size": 0.1})
    avg = next(s for s in lessons["mini-batches"].steps if s.quantity == "avg_dc_db_l2")
    assert f"{batch['example_dc_db_l2'][0, 1]:.6g}" in avg.text
    assert batch["example_dc_db_l2"].sum() / 2 == avg.answer
    for l in lessons.values():  # nothing left unfilled
        for s in l.steps:
            for text in [s.title, s.text, s.hint, s.explanation] + [o.text + o.why for o in s.options]:
                assert "{" not in text and "}" not in text, (l.id, text)


def test_unknown_quantity_names_the_line_and_the_fix(tmp_path, capsys):
    _, problems, path = lesson('''
        [[steps]]
        kind = "explain"
        text = """
        First line.
        The output {a_l9} here.
        """
    ''' + PREDICT_A_L2, tmp_path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:10: steps[0].text: unknown quantity 'a_l9' in '{{a_l9}}'; use one of: a_l0, a_l1")
    assert main(["lessons", "check", path]) == 2
    assert f"{path}:10:" in capsys.readouterr().out


def test_malformed_placeholders_and_lone_braces(tmp_path):
    _, problems, path = lesson('''
        [[steps]]
        kind = "explain"
        text = "Bad {a_l2:x}, {a l2}, {} and a lone } brace."
    ''' + PREDICT_A_L2, tmp_path)
    assert [p.split(": ", 2)[2].split(":")[0] for p in problems] == [
        "malformed placeholder '{a_l2", "malformed placeholder '{a l2}'", "malformed placeholder '{}'", "a lone '}'"]
    assert all(p.startswith(f"{path}:8: steps[0].text: ") and "write {{ or }}" in p for p in problems)


def test_a_matrix_needs_an_element_and_indexes_are_checked(tmp_path):
    _, problems, path = lesson('''
        [[steps]]
        kind = "choice"
        text = "Which?"
        hint = "w_l2 is {w_l2}"

        [[steps.options]]
        text = "row {b_l1[3]}"
        correct = true
        why = "yes"

        [[steps.options]]
        text = "other"
        correct = false
        why = "no"
    ''', tmp_path, "two-three-two")
    assert len(problems) == 2
    assert problems[0].startswith(f"{path}:9: steps[0].hint: '{{w_l2}}': 'w_l2' is a 2x3 matrix: name one number, e.g. w_l2[0][0]")
    assert problems[1].startswith(f"{path}:12: steps[0].options: '{{b_l1[3]}}': 'b_l1[3]' is outside 'b_l1', which is 3x1")


def test_a_predict_step_cannot_show_its_answer_or_what_comes_after(tmp_path):
    _, problems, path = lesson('''
        [[steps]]
        kind = "predict"
        quantity = "dc_dw_l2"
        text = "What is it? Not {dc_dw_l2}."
        hint = "Not {dc_da_l1} either; {a_l1} and {dc_db_l2} are fine, and so are the givens {y} and {step_size} (not {updated_a_l2})."
        explanation = "It is {dc_dw_l2:.8}: the explanation comes with the answer."
    ''', tmp_path)
    assert len(problems) == 3, problems
    assert problems[0] == (f"{path}:9: steps[0].text: '{{dc_dw_l2}}' gives the answer away: dc_dw_l2 is the answer this "
                           "step asks the learner to predict; show only quantities computed before dc_dw_l2")
    assert problems[1].startswith(f"{path}:10: steps[0].hint: '{{dc_da_l1}}' gives the answer away: dc_da_l1 is "
                                  "computed after dc_dw_l2")
    assert "'{updated_a_l2}' gives the answer away" in problems[2] and not any("{y}" in p for p in problems)


def test_an_earlier_step_cannot_give_a_later_answer_away(tmp_path):
    _, problems, path = lesson('''
        [[steps]]
        kind = "explain"
        text = "The output will be {a_l2}; the input is {a_l0} and the target {y}."
    ''' + PREDICT_A_L2, tmp_path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:8: steps[0].text: '{{a_l2}}' gives the answer away: a_l2 is the answer "
                                  "steps[1] asks")
    got, problems, _ = lesson(PREDICT_A_L2 + '''
        [[steps]]
        kind = "explain"
        text = "It was {a_l2}."
    ''', tmp_path)
    assert problems == [] and got.steps[1].text == f"It was {got.steps[0].answer:.4g}."


def test_computation_placeholders(tmp_path):
    got, problems, path = lesson('''
        [[steps]]
        kind = "predict"
        compute = "descent"
        params = { start = 5.0, step_size = 0.1, steps = 3, minimum = 2.0 }
        quantity = "x[2]"
        text = "From {x[1]} with slope {slope[1]}?"
        hint = "Not {x[2]}, not {x[3]}, not {x_final}."
    ''', tmp_path, network="")
    assert got.steps[0].text == "From 4.4 with slope 4.8?"
    assert [p.split("'")[1] for p in problems] == ["{x[2]}", "{x[3]}"]
    assert all(p.startswith(f"{path}:11: steps[0].hint:") and "gives the answer away" in p for p in problems)
    _, problems, path = lesson('''
        [[steps]]
        kind = "predict"
        compute = "descent"
        params = { start = 5.0, step_size = 0.1, steps = 1, minimum = 2.0 }
        quantity = "x[1]"
        text = "Where?"
        hint = "Not {x_final} (the same number)."
    ''', tmp_path, network="")
    assert len(problems) == 1 and "gives the answer away" in problems[0]
    _, problems, path = lesson('''
        [[steps]]
        kind = "explain"
        text = "The output {a_l2}."

        [[steps]]
        kind = "choice"
        text = "?"
        hint = "h"
        [[steps.options]]
        text = "a"
        correct = true
        why = "y"
        [[steps.options]]
        text = "b"
        correct = false
        why = "n"
    ''', tmp_path, network="")
    assert problems == [f"{path}:7: steps[0].text: unknown quantity 'a_l2' in '{{a_l2}}': this lesson has no network; "
                        "add network = 'one-one-one' (or a [network] table), or write the number itself"]
