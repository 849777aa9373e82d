"""Lesson files: the shipped ones pass the checker; every kind of mistake is reported as FILE:LINE or FILE: field."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tutor.course import reader as L
from tutor.cli import main
from tutor.course.computations import compute
from tutor.course.answers import parse_choice
from tutor.course.checker import check_text
from tutor.course.grading import allowed_error
from tutor.course.model import KINDS
from tutor.course.quantities import pick
from tutor.course.reader import check_all
from tutor.numbers import parse_number
from tutor.engine.spec import load_spec

GOOD = textwrap.dedent('''\
    format_version = 1
    id = "demo"
    title = "Demo"
    network = "one-one-one"

    [[steps]]
    kind = "explain"
    text = "Hello."

    [[steps]]
    kind = "predict"
    text = "What is a_l1?"
    quantity = "a_l1"
    hint = "sigmoid of z_l1"
''')


def problems(text: str, tmp_path, name: str = "lesson.toml") -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [str(p) for p in check_all([path])[1]]


def test_shipped_lessons_pass_and_cover_the_curriculum(capsys):
    assert main(["lessons", "check"]) == 0
    assert capsys.readouterr().out.startswith("ok: ")
    lessons = L.load_lessons()
    assert len(lessons) >= 10 and sum(l.exercises for l in lessons) >= 30
    assert all(l.exercises >= 1 for l in lessons)
    assert len({l.id for l in lessons}) == len(lessons)
    kinds = {s.kind for l in lessons for s in l.steps}
    assert kinds == set(KINDS)


def test_answers_come_from_the_engine():
    lesson = {l.id: l for l in L.load_lessons()}
    trace = load_spec("one-one-one").trace()
    steps = {s.quantity: s for s in lesson["backprop"].steps if s.kind == "predict"}
    assert steps["dc_db_l2"].answer == -0.018992369482903983 == trace["dc_db_l2"].scalar
    forward = {s.quantity: s for s in lesson["forward-pass"].steps if s.kind == "predict"}
    assert forward["a_l1"].answer == 0.7547299213576082
    matrix = {s.quantity: s for s in lesson["matrix-form"].steps if s.kind == "predict"}
    assert matrix["dc_dw_l2[1][2]"].answer == float(load_spec("two-three-two").trace()["dc_dw_l2"].value[1, 2])
    assert compute("parameters", {"layers": [784, 30, 10]})["total"] == 784 * 30 + 30 + 30 * 10 + 10
    assert compute("descent", {"start": 5.0, "step_size": 0.1, "steps": 1, "minimum": 2.0})["x"][1] == 5.0 - 0.6


def test_answer_formats_and_tolerance():
    assert parse_number("1.124") == 1.124 and parse_number("-0.0190") == -0.019
    assert parse_number("1.2e-2") == 0.012 and parse_number(" .5 ") == 0.5
    assert parse_number("0,75") == 0.75 and parse_number("3/4") == 0.75 and parse_number("−0.5") == -0.5
    for bad in ("", "abc", "1.2.3", "1e", "--1", "1/0", "inf", "nan"):
        assert parse_number(bad) is None, bad
    assert parse_choice("2", 3) == 1 and parse_choice("b", 3) == 1 and parse_choice("4", 3) is None
    lesson, found = check_text(GOOD, Path("demo.toml"))
    step = lesson.steps[1]
    assert not found and all(abs(x - step.answer) <= allowed_error(step) for x in (0.7547, 0.755)) \
        and abs(0.76 - step.answer) > allowed_error(step)
    assert pick({"w": [[1.0, 2.0], [3.0, 4.0]]}, "w[1][0]", "x") == 3.0


@pytest.mark.parametrize("edit, expected", [
    (lambda t: t.replace('kind = "explain"', 'kind = "lecture"'), "lesson.toml:7: steps[0].kind: unknown step kind 'lecture'"),
    (lambda t: t.replace('text = "Hello."', 'text = "Hello."\ncolour = "red"'), "lesson.toml:9: steps[0].colour: unknown field 'colour'"),
    (lambda t: t.replace('title = "Demo"', 'title = "Demo"\nauthor = "me"'), "lesson.toml:4: author: unknown field 'author'"),
    (lambda t: t.replace('hint = "sigmoid of z_l1"\n', ''), "lesson.toml:10: steps[1].hint: is missing or empty: every exercise needs a hint"),
    (lambda t: t.replace('quantity = "a_l1"', 'quantity = "a_l7"'), "lesson.toml:13: steps[1].quantity: the lesson's network has no quantity 'a_l7'"),
    (lambda t: t.replace('quantity = "a_l1"', 'quantity = "a_l1[3]"'), "steps[1].quantity: 'a_l1[3]' is outside 'a_l1'"),
    (lambda t: t.replace('network = "one-one-one"', 'network = "no-such-net"'), "lesson.toml:4: network: bad network: no-such-net: file not found"),
    (lambda t: t.replace('network = "one-one-one"', '[network]\nlayers = [1, 1]\ninput = [0.5]\ntarget = [1, 2]\n'), "lesson.toml:4: network: target: expected 1 number (the layer has 1 neuron), got 2"),
    (lambda t: t.replace('format_version = 1', 'format_version = 7'), "lesson.toml:1: format_version: format_version must be 1, got 7"),
    (lambda t: t.replace('network = "one-one-one"\n', ''), "steps[1].quantity: names the quantity 'a_l1' but the lesson has no network"),
    (lambda t: t + '\n[[steps]]\nkind = "predict"\ntext = "x"\nhint = "y"\nquantity = "z"\ncompute = "nonsense"\n', "lesson.toml:21: steps[2].compute: unknown computation 'nonsense'"),
    (lambda t: t + '\n[[steps]]\nkind = "experiment"\ntext = "x"\nrun = "descent"\nparams = { start = 1.0, step_sizes = [0.1], speed = 2 }\n', "lesson.toml:20: steps[2].params: unknown parameter 'speed'"),
    (lambda t: t + '\n[[steps]]\nkind = "choice"\ntext = "x"\nhint = "y"\n[[steps.options]]\ntext = "a"\ncorrect = true\nwhy = "w"\n[[steps.options]]\ntext = "b"\ncorrect = true\nwhy = "w"\n', "steps[2].options: exactly one option must have correct = true (found 2)"),
    (lambda t: t + '\n[[steps]]\nkind = "choice"\ntext = "x"\nhint = "y"\n[[steps.options]]\ntext = "a"\ncorrect = true\n[[steps.options]]\ntext = "b"\nwhy = "w"\n', "option 1: missing why"),
    (lambda t: t + '\n[[steps]]\nkind = "train"\ntext = "x"\nlayers = [784, 30, 9]\n', "lesson.toml:19: steps[2].layers: the first layer must be 784 (one per pixel) and the last 10 (one per class) for MNIST"),
    (lambda t: t.replace('text = "Hello."', 'text = "Hello."\nview = "holodeck"'), "lesson.toml:9: steps[0].view: unknown view 'holodeck'"),
    (lambda t: t + '\n[[steps]]\nkind = "step"\nuntil = "nothing"\n', "lesson.toml:18: steps[2].until: the network does not produce 'nothing'"),
    (lambda t: t.replace('kind = "explain"', 'kind = "explain"\nid = "Say Hello"'), "lesson.toml:8: steps[0].id: 'Say Hello' is not a step id: use up to 40 lower-case letters"),
    (lambda t: t.replace('kind = "explain"', 'kind = "explain"\nid = 3'), "lesson.toml:8: steps[0].id: must be text (in quotes), got 3"),
    (lambda t: t.replace('kind = "explain"', 'kind = "explain"\nid = "same"').replace('kind = "predict"', 'kind = "predict"\nid = "same"'),
     "lesson.toml:13: steps[1].id: duplicate step id 'same', also used by steps[0] (line 8): give every step its own id"),
])
def test_each_kind_of_mistake_is_reported_with_file_and_line_or_field(tmp_path, edit, expected):
    found = problems(edit(GOOD), tmp_path)
    assert any(expected in p for p in found), found


def test_a_file_cut_in_half_and_duplicate_ids_exit_2(tmp_path, capsys):
    cut = tmp_path / "cut.toml"
    cut.write_text(GOOD[: GOOD.index("kind = \"predict\"") + 10], encoding="utf-8")
    assert main(["lessons", "check", str(cut)]) == 2
    out = capsys.readouterr()
    assert f"{cut}:" in out.out and "not valid TOML" in out.out and "problem" in out.err
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.toml").write_text(GOOD, encoding="utf-8")
    cut.unlink()
    assert main(["lessons", "check", str(tmp_path)]) == 2
    assert "b.toml:2: id: duplicate id 'demo', also used by" in capsys.readouterr().out
    assert main(["lessons", "check", str(tmp_path / "a.toml")]) == 0


def test_a_duplicate_step_id_exits_2(tmp_path, capsys):
    path = tmp_path / "lesson.toml"
    path.write_text(GOOD.replace('kind = "predict"', 'kind = "predict"\nid = "hello"')
                    .replace('kind = "explain"', 'kind = "explain"\nid = "hello"'), encoding="utf-8")
    assert main(["lessons", "check", str(path)]) == 2
    assert capsys.readouterr().out == f"{path}:13: steps[1].id: duplicate step id 'hello', also used by steps[0] (line 8): give every step its own id\n"


def keys(text: str) -> list[str]:
    lesson, found = check_text(text, Path("demo.toml"))
    assert not found, found
    return lesson.keys


CHOICE = '''
[[steps]]
kind = "choice"
text = "New?"
hint = "h"
[[steps.options]]
text = "a"
correct = true
why = "w"
[[steps.options]]
text = "b"
why = "w"
'''


def test_a_step_key_follows_the_step_when_others_are_inserted_or_moved():
    explain, predict = keys(GOOD)
    assert explain.startswith("explain.") and predict.startswith("predict.a_l1.") and explain != predict
    inserted = GOOD.replace("[[steps]]\nkind = \"predict\"", CHOICE.lstrip() + "\n[[steps]]\nkind = \"predict\"")
    assert keys(inserted)[0::2] == [explain, predict] and keys(inserted)[1].startswith("choice.")
    head, first, second = GOOD.split("[[steps]]")
    assert keys(head + "[[steps]]" + second + "\n[[steps]]" + first) == [predict, explain]
    assert keys(GOOD.replace('text = "Hello."', 'text = """\nHello.\n"""'))[0] == explain  # spacing is not content
    assert keys(GOOD.replace('text = "Hello."', 'text = "Hello!"'))[0] != explain
    named = GOOD.replace('kind = "explain"', 'kind = "explain"\nid = "hello"')
    assert keys(named) == ["hello", predict] and keys(named.replace("Hello.", "Hi."))[0] == "hello"
    twice = GOOD + "\n[[steps]]\nkind = \"explain\"\ntext = \"Hello.\"\n"
    assert keys(twice) == [explain, predict, explain + "~2"]


def test_shipped_steps_have_ids_and_the_progress_keys_are_the_lessons(tmp_path):
    lessons = L.load_lessons()
    assert all(s.id and s.key == s.id for l in lessons for s in l.steps), "give every shipped step an id"
    assert L.lesson_step_keys() == {l.id: l.keys for l in lessons}
    (tmp_path / "broken.toml").write_text("id = ", encoding="utf-8")
    (tmp_path / "demo.toml").write_text(GOOD, encoding="utf-8")
    assert L.lesson_step_keys([tmp_path]) == {"demo": keys(GOOD)}


def test_a_lesson_needs_an_exercise(tmp_path):
    found = problems(GOOD[: GOOD.index("[[steps]]\nkind = \"predict\"")], tmp_path)
    assert any("needs at least one exercise" in p for p in found)


def test_list_json_and_reset(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["lessons", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"id", "title", "steps", "exercises", "completed"} <= set(rows[0])
    assert not any(r["completed"] for r in rows)
    from tutor.course.progress import Progress

    p = Progress.load(lessons=L.lesson_step_keys())
    p.lesson(rows[0]["id"]).completed = True
    lp = p.lesson(rows[1]["id"])
    lp.done_keys.add(lp.keys[0])
    p.save()
    assert main(["lessons", "list"]) == 0
    text = capsys.readouterr().out
    assert "done)" in text and f"1 of {rows[1]['steps']} steps" in text
    assert main(["lessons", "reset", rows[0]["id"]]) == 0
    assert rows[0]["id"] not in Progress.load(lessons=L.lesson_step_keys()).lessons and rows[1]["id"] in Progress.load(lessons=L.lesson_step_keys()).lessons
    assert main(["lessons", "reset"]) == 0 and Progress.load(lessons=L.lesson_step_keys()).lessons == {}
    capsys.readouterr()
    assert main(["lessons", "reset", "no-such-lesson"]) == 2
    assert "unknown lesson 'no-such-lesson'" in capsys.readouterr().err
    assert main(["lesson", "no-such-lesson"]) == 2


def test_a_directory_named_twice_is_checked_once(tmp_path, capsys):
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "link.toml").symlink_to(tmp_path / "a.toml")  # the same file by another name
    assert main(["lessons", "check", str(tmp_path), str(tmp_path), str(tmp_path / "a.toml")]) == 0
    assert "ok: 1 lessons" in capsys.readouterr().out
    (tmp_path / "b.toml").write_text(GOOD, encoding="utf-8")  # another file with the same id is still a duplicate
    assert main(["lessons", "check", str(tmp_path), str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert out.count("duplicate id") == 1 and "b.toml:2: id: duplicate id 'demo'" in out


@pytest.mark.parametrize("make,expected", [
    (lambda p: p.write_text(GOOD + f'summary = "{"x" * (1 << 20)}"\n'), "too large for a lesson file (more than 1,048,576 bytes)"),
    (lambda p: p.write_text(GOOD.replace('title = "Demo"', f'title = {"[" * 1000}{"]" * 1000}')),
     "lists or tables nested 1000 deep (at most 16)"),
    (lambda p: p.write_bytes(GOOD.encode("utf-16")), "not UTF-8 text (byte 0xff at offset 0)"),
], ids=["2-MB", "1000-deep", "utf-16"])
def test_a_lesson_file_too_large_too_deep_or_not_utf8_is_a_problem(tmp_path, make, expected):
    make(tmp_path / "lesson.toml")
    assert problems_of(tmp_path / "lesson.toml") == [f"{tmp_path / 'lesson.toml'}: {expected}"]
    assert L.lesson_step_keys([tmp_path]) == {}


def problems_of(path: Path) -> list[str]:
    return [str(p) for p in check_all([path])[1]]


def test_a_fifo_lesson_file_is_a_problem_not_a_hang(tmp_path):
    from test_files import tutor

    os.mkfifo(tmp_path / "fifo.toml")
    (tmp_path / "good.toml").write_text(GOOD, encoding="utf-8")
    run = tutor("lessons", "check", str(tmp_path))
    assert run.returncode == 2 and run.stdout == f"{tmp_path / 'fifo.toml'}: is a FIFO (named pipe), not a lesson file\n"
    keys = subprocess.run([sys.executable, "-c", "import sys; from tutor.course.reader import lesson_step_keys; "
                           "print(sorted(lesson_step_keys(sys.argv[1:])))", str(tmp_path)],
                          capture_output=True, text=True, timeout=60, cwd=Path(__file__).parent.parent)
    assert keys.stdout == "['demo']\n"
