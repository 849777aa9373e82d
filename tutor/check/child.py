"""The child process of `tutor check`: loads the learner's file under a memory limit and runs what the parent
asks, saying each call before it makes it (so a parent that stops it at the time limit can say which call ran
over) and sending back the learner's quantities, never judging them. Nothing of the learner's is unpickled: values
cross as JSON and .npy (tutor.sandbox._pack).

The process itself starts in tutor.check.entry."""

from __future__ import annotations

import json
import os
import sys
import traceback
import types

import numpy as np

from tutor.sandbox import _pack, _unpack


class CallFailed(Exception):
    """The learner's code did not return: `info` says how (kind: todo, error, memory, exit, missing, setup)."""

    def __init__(self, info: dict):
        super().__init__(info.get("line", info["kind"]))
        self.info = info


class Child:
    """The learner's module and the pipe to the parent."""

    def __init__(self, path: str, shown: str, pipe):
        self.path, self.shown, self.pipe = os.path.abspath(path), shown, pipe
        self.module: types.ModuleType | None = None

    def say(self, **message) -> None:
        self.pipe.write(json.dumps(message) + "\n")
        self.pipe.flush()

    def announce(self, what: str) -> None:
        """Tell the parent which call of the learner's is about to run."""
        self.say(calling=what)

    # -- the learner's file ------------------------------------------------------------------------------------

    def load(self) -> types.ModuleType:
        self.announce(f"loading {self.shown} (its top-level code)")
        try:
            with open(self.path, encoding="utf-8") as f:
                source = f.read()
        except (OSError, UnicodeDecodeError) as e:
            raise CallFailed({"kind": "setup", "line": f"{self.shown}: cannot read it: {e}"}) from None
        try:
            code = compile(source, self.path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as e:  # ValueError: a NUL byte in the source
            raise CallFailed(self._syntax(e)) from None
        name = os.path.splitext(os.path.basename(self.path))[0] or "your_network"
        module = types.ModuleType(name)
        module.__file__ = self.path
        sys.modules[name] = module
        sys.path.insert(0, os.path.dirname(self.path))
        self.guarded(f"loading {self.shown} (its top-level code)", exec, code, module.__dict__, announce=False)
        self.module = module
        return module

    def _syntax(self, e: Exception) -> dict:
        if not isinstance(e, SyntaxError):
            return {"kind": "syntax", "line": f"{self.shown}: {e}"}
        where = f"{self.shown}, line {e.lineno}" if e.lineno else self.shown
        text = (e.text or "").rstrip("\n")
        shown = ""
        if text.strip():
            indent = len(text) - len(text.lstrip())
            shown = f"\n    {text.strip()}"
            if e.offset and e.offset - 1 >= indent:
                shown += "\n    " + " " * (e.offset - 1 - indent) + "^"
        return {"kind": "syntax", "line": f"{where}: {type(e).__name__}: {e.msg}{shown}", "lineno": e.lineno}

    # -- calling the learner's code ----------------------------------------------------------------------------

    def guarded(self, what: str, function, *args, announce: bool = True, **kwargs):
        """function(*args, **kwargs), said to the parent first; CallFailed saying how if it did not return."""
        if announce:
            self.announce(what)
        try:
            with np.errstate(all="ignore"):
                return function(*args, **kwargs)
        except BaseException as error:  # the learner's code: whatever it raises is said, nothing gets past
            raise CallFailed(self.failure(what, error)) from None

    def failure(self, what: str, error: BaseException) -> dict:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == self.path]
        line = _one_line(error)
        if isinstance(error, NotImplementedError):
            return {"kind": "todo", "what": what, "function": frames[-1].name if frames else what, "line": line}
        if isinstance(error, MemoryError):
            return {"kind": "memory", "what": what, "line": line, "traceback": self.traceback(frames, error)}
        if isinstance(error, SystemExit):
            return {"kind": "exit", "what": what, "line": f"SystemExit({error.code!r})",
                    "traceback": self.traceback(frames, None)}
        return {"kind": "error", "what": what, "line": line, "traceback": self.traceback(frames, error)}

    def traceback(self, frames, error: BaseException | None) -> str:
        """The learner's traceback: their file's frames only (never ours, nor numpy's), then the error."""
        if len(frames) > 12:  # a recursion: its first frames and its last
            frames = frames[:4] + [None] + frames[-6:]
        lines = ["Traceback (your code, most recent call last):"]
        for f in frames:
            if f is None:
                lines.append("  …")
                continue
            lines.append(f'  File "{self.shown}", line {f.lineno}, in {f.name}')
            if f.line:
                lines.append(f"    {f.line.strip()}")
        if error is not None:
            lines.append(_one_line(error, 600))
        return "\n".join(lines)

    def function(self, name: str):
        """The module's function `name`, or None."""
        value = getattr(self.module, name, None)
        return value if callable(value) else None


def _one_line(error: BaseException, limit: int = 300) -> str:
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    text = " ".join(text.split("\n")[:3]).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def packed(value):
    """A learner's value as it crosses the pipe: a number or an array (.npy), or {"bad": what it was} when it is
    not numbers (None: a function with no return; a string; a ragged list)."""
    if value is None or isinstance(value, (str, bytes, dict, set)):
        return {"bad": _described(value)}
    try:
        with np.errstate(all="ignore"):
            array = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return {"bad": _described(value)}
    if array.size > 1_000_000:
        return {"bad": f"an array of {array.size:,} numbers ({'x'.join(map(str, array.shape))})"}
    return _pack(array) if array.ndim else float(array)


def _described(value) -> str:
    if value is None:
        return "None (nothing returned: a missing `return`?)"
    text = repr(value)
    return f"{text if len(text) <= 80 else text[:79] + '…'} (a {type(value).__name__}, not numbers)"


def unpacked(values: dict) -> dict:
    return {name: _unpack(v) for name, v in values.items()}
