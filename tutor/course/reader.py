"""Finding and reading lesson files: the shipped ones or a learner's own, checked, in file-name order."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tutor.course import grading
from tutor.course.checker import check_text
from tutor.course.problems import Lines
from tutor.course.keys import step_keys
from tutor.course.model import Lesson, Problem
from tutor.errors import InputError

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
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if isinstance(data.get("id"), str) and isinstance(data.get("steps"), list):
            found.setdefault(data["id"], step_keys(data["steps"]))
    return found


def check_file(path: Path) -> tuple[Lesson | None, list[Problem]]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(str(path), None, "file not found")]
    except (OSError, UnicodeDecodeError) as e:
        return None, [Problem(str(path), None, f"cannot read ({e})")]
    return check_text(text, Path(path))


def lesson_files(paths: list[str | Path] | None = None) -> list[Path]:
    """The lesson files among `paths` (directories are searched for *.toml), or the shipped ones."""
    if not paths:
        return sorted(SHIPPED.glob("*.toml"))
    out = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("*.toml")) if p.is_dir() else [p])
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
            line = Lines(path.read_text(encoding="utf-8")).key("id")
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
