"""`tutor check FILE.py --watch`: check again each time the file is saved, as Rustlings does; after a difference
`h` shows the next hint ("hint 1 of 3"), `q` quits. The loop takes its key source and its check as arguments, so
a test can drive it; the terminal's keys are read in cbreak mode when stdin is a terminal, lines otherwise."""

from __future__ import annotations

import os
import select
import sys
import time
from typing import Callable

POLL = 0.3     # seconds between two looks at the file's modification time (waiting for a key meanwhile)
EOF = ""       # what a key source returns when its input has ended


def stamp(path: str):
    """What changes when the file is saved: its modification time and size (None while it is not there)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def hints_for(report) -> list[str]:
    """The hints for what the report stopped at: the differing quantity, or the helper still to write."""
    from tutor.check.hints import hints

    d = report.difference
    try:
        if d is not None:
            helper = d.quantity.split("(")[0] if d.level == "helpers" else None
            return list(hints(helper if helper else d.name, sizes=None if helper else d.spec.network.sizes))
        if report.todo:
            return list(hints(report.todo))
    except ValueError:  # a name the hints do not know (a method of Network)
        pass
    return []


def watch(path: str, check: Callable, write: Callable[[str], None], next_key: Callable[[float], str | None], *,
          poll: float = POLL, clear: str = "") -> int:
    """Check `path` now and whenever it changes, until `q` (or the end of input after a `q`-less pipe: then it
    goes on watching without keys). `next_key(timeout)` waits at most `timeout` seconds for a key: the key, None
    for none, EOF when input ended. Returns the last check's exit status."""
    from tutor.check.render import render

    seen, report, hints, shown = object(), None, [], 0
    keys = next_key
    while True:
        now = stamp(path)
        if now != seen:
            seen = now
            report = check(path)
            hints, shown = hints_for(report), 0
            write(clear + render(report))
            write(_footer(path, report, hints))
        key = keys(poll)
        if key == EOF:
            keys = _sleeper
            continue
        if key is None:
            continue
        key = key.lower()
        if key == "q":
            return report.exit_status
        if key == "h":
            if not hints:
                write("  no hint for this one: the message above says what to do")
            elif shown < len(hints):
                shown += 1
                write(f"  hint {shown} of {len(hints)}: {hints[shown - 1]}")
            else:
                write(f"  that was the last hint ({len(hints)} of {len(hints)}); save the file to check again")


def _sleeper(timeout: float) -> None:
    time.sleep(timeout)  # no keys any more: the loop only watches the file
    return None


def _footer(path: str, report, hints: list[str]) -> str:
    if report.exit_status == 0:
        return f"Watching {path}: all agree. q quits."
    hint = f" h: a hint ({len(hints)})," if hints else ""
    return f"Watching {path}: save it to check again.{hint} q: quit."


class TerminalKeys:
    """Keys from stdin: one at a time in cbreak mode on a terminal (restored on exit), the first letter of each
    line otherwise (a pipe, a test)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdin
        self.fd = self.stream.fileno()
        self.tty = os.isatty(self.fd)
        self.saved = None

    def __enter__(self):
        if self.tty:
            import termios
            import tty

            self.saved = termios.tcgetattr(self.fd)
            tty.setcbreak(self.fd)
        return self

    def __exit__(self, *exc):
        if self.saved is not None:
            import termios

            termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)

    def __call__(self, timeout: float) -> str | None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return None
        if self.tty:
            data = os.read(self.fd, 1)
            return data.decode(errors="ignore") if data else EOF
        line = self.stream.readline()
        return EOF if line == "" else (line.strip()[:1] or None)


def watch_terminal(path: str, seed: int | None) -> int:
    from tutor.check.compare import check_file

    def write(text: str) -> None:
        print(text, flush=True)

    with TerminalKeys() as keys:
        clear = "\x1b[2J\x1b[H" if keys.tty and sys.stdout.isatty() else ""
        return watch(path, lambda p: check_file(p, seed=seed), write, keys, clear=clear)
