"""The learner's saved progress: $XDG_DATA_HOME/tutor/progress.json, written atomically, a corrupt file kept aside."""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

VERSION = 1


def progress_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tutor" / "progress.json"


@dataclass
class LessonProgress:
    """Where a learner is in one lesson: the step shown, the steps done, the answers given (by step number)."""

    step: int = 0
    done: set[int] = field(default_factory=set)
    completed: bool = False
    answers: dict[str, dict] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"step": self.step, "done": sorted(self.done), "completed": self.completed, "answers": self.answers}

    @classmethod
    def from_dict(cls, d: dict) -> "LessonProgress":
        if not isinstance(d, dict):
            raise ValueError("a lesson's progress is not an object")
        step, done, answers = d.get("step", 0), d.get("done", []), d.get("answers", {})
        if not isinstance(step, int) or not isinstance(done, list) or not isinstance(answers, dict):
            raise ValueError("a lesson's progress has fields of the wrong type")
        if not all(isinstance(n, int) for n in done) or not all(isinstance(a, dict) for a in answers.values()):
            raise ValueError("a lesson's progress has fields of the wrong type")
        for a in answers.values():
            if not isinstance(a.get("tries", []), list) or not all(isinstance(t, str) for t in a.get("tries", [])):
                raise ValueError("an answer's tries must be a list of texts")
        return cls(max(step, 0), set(done), bool(d.get("completed", False)), answers)

    def answer(self, step: int) -> dict:
        """The record of answers for exercise `step`: tries (what was typed), correct, revealed."""
        return self.answers.setdefault(str(step), {"tries": [], "correct": False, "revealed": False})


class ProgressError(OSError):
    """Progress could not be saved; the message says where and why."""


@dataclass
class Progress:
    path: Path
    lessons: dict[str, LessonProgress] = field(default_factory=dict)
    notice: str = ""             # set when a corrupt file was put aside: tell the learner

    @classmethod
    def load(cls, path: Path | None = None) -> "Progress":
        """Read progress; a missing file is a fresh start, a corrupt or unreadable one is renamed aside."""
        path = Path(path) if path else progress_path()
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except (OSError, UnicodeDecodeError) as e:
            return cls._aside(path, f"unreadable ({e.__class__.__name__})")
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or not isinstance(data.get("lessons", {}), dict):
                raise ValueError("not a progress object")
            lessons = {str(k): LessonProgress.from_dict(v) for k, v in data.get("lessons", {}).items()}
        except ValueError as e:  # json.JSONDecodeError is a ValueError
            return cls._aside(path, f"corrupt ({str(e).splitlines()[0][:80]})")
        return cls(path, lessons)

    @classmethod
    def _aside(cls, path: Path, why: str) -> "Progress":
        aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
        n = 1
        while aside.exists():
            aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}-{n}")
            n += 1
        try:
            os.replace(path, aside)
            kept = f"kept as {aside}"
        except OSError as e:
            kept = f"could not rename it aside ({e.strerror}); it is left as it was"
        return cls(path, notice=f"Progress file {path} was {why}: {kept}; starting with fresh progress.")

    def lesson(self, lesson_id: str) -> LessonProgress:
        return self.lessons.setdefault(lesson_id, LessonProgress())

    def reset(self, lesson_id: str | None = None) -> None:
        if lesson_id is None:
            self.lessons.clear()
        else:
            self.lessons.pop(lesson_id, None)

    def to_dict(self) -> dict:
        return {"version": VERSION, "lessons": {k: v.to_dict() for k, v in self.lessons.items()}}

    def save(self) -> None:
        """Write atomically: a temporary file in the same directory, then os.replace. Raises ProgressError."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".progress-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(self.to_dict(), f, indent=1)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as e:
            raise ProgressError(f"{self.path}: cannot save progress ({e.strerror or e})") from None
