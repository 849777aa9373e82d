"""Where a lesson file's problems are: the line of a key or a [[steps]] table (tomllib gives no positions), and the
collector that writes each problem as FILE:LINE: steps[N].field: message."""

from __future__ import annotations

import re
from pathlib import Path

from tutor.course.model import Problem

MAX_MESSAGE = 500


class Lines:
    """Finds the line of a key or a [[steps]] table in a TOML text (tomllib gives no positions)."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.step_lines = [i + 1 for i, l in enumerate(self.lines) if re.match(r"\s*\[\[\s*steps\s*\]\]", l)]

    def step(self, n: int) -> int | None:
        return self.step_lines[n] if n < len(self.step_lines) else None

    def key(self, key: str, step: int | None = None) -> int | None:
        if step is None:
            start, end = 0, (self.step_lines[0] - 1 if self.step_lines else len(self.lines))
        else:
            start = (self.step(step) or 1) - 1
            end = self.step_lines[step + 1] - 1 if step + 1 < len(self.step_lines) else len(self.lines)
        for i in range(start, end):
            if re.match(rf"\s*{re.escape(key)}\s*=", self.lines[i]) or re.match(rf"\s*\[+\s*(steps\.)?{re.escape(key)}\s*\]+", self.lines[i]):
                return i + 1
        return self.step(step) if step is not None else None


class Checker:
    """Collects the problems of one lesson file while building its Lesson."""

    def __init__(self, path: Path, text: str):
        self.path, self.lines, self.problems = path, Lines(text), []

    def add(self, message: str, key: str | None = None, step: int | None = None, line: int | None = None):
        if line is None:
            line = self.lines.key(key, step) if key else (self.lines.step(step) if step is not None else None)
        if key and message.startswith(f"{key}: "):
            message = message[len(key) + 2:]
        where = f"steps[{step}]" + (f".{key}" if key else "") if step is not None else key
        message = message.replace("\n", "\\n")  # one line each, never echoing a long value whole
        message = message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 3] + "..."
        self.problems.append(Problem(str(self.path), line, f"{where}: {message}" if where else message))

    def text(self, data: dict, key: str, step: int | None = None, required: bool = False) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            self.add(f"must be text (in quotes), got {value!r}", key, step)
            return ""
        if required and not value.strip():
            self.add("is missing or empty" + {"hint": ": every exercise needs a hint shown after a wrong try",
                                              "text": ": write what the learner should read or do"}.get(key, ""),
                     key, step)
        return value
