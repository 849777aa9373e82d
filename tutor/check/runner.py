"""The parent's side of the child process: start it with a memory limit, send the request, read its replies as
they come, and stop it at the time limit, saying which call of the learner's was running and on which line."""

from __future__ import annotations

import json
import os
import re
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tutor.sandbox import MEMORY_LIMIT

TIME_LIMIT = 10.0  # seconds the learner's code may run in a whole check (the article's file takes about 0.3 s)
START_LIMIT = 30.0  # seconds for Python and numpy to start in the child, before the learner's code: not theirs


@dataclass
class ChildRun:
    """What the child said, and how it ended: `done` (it said so), else stopped at the time limit (`timed_out`)
    or ended on its own (`status`) while `calling` ran; `where` the learner's lines it was on when stopped."""

    messages: list[dict] = field(default_factory=list)
    done: bool = False
    timed_out: bool = False
    status: int | None = None
    calling: str | None = None
    where: list[str] = field(default_factory=list)
    seconds: float = 0.0    # from the start of the learner's code to the child's end
    started: float | None = None
    time_limit: float = TIME_LIMIT
    cancelled: bool = False  # should_stop() said so


def _environment() -> dict:
    """The child imports this very tutor, wherever the learner's file is and whatever directory it runs in."""
    here = str(Path(__file__).resolve().parent.parent.parent)
    path = os.environ.get("PYTHONPATH")
    return os.environ | {"PYTHONPATH": here + (os.pathsep + path if path else ""), "PYTHONDONTWRITEBYTECODE": "1"}


def run_child(path: str, shown: str, request: dict, *, time_limit: float = TIME_LIMIT,
              memory_limit: int = MEMORY_LIMIT, on_message: Callable[[dict], None] | None = None,
              should_stop: Callable[[], bool] | None = None) -> ChildRun:
    """Run `python -m tutor.check.entry` on the learner's file with `request`; never longer than `time_limit`.
    `should_stop()` is asked every 0.1 s: True ends the child (a worker of the app that was cancelled)."""
    run = ChildRun(time_limit=time_limit)
    start = time.monotonic()
    with tempfile.NamedTemporaryFile("r", prefix="tutor-check-", suffix=".txt") as dump:
        child = subprocess.Popen(
            [sys.executable, "-m", "tutor.check.entry", str(memory_limit), os.path.abspath(path), shown, dump.name],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_environment(),
            cwd=os.path.dirname(os.path.abspath(path)) or None)
        try:
            try:
                child.stdin.write(json.dumps(request).encode() + b"\n")
                child.stdin.close()
            except OSError:  # it ended already: said below as an end of its own
                pass
            _read(child, run, time_limit, start + START_LIMIT, on_message, should_stop)
            if not run.done and not run.cancelled and child.poll() is None and not _ended(child, 0.1):
                run.timed_out = True
                run.where = _where(child, dump, path)
            if run.timed_out or not run.done:
                child.kill()
            run.status = child.wait()
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
            child.stdout.close()
    run.seconds = time.monotonic() - (run.started or start)
    return run


def _ended(child: subprocess.Popen, seconds: float) -> bool:
    try:
        child.wait(seconds)
        return True
    except subprocess.TimeoutExpired:
        return False


def _read(child: subprocess.Popen, run: ChildRun, time_limit: float, deadline: float, on_message,
          should_stop) -> None:
    """Read replies until the child is done, ends, or runs past `time_limit` counted from its first word (the
    learner's code starts then) or past `deadline` before it."""
    buffer, started = b"", None
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        while not run.done:
            left = deadline - time.monotonic()
            if should_stop is not None and should_stop():
                run.cancelled = True
                return
            if left <= 0:
                return
            if not selector.select(left if should_stop is None else min(left, 0.1)):
                continue
            chunk = os.read(child.stdout.fileno(), 1 << 16)
            if not chunk:
                return
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                try:
                    message = json.loads(line)
                except ValueError:  # not a reply of the child's (nothing else can write to its pipe but a
                    continue        # learner's code that goes looking for it): not ours to trust
                if not isinstance(message, dict):
                    continue
                if started is None:
                    started = time.monotonic()
                    deadline = started + time_limit
                    run.started = started
                if "calling" in message:
                    run.calling = message["calling"]
                elif message.get("done"):
                    run.done = True
                else:
                    run.messages.append(message)
                if on_message is not None:
                    on_message(message)


def _where(child: subprocess.Popen, dump, path: str) -> list[str]:
    """Ask the child where it is (faulthandler on SIGUSR1) and keep the lines of the learner's file."""
    try:
        child.send_signal(signal.SIGUSR1)
    except OSError:
        return []
    mine = os.path.abspath(path)
    # faulthandler writes the dump from the signal handler as soon as the child runs again, which on a busy
    # machine can take a while, and in several writes: read until the learner's lines are there, or the dump has
    # ended (a read that adds nothing after one that did), within 2 s
    # only whole lines count: a read can end in the middle of one
    deadline, text = time.monotonic() + 2.0, ""
    while time.monotonic() < deadline:
        more = dump.read()
        text += more
        whole = text[: text.rfind("\n") + 1]
        # faulthandler lists the innermost call first: 'File "/x/my.py", line 12 in feed_forward'
        lines = [m.group(1) for m in re.finditer(r'File "' + re.escape(mine) + r'", (line \d+ in \S+)', whole)]
        if lines or (whole and not more):
            return lines
        time.sleep(0.02)
    return []
