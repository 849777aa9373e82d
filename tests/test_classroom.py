"""The classroom without a browser: students' names as data reaching a path, per-student progress, two tabs saving
at once (merged, nothing lost), the teacher's report, and what a served learner's Python may be (tutor.safe_code)."""

from __future__ import annotations

import json
import multiprocessing
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from tutor.classroom import BadName, student
from tutor.cli import main
from tutor.course import reader
from tutor.course.progress import Progress, progress_path, set_student, students_dir
from tutor.course.report import build
from tutor.engine.spec import load_spec
from tutor.safe_code import Refused, check
from tutor.sandbox import Sandbox, _article_namespace, _execute, namespace_of

LESSONS = reader.load_lessons()
KEYS = {lesson.id: lesson.keys for lesson in LESSONS}
ARTICLE = Path("/work/shared/seed/000_ac13b9cc744f0f35.txt")


@pytest.fixture(autouse=True)
def no_student():
    yield
    set_student(None)


# -- names ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, why", [
    ("../../etc", "cannot hold /"), ("/", "cannot hold /"), ("a\\b", "cannot hold"), (".", "at least one letter"),
    ("..", "at least one letter"), ("", "type your name"), ("   ", "type your name"), ("a" * 200, "200 characters"),
    ("ad\x00a", "control"), ("ad\x1b[2Ja", "control"), ("ad\na", "control"), ("ad\u202ea", "control"),
    ("ad\u200ba", "control"), (".ada", "cannot start with a dot"), ("ada$", "not '$'"), ("a:b*c", "not '*:'"),
    ("ﷺ" * 12, "too long"),
])
def test_an_unsafe_name_is_refused_with_a_message(typed, why):
    with pytest.raises(BadName, match=re.escape(why)):
        student(typed)


@pytest.mark.parametrize("names", [
    ("Ada", "ADA", " ada ", "aDa"),                                   # case, spaces around
    ("José", unicodedata.normalize("NFD", "José"), "JOSÉ"),            # é as one character or e + accent
    ("Ada  Lovelace", "ada lovelace", " ADA   LOVELACE"),                # runs of spaces
    ("ﬁona", "fiona", "FIONA"),                                       # compatibility ligature (NFKC)
    ("Straße", "STRASSE", "strasse"),                                 # case folding
])
def test_names_that_differ_only_in_case_normalisation_or_spaces_are_one_student(names, tmp_path, monkeypatch):
    directories = {student(n).directory for n in names}
    assert len(directories) == 1
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    set_student(directories.pop())
    assert progress_path().parent.parent == tmp_path / "tutor" / "students"
    set_student(None)
    assert progress_path() == tmp_path / "tutor" / "progress.json"  # the terminal app's single learner, unchanged


@given(st.text(max_size=60))
def test_any_text_is_refused_or_one_safe_directory_inside_students(typed):
    try:
        named = student(typed)
    except BadName as e:
        assert str(e) and "\n" not in str(e)
        return
    root = Path("/srv/tutor/students")
    assert (root / named.directory).parent == root and named.directory not in (".", "..")
    assert not named.directory.startswith(".") and "/" not in named.directory and "\x00" not in named.directory
    assert student(named.name.upper()).directory == student(named.name.lower()).directory == named.directory


# -- two tabs, one student -----------------------------------------------------------------------------------------

def _answers(path: str, lesson_id: str, keys: list[str], start: int) -> None:
    """One tab: answer exercises start, start+4, ... of a lesson, saving after each (as the lesson screen does)."""
    progress = Progress.load(Path(path), KEYS)
    for n in range(start, len(keys), 4):
        record = progress.lesson(lesson_id, keys)
        record.answers[keys[n]] = {"tries": [f"tab {start}"], "correct": True, "revealed": False}
        record.done_keys.add(keys[n])
        progress.save()


def test_four_tabs_saving_at_once_lose_nothing(tmp_path):
    path = tmp_path / "students" / "ada" / "progress.json"
    lesson = max(LESSONS, key=lambda l: len(l.keys))
    context = multiprocessing.get_context("fork")
    tabs = [context.Process(target=_answers, args=(str(path), lesson.id, lesson.keys, start)) for start in range(4)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(60)
        assert tab.exitcode == 0
    record = Progress.load(path, KEYS).lesson(lesson.id)
    assert set(record.answers) == set(lesson.keys) == record.done_keys
    assert all(record.answers[k]["tries"] == [f"tab {n % 4}"] for n, k in enumerate(lesson.keys))
    assert sorted(p.name for p in path.parent.iterdir()) == ["progress.json"]


def test_the_last_writer_wins_per_exercise_and_a_reset_stays_reset(tmp_path):
    path = tmp_path / "progress.json"
    keys = KEYS["cost"]
    first, second = Progress.load(path, KEYS), Progress.load(path, KEYS)
    first.lesson("cost").answers[keys[1]] = {"tries": ["1"], "correct": False, "revealed": False}
    first.lesson("backprop").done_keys.add(KEYS["backprop"][0])
    first.save()
    second.lesson("cost").answers[keys[1]] = {"tries": ["2"], "correct": True, "revealed": False}
    second.lesson("cost").answers[keys[2]] = {"tries": ["3"], "correct": True, "revealed": False}
    second.save()
    assert second.lesson("backprop").done_keys == {KEYS["backprop"][0]}  # the other tab's change, now here too
    first.reset("backprop")
    first.save()
    again = Progress.load(path, KEYS)
    assert again.lesson("cost").answers[keys[1]]["tries"] == ["2"] and keys[2] in again.lesson("cost").answers
    assert "backprop" not in json.loads(path.read_text())["lessons"]


# -- the teacher's report ------------------------------------------------------------------------------------------

def _write(root: Path, name: str, lessons: dict, version: int = 2) -> None:
    (root / name).mkdir(parents=True)
    (root / name / "progress.json").write_text(json.dumps({"version": version, "lessons": lessons}))


def test_the_report_counts_per_student_and_per_exercise(tmp_path, capsys):
    cost = next(l for l in LESSONS if l.id == "cost")
    ex = [s.key for s in cost.steps if s.is_exercise]
    root = tmp_path / "students"
    _write(root, "ada", {"cost": {"step": ex[0], "done": cost.keys, "completed": True, "seconds": 600.0,
                                  "last_active": "2026-12-02T10:00:00Z",
                                  "answers": {ex[0]: {"tries": ["0.1"], "correct": True, "revealed": False},
                                              ex[1]: {"tries": ["9", "0.2"], "correct": True, "revealed": False},
                                              ex[2]: {"tries": ["1"], "correct": True, "revealed": False,
                                                      "hinted": True}}}})
    number = cost.keys.index(ex[0])
    _write(root, "bob", {"cost": {"step": 0, "done": [], "answers": {
        str(number): {"tries": ["5", "6", "7"], "correct": False, "revealed": True}}}}, version=1)
    (root / "eve").mkdir()
    (root / "eve" / "progress.json").write_text("{not json")
    report = build(LESSONS, str(tmp_path))
    rows = {r.student: r for r in report.students}
    assert (rows["ada"].lessons_completed, rows["ada"].first_try, rows["ada"].after_hints, rows["ada"].revealed,
            rows["ada"].seconds, rows["ada"].last_active) == (1, 1, 2, 0, 600.0, "2026-12-02T10:00:00Z")
    assert (rows["bob"].first_try, rows["bob"].revealed, rows["bob"].problem) == (0, 1, "")
    assert rows["eve"].problem and rows["eve"].first_try == 0
    by_step = {e.step: e for e in report.exercises if e.lesson == "cost"}
    assert (by_step[ex[0]].tried, by_step[ex[0]].wrong_first, by_step[ex[0]].students) == (2, 1, ["bob"])
    assert (by_step[ex[1]].tried, by_step[ex[1]].wrong_first) == (1, 1)
    assert main(["lessons", "report", "--data-dir", str(tmp_path)]) == 0
    shown = capsys.readouterr().out
    assert re.search(r"ada\s+1\s+1\s+2\s+0\s+10 min\s+2026-12-02 10:00:00", shown) and "unreadable" in shown
    assert main(["lessons", "report", "--json", "--data-dir", str(root)]) == 0  # the students' directory itself
    assert {s["student"] for s in json.loads(capsys.readouterr().out)["students"]} == {"ada", "bob", "eve"}
    assert (root / "eve" / "progress.json").read_text() == "{not json"  # the report changes no file


def test_the_report_of_no_students_and_of_a_missing_directory(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["lessons", "report"]) == 0
    assert "No students yet" in capsys.readouterr().out and not students_dir().exists()
    assert main(["lessons", "report", "--data-dir", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


# -- a served learner's Python -------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "__import__('os')", "__import__('os').system('touch pwned')", "().__class__.__bases__", "np.load('x.npy')",
    "open('x')", "exec('1')", "eval('1')", "lambda: 1", "[c for c in ().__class__.__bases__]", "import os",
    "from os import system", "np.lib", "np.dot", "getattr(np, 'load')('x')", "a_l0.__class__", "_ = 1",
    "x = [f for f in range(3)]", "def f(): pass", "a_l0 += 1", "(x := 1)", "np.sum(a_l0, out=a_l0)", "'text'",
    "breakpoint()", "globals()", "vars()", "help()", "a_l0.tofile('x')", "np.save('x', a_l0)", "sigmoid = 1",
    "np = 1", "del a_l0", "with a_l0: pass", "for i in a_l0: pass", "while True: pass", "try:\n 1\nexcept: 1",
    "a_l0[0].item()", "{1: 2}", "print(a_l0)", "x" * 2001, "b'x'", "*a_l0,", "not_a_quantity + 1",
])
def test_the_classroom_refuses_what_is_not_the_articles_kind_of_line(line):
    with pytest.raises(Refused) as refused:
        check(line, {"a_l0", "w_l1"})
    assert "\n" not in str(refused.value) and str(refused.value)


def test_every_line_of_the_articles_session_and_every_lesson_solution_is_accepted():
    names: set[str] = set()
    lines = [l[4:] for l in ARTICLE.read_text().splitlines() if l.startswith(">>> ")] if ARTICLE.exists() else []
    lines = lines or [f"{e.name} = {e.name}" for e in load_spec("one-one-one").trace()]
    for line in lines:
        names |= check(line, names)
    assert {"updated_cost", "dc_dw_l1", "a_l2"} <= names or not ARTICLE.exists()
    for lesson in LESSONS:
        for step in lesson.steps:
            if step.kind == "code":
                before = namespace_of(lesson.trace, lesson.trace.index(step.name) - 1)
                check(step.solution, set(before))
                check(f"{step.name} = {step.solution}", set(before))
    for line in ("np.dot(w_l1.T, a_l0) * 2 ** -1", "a_l0.shape[0] >= 1", "w_l1[0, :]", "np.sum(a_l0, axis=0)",
                 "np.outer(a_l0, a_l0)", "np.exp(-a_l0)", "float(a_l0[0][0])"):
        check(line, {"a_l0", "w_l1"})


def test_served_the_sandbox_runs_no_refused_line_and_its_child_checks_again(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_SERVED", "1")
    trace = load_spec("two-three-two").trace()
    sandbox = Sandbox(namespace_of(trace, 5))
    assert sandbox.restricted
    try:
        marker = tmp_path / "pwned"
        outcome = sandbox.run(f"__import__('os').system('touch {marker}')")
        assert outcome.error.startswith("not run: calling __import__") and not marker.exists()
        assert sandbox.run("x = z(w_l1, a_l0, b_l1)").error is None
        assert sandbox.run("sigmoid(x)").value.shape == (3, 1)
        assert sandbox.run("x.__class__").error.startswith("not run")
    finally:
        sandbox.close()
    namespace = _article_namespace() | {"a_l0": 0.5}
    reply = _execute("open('/etc/passwd').read()", namespace, restricted=True)
    assert reply["error"].startswith("not run") and not reply["ok"]
    assert _execute("sigmoid(a_l0)", namespace, restricted=True)["ok"]


async def test_served_a_check_step_says_it_is_not_available_and_runs_nothing(monkeypatch, tmp_path):
    from textual.app import App
    from textual.widgets import Static

    from tutor.app.widgets.lesson_check import CheckPanel

    monkeypatch.setenv("TUTOR_SERVED", "1")
    step = next(s for l in LESSONS for s in l.steps if s.kind == "check")
    file = tmp_path / "mine.py"

    class Host(App):
        def compose(self):
            yield CheckPanel(step, str(file))

    async with Host().run_test() as pilot:
        panel = pilot.app.query_one(CheckPanel)
        await pilot.pause()
        assert "not available in the classroom" in str(panel.query_one("#check-report", Static).render())
        panel.new()
        panel.check()
        panel.edit()
        await pilot.pause()
        assert panel.worker is None and not file.exists()


def test_served_a_code_step_refuses_a_line_without_counting_a_try_and_grades_the_articles(monkeypatch):
    from tutor.course.code import CodeAttempts

    monkeypatch.setenv("TUTOR_SERVED", "1")
    lesson = next(l for l in LESSONS if any(s.kind == "code" for s in l.steps))
    step = next(s for s in lesson.steps if s.kind == "code")
    attempts = CodeAttempts(step, None, lesson.trace)
    sandbox = Sandbox()
    try:
        for text, right in ((f"__import__('os').getcwd()", None), (f"{step.name} = {step.solution}", True)):
            code = attempts.prepare(text)
            sandbox.reset(attempts.quantities)
            feedback = attempts.grade(text, sandbox.run(code))
            assert feedback.counted == bool(right) and feedback.right == bool(right), feedback.message
            if right is None:
                assert feedback.message.startswith("✗ Not run: calling __import__") and "not count" in feedback.message
    finally:
        sandbox.close()
