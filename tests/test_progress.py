"""Saved progress: where it lives, atomic writes, a corrupt, unreadable or newer file kept aside and a fresh start;
saved by step key, so it follows a step that moves; a version-1 file (by step number) upgraded, no entry lost."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tutor.cli import main
from tutor.course.checker import check_text
from tutor.course.progress import Progress, progress_path
from tutor.course.reader import lesson_step_keys


def test_path_follows_xdg_data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert progress_path() == tmp_path / "tutor" / "progress.json"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert progress_path() == tmp_path / "home" / ".local" / "share" / "tutor" / "progress.json"


def test_round_trip_and_atomic_write(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    p = Progress.load(lessons=lesson_step_keys())
    assert p.lessons == {} and not p.notice and not progress_path().exists()
    lp = p.lesson("cost")
    lp.step = 3
    lp.done_keys |= {lp.keys[0], lp.keys[1], lp.keys[2]}
    lp.answer(2)["tries"].append("0.0112")
    lp.answer(2)["correct"] = True
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (replaced.append((a, b)), real_replace(a, b)))
    p.save()
    (src, dst), = replaced
    assert os.path.dirname(src) == str(progress_path().parent) and os.fspath(dst) == str(progress_path())
    assert os.listdir(progress_path().parent) == ["progress.json"]  # no temporary file left
    again = Progress.load(lessons=lesson_step_keys()).lesson("cost")
    assert (again.step, again.done, again.answer(2)["tries"]) == (3, {0, 1, 2}, ["0.0112"])
    saved = json.loads(progress_path().read_text())
    assert saved["version"] == 2 and saved["lessons"]["cost"]["answers"].keys() == {lp.keys[2]}
    assert saved["lessons"]["cost"]["step"] == lp.keys[3] and saved["lessons"]["cost"]["done"] == sorted(lp.keys[:3])


def test_corrupt_file_is_kept_aside_and_progress_starts_fresh(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    path = progress_path()
    path.parent.mkdir(parents=True)
    for garbage in ('{"lessons": {"cost": {"step": "three"}}}', '{"lessons": ', "[1, 2]", b"\xff\xfe\x00",
                    '{"lessons": {"cost": {"answers": {"2": {"tries": 5}}}}}', '{"version": "2", "lessons": {}}',
                    '{"version": 2, "lessons": {"cost": {"done": [0, 1]}}}',
                    '{"version": 1, "lessons": {"cost": {"done": ["intro"]}}}'):
        (path.write_bytes if isinstance(garbage, bytes) else path.write_text)(garbage)
        p = Progress.load(lessons=lesson_step_keys())
        assert p.lessons == {} and "starting with fresh progress" in p.notice
        assert not path.exists()
    kept = sorted(x.name for x in path.parent.iterdir())
    assert len(kept) == 8 and all(k.startswith("progress.json.corrupt-") for k in kept)
    path.write_text("not json")
    assert main(["lessons", "list"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("tutor: Progress file") and "kept as" in err


def test_unwritable_directory_gives_a_message(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    p = Progress(blocker / "tutor" / "progress.json")
    try:
        p.save()
    except OSError as e:
        assert "cannot save progress" in str(e)
    else:
        raise AssertionError("saving under a file should fail")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    assert main(["lessons", "reset"]) == 2


LESSON = """\
format_version = 1
id = "demo"
title = "Demo"

[[steps]]
kind = "explain"
text = "Hello."

[[steps]]
kind = "predict"
compute = "sigmoid"
params = { z = 0.0 }
quantity = "a"
text = "What is the sigmoid of 0?"
hint = "1 / (1 + e^0)"
"""
INSERTED = """
[[steps]]
kind = "choice"
text = "A new question, inserted before the exercise."
hint = "Read the options."

[[steps.options]]
text = "yes"
correct = true
why = "Right."

[[steps.options]]
text = "no"
correct = false
why = "Wrong."
"""


def demo_keys(text: str) -> dict[str, list[str]]:
    lesson, problems = check_text(text, Path("demo.toml"))
    assert not problems, problems
    return {"demo": lesson.keys}


def test_an_inserted_step_leaves_the_answers_with_their_steps(tmp_path):
    path = tmp_path / "progress.json"
    p = Progress.load(path, lessons=demo_keys(LESSON))
    lp = p.lesson("demo")
    lp.step = 1
    lp.done_keys |= set(lp.keys)
    lp.answer(1).update(tries=["0.5"], correct=True)
    p.save()
    edited = LESSON.replace("[[steps]]\nkind = \"predict\"", INSERTED.lstrip() + "\n[[steps]]\nkind = \"predict\"")
    again = Progress.load(path, lessons=demo_keys(edited)).lesson("demo")
    assert again.step == 2 and again.done == {0, 2}           # the exercise moved to number 2, the new step is not done
    assert again.answer(2)["tries"] == ["0.5"] and again.answer(2)["correct"]
    assert again.keys[1] not in again.answers


def test_entries_of_steps_no_longer_in_the_lesson_are_kept_not_shown(tmp_path):
    path = tmp_path / "progress.json"
    record = {"step": "gone", "done": ["b", "gone"], "completed": False, "answers": {"gone": {"tries": ["7"]}}}
    path.write_text(json.dumps({"version": 2, "lessons": {"demo": record, "old-lesson": record}}))
    p = Progress.load(path, lessons={"demo": ["a", "b", "c"]})
    lp = p.lesson("demo")
    assert lp.done == {1} and lp.step == 0 and lp.answers.keys() == {"gone"}  # "gone" matches no step
    p.save()
    saved = json.loads(path.read_text())["lessons"]
    assert saved["demo"] == record and saved["old-lesson"] == record


def test_a_version_1_file_is_matched_to_the_current_steps_and_copied_aside(tmp_path):
    path = tmp_path / "progress.json"
    answer = {"tries": ["1.2"], "correct": False, "revealed": True}
    v1 = {"version": 1, "lessons": {
        "demo": {"step": 1, "done": [0, 1, 7], "completed": True, "answers": {"1": answer, "7": {"tries": ["3"]}}},
        "old-lesson": {"step": 2, "done": [0], "completed": False, "answers": {}}}}
    path.write_text(json.dumps(v1))
    keys = demo_keys(LESSON)["demo"]
    p = Progress.load(path, lessons={"demo": keys})
    lp = p.lesson("demo")
    assert not p.notice and (lp.step, lp.done, lp.completed) == (1, {0, 1}, True) and lp.answer(1) == answer
    p.save()
    saved = json.loads(path.read_text())
    assert saved["version"] == 2
    assert saved["lessons"]["demo"] == {"step": keys[1], "done": sorted([keys[0], keys[1], "v1#7"]), "completed": True,
                                        "answers": {keys[1]: answer, "v1#7": {"tries": ["3"]}}}
    assert saved["lessons"]["old-lesson"] == {"step": "v1#2", "done": ["v1#0"], "completed": False, "answers": {}}
    copies = [x for x in tmp_path.iterdir() if x.name.startswith("progress.json.version-1-")]
    assert len(copies) == 1 and json.loads(copies[0].read_text()) == v1
    p.save()  # copied once, before the first write
    again = Progress.load(path, lessons={"demo": keys})
    assert again.lessons["demo"] == lp and len(list(tmp_path.iterdir())) == 2


def test_a_newer_file_is_kept_aside_not_overwritten(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    path = progress_path()
    path.parent.mkdir(parents=True)
    newer = '{"version": 3, "lessons": {"cost": {"step": {"id": "x"}}}}'
    path.write_text(newer)
    p = Progress.load(lessons=lesson_step_keys())
    assert p.lessons == {} and "newer tutor (format version 3)" in p.notice and not path.exists()
    p.save()
    kept = [x for x in path.parent.iterdir() if x.name.startswith("progress.json.version-3-")]
    assert len(kept) == 1 and kept[0].read_text() == newer
    path.write_text(newer)
    assert main(["lessons", "list"]) == 0
    assert "newer tutor" in capsys.readouterr().err and not path.exists()
