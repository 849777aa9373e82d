"""The learner's saved progress: $XDG_DATA_HOME/tutor/progress.json (served, a student's:
$XDG_DATA_HOME/tutor/students/NAME/progress.json), by lesson id and step key, written atomically and merged with what
another process saved meanwhile (tutor.course.merge); a corrupt or newer file is kept aside, an older one is upgraded
(and copied aside when first overwritten)."""

from __future__ import annotations

import copy
import json
import math
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tutor.errors import InputError
from tutor.course.merge import merge
from tutor.files import STALE_AFTER, atomic_write, check_nesting, read_text

VERSION = 2        # 2: saved by step key (the step's id or a key derived from it); 1: by step number
MAX_VERSION = 1_000_000  # a larger "version" is not one: the file is corrupt
MAX_BYTES = 16 << 20    # a progress file is a few kilobytes; one over 16 MiB is not one
MAX_NESTING = 16        # it nests 5 deep (lessons, a lesson, answers, an answer, tries)
V1_STEP = "v1#"    # an entry of a version-1 file not yet matched to a step: "v1#3" was saved for step number 3


IDLE = 300.0       # seconds: a longer pause between two actions in a lesson counts as this much time spent
_student: str | None = None  # served: the student of this process (textual-serve runs one process per tab)


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")) / "tutor"


def students_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """Where the students' progress is kept: DIR/students, by default $XDG_DATA_HOME/tutor/students."""
    return (Path(data_dir) if data_dir else data_home()) / "students"


def set_student(directory: str | None) -> None:
    """From now on this process saves the progress of the student whose directory is `directory` (a
    tutor.classroom.Student's, already checked safe); None: the single learner's again."""
    global _student
    _student = directory


def progress_path() -> Path:
    if _student is not None:
        return students_dir() / _student / "progress.json"
    return data_home() / "progress.json"


@dataclass
class LessonProgress:
    """Where a learner is in one lesson, saved by step key (see tutor.course.keys.step_key): the step shown (`current`),
    the steps done, the answers given. `bind` attaches it to the lesson's steps as they are now; `step` and `done`
    number those steps. Entries of steps no longer in the lesson are kept (and saved), never shown."""

    current: str = ""
    done_keys: set[str] = field(default_factory=set)
    completed: bool = False
    answers: dict[str, dict] = field(default_factory=dict)
    stepper: str = ""  # the quantity the lesson's stepper showed last ('' before the first)
    seconds: float = 0.0   # time spent in the lesson (pauses over IDLE count as IDLE)
    last_active: str = ""  # when the learner last did something in it: UTC, ISO 8601 ("2026-12-02T11:05:00Z")
    keys: list[str] = field(default_factory=list, compare=False, repr=False)  # the lesson's step keys, in order

    def to_dict(self) -> dict:
        saved = {"step": self.current, "done": sorted(self.done_keys), "completed": self.completed,
                 "answers": self.answers}
        saved |= {"stepper": self.stepper} if self.stepper else {}
        saved |= {"seconds": round(self.seconds, 1)} if self.seconds else {}
        return saved | ({"last_active": self.last_active} if self.last_active else {})

    def spend(self, seconds: float, now: float | None = None) -> None:
        """Count `seconds` (at most IDLE) as time spent in the lesson, and now as its last activity."""
        self.seconds += min(max(seconds, 0.0), IDLE)
        self.last_active = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if now is None else now))

    @classmethod
    def from_dict(cls, d: dict, version: int = VERSION) -> "LessonProgress":
        if not isinstance(d, dict):
            raise ValueError("a lesson's progress is not an object")
        key_type = int if version == 1 else str
        step, done, answers = d.get("step", 0 if version == 1 else ""), d.get("done", []), d.get("answers", {})
        if type(step) is not key_type or not isinstance(done, list) or not isinstance(answers, dict):
            raise ValueError("a lesson's progress has fields of the wrong type")
        if not all(type(k) is key_type for k in done) or not all(isinstance(a, dict) for a in answers.values()):
            raise ValueError("a lesson's progress has fields of the wrong type")
        for a in answers.values():
            if not isinstance(a.get("tries", []), list) or not all(isinstance(t, str) for t in a.get("tries", [])):
                raise ValueError("an answer's tries must be a list of texts")
            if not all(isinstance(a.get(flag, False), bool) for flag in ("correct", "revealed")):
                raise ValueError("an answer's correct and revealed must be true or false")
        if version == 1:  # by step number: matched to the steps by `bind`
            step, done = f"{V1_STEP}{max(step, 0)}", [f"{V1_STEP}{n}" for n in done]
            answers = {f"{V1_STEP}{n}": a for n, a in answers.items()}
        stepper, seconds, last = d.get("stepper", ""), d.get("seconds", 0.0), d.get("last_active", "")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds) \
                or seconds < 0:
            seconds = 0.0  # these two only inform the teacher's report: a bad one is forgotten, not an error
        return cls(step, set(done), bool(d.get("completed", False)), answers, stepper if isinstance(stepper, str) else "",
                   float(seconds), last if isinstance(last, str) and len(last) <= 40 else "")

    def bind(self, keys: list[str]) -> None:
        """Attach to the lesson's steps as they are now. Entries of a version-1 file move to the step now at their
        number (the lesson files the learner has when they first run this version), unless it has its own."""
        self.keys = list(keys)
        for n, key in enumerate(self.keys):
            old = f"{V1_STEP}{n}"
            if old in self.done_keys:
                self.done_keys.discard(old)
                self.done_keys.add(key)
            if old in self.answers and key not in self.answers:
                self.answers[key] = self.answers.pop(old)
            if self.current == old:
                self.current = key

    @property
    def step(self) -> int:
        """The number of the step shown; if that step is gone, the first step not done."""
        if self.current in self.keys:
            return self.keys.index(self.current)
        return next((n for n, key in enumerate(self.keys) if key not in self.done_keys), 0)

    @step.setter
    def step(self, index: int) -> None:
        self.current = self.keys[index]

    @property
    def done(self) -> set[int]:
        """The numbers of the lesson's steps that are done."""
        return {n for n, key in enumerate(self.keys) if key in self.done_keys}

    def answer(self, step: int) -> dict:
        """The record of answers for exercise number `step`: tries (what was typed), correct, revealed."""
        record = self.answers.setdefault(self.keys[step], {})
        for name, empty in (("tries", []), ("correct", False), ("revealed", False)):
            record.setdefault(name, empty)  # a record saved without one of them (by hand, or an older tutor)
        return record


class ProgressError(OSError):
    """Progress could not be saved; the message says where and why."""


@dataclass
class Progress:
    path: Path
    lessons: dict[str, LessonProgress] = field(default_factory=dict)
    notice: str = ""             # set when a file was put aside: tell the learner
    step_keys: dict[str, list[str]] = field(default_factory=dict)  # each lesson's step keys, to bind new records
    upgraded_from: int | None = None  # the file is an older version, copied aside before it is first overwritten
    base: dict[str, dict] = field(default_factory=dict, repr=False)  # the lessons as last read or written here

    @classmethod
    def load(cls, path: Path | None = None, lessons: dict[str, list[str]] | None = None) -> "Progress":
        """Read progress; a missing file is a fresh start, a corrupt, unreadable or newer one is renamed aside.
        `lessons`: each lesson's step keys (tutor.course.keys), to which the records are bound; a lesson left out
        is bound when it is asked for (`lesson(id, keys)`)."""
        path = Path(path) if path else progress_path()
        keys = dict(lessons or {})
        try:
            raw = read_text(path, "progress file", MAX_BYTES)
        except InputError as e:
            if not os.path.exists(path):  # nothing there (or a symlink to a file not made yet): a fresh start
                return cls(path, step_keys=keys)
            return cls._aside(path, keys, f"unreadable ({_short(str(e).removeprefix(f'{path}: '))})")
        try:
            check_nesting(raw, "JSON", MAX_NESTING)  # an InputError, a ValueError
            data = json.loads(raw, parse_constant=_not_json)
            if not isinstance(data, dict) or not isinstance(data.get("lessons", {}), dict):
                raise ValueError("not a progress object")
            version = data.get("version", 1)
            if type(version) is not int or not 1 <= version <= MAX_VERSION:
                raise ValueError(f"unknown version {_short(repr(version))}")
            if version <= VERSION:
                records = {str(k): LessonProgress.from_dict(v, version) for k, v in data.get("lessons", {}).items()}
        except (ValueError, RecursionError) as e:  # json.JSONDecodeError is a ValueError
            return cls._aside(path, keys, f"corrupt ({_short(str(e))})")
        if version > VERSION:
            why = f"written by a newer tutor (format version {version})"
            return cls._aside(path, keys, why, f"version-{version}")
        for lesson_id, record in records.items():
            record.bind(keys.get(lesson_id, []))
        base = copy.deepcopy({k: v.to_dict() for k, v in records.items()})
        return cls(path, records, step_keys=keys, upgraded_from=version if version < VERSION else None, base=base)

    @classmethod
    def _aside(cls, path: Path, keys: dict[str, list[str]], why: str, tag: str = "corrupt") -> "Progress":
        try:
            aside = _free_name(path, tag)
            os.replace(path, aside)
            kept = f"kept as {aside}"
        except OSError as e:
            kept = f"could not rename it aside ({e.strerror or e}); it is left as it was"
        notice = f"Progress file {path} was {why}: {kept}; starting with fresh progress."
        return cls(path, notice=notice, step_keys=keys)

    def lesson(self, lesson_id: str, keys: list[str] | None = None) -> LessonProgress:
        """The progress in a lesson, bound to its step keys (`keys`, or the lesson's as loaded)."""
        record = self.lessons.get(lesson_id)
        if record is None:
            record = self.lessons[lesson_id] = LessonProgress()
            record.bind(self.step_keys.get(lesson_id, []))
        if keys is not None:
            record.bind(keys)
        return record

    def reset(self, lesson_id: str | None = None) -> None:
        if lesson_id is None:
            self.lessons.clear()
        else:
            self.lessons.pop(lesson_id, None)

    def to_dict(self) -> dict:
        return {"version": VERSION, "lessons": {k: v.to_dict() for k, v in self.lessons.items()}}

    def save(self) -> None:
        """Write atomically (tutor.files.atomic_write: through a symlink to its target). An older version's file is
        copied aside first (the upgrade keeps every entry; the copy is for a tutor that can only read that version).
        Raises ProgressError."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with _locked(self.path):  # another process saving the same file waits: merged, never lost
                if self.upgraded_from is not None and self.path.exists():
                    shutil.copy2(self.path, _free_name(self.path, f"version-{self.upgraded_from}"))
                else:
                    self._adopt(merge(self.base, self.to_dict()["lessons"], _lessons_on_disk(self.path)))
                self.upgraded_from = None
                _remove_old_temporary_files(self.path.parent)
                text = json.dumps(self.to_dict(), indent=1, allow_nan=False).encode("utf-8")
                try:
                    atomic_write(self.path, lambda f: f.write(text))
                except InputError as e:
                    raise ProgressError(f"cannot save progress: {e}") from None
                self.base = copy.deepcopy(self.to_dict()["lessons"])  # answers' lists change in place
        except OSError as e:
            if isinstance(e, ProgressError):
                raise
            raise ProgressError(f"{self.path}: cannot save progress ({e.strerror or e})") from None

    def _adopt(self, lessons: dict[str, dict]) -> None:
        """Take the merged lessons, keeping the records' objects (a lesson being played holds its record)."""
        for lesson_id in list(self.lessons):
            if lesson_id not in lessons:
                del self.lessons[lesson_id]
        for lesson_id, saved in lessons.items():
            merged = LessonProgress.from_dict(saved)
            record = self.lessons.get(lesson_id)
            if record is None:
                record = self.lessons[lesson_id] = merged
                record.bind(self.step_keys.get(lesson_id, []))
                continue
            for name in ("current", "done_keys", "completed", "answers", "stepper", "seconds", "last_active"):
                setattr(record, name, getattr(merged, name))
            record.bind(record.keys or self.step_keys.get(lesson_id, []))  # what the file holds as a load reads it


@contextmanager
def _locked(path: Path):
    """An exclusive lock on the file's directory while a save merges and writes (no lock file is left; where fcntl
    exists, POSIX: elsewhere the writes are atomic but not merged under a lock)."""
    try:
        import fcntl
        descriptor = os.open(path.parent, os.O_RDONLY)
    except (ImportError, OSError):  # pragma: no cover - Windows
        yield
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _lessons_on_disk(path: Path) -> dict[str, dict]:
    """The lessons the file holds now, as saved by this version; {} when there is none (or it is not one of ours:
    the load that started this session already put such a file aside and said so)."""
    try:
        data = json.loads(read_text(path, "progress file", MAX_BYTES), parse_constant=_not_json)
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("lessons"), dict):
            return {}
        return {str(k): LessonProgress.from_dict(v).to_dict() for k, v in data["lessons"].items()}
    except (InputError, ValueError, RecursionError):
        return {}


def _not_json(name: str):
    raise ValueError(f"{name} is not standard JSON")  # it could not be saved again (allow_nan=False)


def _short(text: str, limit: int = 80) -> str:
    """The first line of `text`, cut at `limit` characters."""
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _remove_old_temporary_files(directory: Path) -> None:
    """Earlier versions saved through .progress-XXXXXXXX.tmp; one left by a killed save, over an hour old, goes."""
    for tmp in directory.glob(".progress-*.tmp"):
        try:
            if tmp.is_file() and time.time() - tmp.lstat().st_mtime > STALE_AFTER:
                tmp.unlink()
        except OSError:
            pass


def _free_name(path: Path, tag: str) -> Path:
    """progress.json.TAG-TIMESTAMP, with -1, -2... if that file exists."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    aside, n = path.with_name(f"{path.name}.{tag}-{stamp}"), 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.{tag}-{stamp}-{n}")
        n += 1
    return aside


@dataclass(frozen=True)
class LessonSummary:
    """One lesson as the lesson list and `tutor lessons list` show it."""

    number: int
    id: str
    title: str
    steps: int
    exercises: int
    steps_done: int
    completed: bool

    @property
    def state(self) -> str:
        if self.completed:
            return "done"
        return f"{self.steps_done} of {self.steps} steps" if self.steps_done else "not started"


def summarize(lessons: list, progress: Progress) -> list[LessonSummary]:
    """Each lesson (tutor.course.model.Lesson) with the learner's progress in it, numbered from 1."""
    rows = []
    for n, lesson in enumerate(lessons, 1):
        record = progress.lessons.get(lesson.id)
        if record is not None:
            record.bind(lesson.keys)
        rows.append(LessonSummary(n, lesson.id, lesson.title, len(lesson.steps), lesson.exercises,
                                  len(record.done) if record else 0, bool(record and record.completed)))
    return rows
