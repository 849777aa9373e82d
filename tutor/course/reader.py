"""Finding and reading lesson files: the shipped ones or a learner's own, checked, in file-name order."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from tutor.course import grading
from tutor.course.checker import check_text
from tutor.course.problems import Lines
from tutor.course.keys import step_keys
from tutor.course.model import Lesson, Problem
from tutor.errors import InputError
from tutor.files import check_nesting, read_text

MAX_BYTES = 1 << 20  # a lesson is a few kilobytes of text
MAX_NESTING = 16     # steps, options, params with lists of lists: 4 deep

# An installed copy has the lessons in tutor/lesson_files (built from lessons/, see pyproject.toml);
# a checkout or an editable install has only lessons/ (setuptools' editable finder does not map it).
SHIPPED = Path(__file__).resolve().parent.parent / "lesson_files"
if not SHIPPED.is_dir():
    SHIPPED = SHIPPED.parent.parent / "lessons"


def lesson_step_keys(paths: list[str | Path] | None = None) -> dict[str, list[str]]:
    """Each lesson's step keys by lesson id, read from the files without the engine: what saved progress needs.
    A file that cannot be read is left out (tutor lessons check reports it)."""
    found: dict[str, list[str]] = {}
    for path in lesson_files(paths):
        text, _ = _read(path)
        try:
            data = tomllib.loads(text) if text is not None else {}
        except ValueError:  # TOMLDecodeError, or an integer of over 4,300 digits
            continue
        if isinstance(data.get("id"), str) and isinstance(data.get("steps"), list):
            found.setdefault(data["id"], step_keys(data["steps"]))
    return found


def _read(path: Path) -> tuple[str | None, list[Problem]]:
    """A lesson file's text, or the problem that it cannot be read (missing, not a regular file, too large or too
    deeply nested, not UTF-8)."""
    try:
        text = read_text(path, "lesson file", MAX_BYTES)
        check_nesting(text, str(path), MAX_NESTING)
    except InputError as e:
        return None, [Problem(str(path), None, str(e).removeprefix(f"{path}: "))]
    return text, []


def check_file(path: Path) -> tuple[Lesson | None, list[Problem]]:
    text, problems = _read(Path(path))
    return check_text(text, Path(path)) if text is not None else (None, problems)


def lesson_files(paths: list[str | Path] | None = None) -> list[Path]:
    """The lesson files among `paths` (directories are searched for *.toml), or the shipped ones; a file named twice
    (DIR DIR, or through a link) once."""
    if not paths:
        return sorted(SHIPPED.glob("*.toml"))
    out, seen = [], set()
    for p in map(Path, paths):
        for path in sorted(p.glob("*.toml")) if os.path.isdir(p) else [p]:
            if path.resolve() not in seen:
                seen.add(path.resolve())
                out.append(path)
    return out


def check_all(paths: list[str | Path] | None = None) -> tuple[list[Lesson], list[Problem]]:
    """Check lesson files together (duplicate ids across files are problems too)."""
    lessons, problems, seen = [], [], {}
    files = lesson_files(paths)
    if not files:
        problems.append(Problem(str(paths[0] if paths else SHIPPED), None, "no lesson files (*.toml) found"))
    for path in files:
        lesson, found = check_file(path)
        problems.extend(found)
        if lesson is None:
            continue
        if lesson.id in seen:
            line = Lines(_read(path)[0] or "").key("id")
            problems.append(Problem(str(path), line, f"id: duplicate id '{lesson.id}', also used by {seen[lesson.id]}; "
                                                     "give every lesson its own id"))
        seen.setdefault(lesson.id, str(path))
        lessons.append(lesson)
    clustered = grading.clustered_choices(lessons)
    if clustered:
        problems.append(Problem(str(paths[0] if paths else SHIPPED), None, clustered))
    return lessons, problems


def load_lessons(paths: list[str | Path] | None = None) -> list[Lesson]:
    """The lessons, in file-name order; raises InputError with the first problem."""
    lessons, problems = check_all(paths)
    if problems:
        more = f" (and {len(problems) - 1} more; run: tutor lessons check)" if len(problems) > 1 else ""
        raise InputError(f"{problems[0]}{more}")
    return lessons


def find_lesson(lessons: list[Lesson], key: str) -> Lesson:
    """A lesson by id, or by its number in the list (1-based)."""
    for lesson in lessons:
        if lesson.id == key:
            return lesson
    if key.isdigit() and 1 <= int(key) <= len(lessons):
        return lessons[int(key) - 1]
    raise InputError(f"unknown lesson '{key}' (lessons: {', '.join(l.id for l in lessons)})")
