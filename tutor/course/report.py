"""The teacher's report (`tutor lessons report`): one row per student of a served classroom, read from
students/NAME/progress.json without changing any file, and per exercise how many students got it wrong first. No UI."""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tutor.course.progress import MAX_BYTES, VERSION, LessonProgress, students_dir
from tutor.errors import InputError
from tutor.files import read_text


@dataclass
class StudentRow:
    student: str
    lessons_completed: int = 0
    first_try: int = 0        # solved with the first try, no hint asked
    after_hints: int = 0      # solved after a wrong try or a hint
    revealed: int = 0         # the answer was shown
    seconds: float = 0.0      # time spent in lessons
    last_active: str = ""     # UTC, ISO 8601
    problem: str = ""         # why the file could not be read ("" when it was)


@dataclass
class ExerciseRow:
    lesson: str
    step: str
    title: str
    tried: int = 0            # students who answered it (or had it shown)
    wrong_first: int = 0      # ... whose first try was wrong, or who had it shown without a try
    students: list[str] = field(default_factory=list)  # who got it wrong first


@dataclass
class Report:
    directory: str
    students: list[StudentRow]
    exercises: list[ExerciseRow]

    def to_json(self) -> str:
        return json.dumps({"directory": self.directory, "students": [asdict(s) for s in self.students],
                           "exercises": [asdict(e) for e in self.exercises]}, indent=1, allow_nan=False)


def find_students(data_dir: str | None = None) -> Path:
    """The students' directory: DIR/students (DIR as given, by default $XDG_DATA_HOME/tutor), or DIR itself when it
    holds the students' directories."""
    root = students_dir(data_dir)
    if data_dir is not None:
        given = Path(data_dir)
        if not given.is_dir():
            raise InputError(f"--data-dir: {data_dir}: no such directory")
        if not root.is_dir() and any((d / "progress.json").is_file() for d in given.iterdir() if d.is_dir()):
            return given
    return root


def read_lessons(path: Path, lessons) -> dict[str, LessonProgress]:
    """A student's progress by lesson id, bound to the lessons' steps; ValueError or InputError when unreadable."""
    data = json.loads(read_text(path, "progress file", MAX_BYTES))
    if not isinstance(data, dict) or not isinstance(data.get("lessons", {}), dict):
        raise ValueError("not a progress object")
    version = data.get("version", 1)
    if type(version) is not int or not 1 <= version <= VERSION:
        raise ValueError(f"format version {version!r} is not one this tutor reads")
    keys = {lesson.id: lesson.keys for lesson in lessons}
    records = {str(k): LessonProgress.from_dict(v, version) for k, v in data.get("lessons", {}).items()}
    for lesson_id, record in records.items():
        record.bind(keys.get(lesson_id, []))
    return records


def first_wrong(answer: dict) -> bool:
    tries = answer.get("tries", [])
    if not tries:
        return bool(answer.get("revealed"))
    return not (answer.get("correct") and len(tries) == 1)


def build(lessons, data_dir: str | None = None) -> Report:
    """The report over `lessons` (tutor.course.model.Lesson, in order) for every student directory found."""
    root = find_students(data_dir)
    exercises = {(l.id, s.key): ExerciseRow(l.id, s.key, s.title) for l in lessons for s in l.steps if s.is_exercise}
    rows = []
    names = sorted(d.name for d in root.iterdir() if d.is_dir()) if root.is_dir() else []
    for name in names:
        path = root / name / "progress.json"
        if not path.is_file():
            continue
        row = StudentRow(name)
        rows.append(row)
        try:
            records = read_lessons(path, lessons)
        except (InputError, ValueError, RecursionError) as e:
            row.problem = " ".join(str(e).split())[:120]
            continue
        stamps = []
        for lesson_id, record in records.items():
            row.lessons_completed += record.completed
            row.seconds += record.seconds
            stamps.append(record.last_active)
            for key, answer in record.answers.items():
                if answer.get("correct"):
                    solo = len(answer.get("tries", [])) == 1 and not answer.get("hinted")
                    row.first_try += solo
                    row.after_hints += not solo
                elif answer.get("revealed"):
                    row.revealed += 1
                exercise = exercises.get((lesson_id, key))
                if exercise is not None and (answer.get("tries") or answer.get("revealed")):
                    exercise.tried += 1
                    if first_wrong(answer):
                        exercise.wrong_first += 1
                        exercise.students.append(name)
        row.last_active = max(stamps, default="") or time.strftime(
            "%Y-%m-%dT%H:%M:%SZ", time.gmtime(os.stat(path).st_mtime))  # files older than the field: when saved
        row.seconds = round(row.seconds, 1)
    return Report(str(root), rows, list(exercises.values()))


def duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes // 60}h{minutes % 60:02d}" if minutes >= 60 else f"{minutes} min"


def text(report: Report) -> str:
    """The report as two tables: the students, then the exercises someone tried (most wrong first at the top)."""
    if not report.students:
        return f"No students yet in {report.directory} (tutor serve saves each student's progress there)."
    lines = [f"Students ({report.directory}):"]
    width = max(7, *(len(s.student) for s in report.students))
    lines.append(f"  {'student':<{width}}  lessons done  first try  after hints  revealed  time     last active")
    for s in report.students:
        if s.problem:
            lines.append(f"  {s.student:<{width}}  (progress file unreadable: {s.problem})")
            continue
        lines.append(f"  {s.student:<{width}}  {s.lessons_completed:>12}  {s.first_try:>9}  {s.after_hints:>11}  "
                     f"{s.revealed:>8}  {duration(s.seconds):<7}  {s.last_active.replace('T', ' ').rstrip('Z')}")
    tried = sorted((e for e in report.exercises if e.tried), key=lambda e: -e.wrong_first)
    lines.append("")
    if not tried:
        lines.append("No exercise answered yet.")
        return "\n".join(lines)
    lines.append("Exercises, most often wrong at the first try first:")
    lines.append("  wrong first / tried  lesson · step · title")
    for e in tried:
        lines.append(f"  {e.wrong_first:>11} / {e.tried:<5}  {e.lesson} · {e.step} · {e.title}")
    return "\n".join(lines)
