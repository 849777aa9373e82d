"""The lesson screen's one sandbox child for its code steps (tutor.sandbox), kept warm between tries and steps and
used by one worker at a time; closing it never waits on a line that is still running."""

from __future__ import annotations

import threading

from tutor.sandbox import Outcome, Sandbox


class CodeRunner:
    """`run` and `warm` are called from workers (they may take up to the time limit, or ~0.3 s to start Python);
    `close` from the UI thread, at once: a line still running is killed, and its worker closes the sandbox."""

    def __init__(self) -> None:
        self.sandbox = Sandbox()
        self._lock = threading.Lock()
        self._closed = False

    def warm(self, quantities: dict) -> None:
        """Start the child (if it is not running) with `quantities`, so the first try is answered at once."""
        with self._lock:
            if not self._closed:
                self.sandbox.reset(quantities)

    def run(self, quantities: dict, code: str) -> Outcome | None:
        """`code` run in a fresh namespace holding `quantities`; None once the runner was closed."""
        with self._lock:
            if self._closed:
                return None
            self.sandbox.reset(quantities)
            outcome = self.sandbox.run(code)
            if self._closed:  # closed while the line ran: this worker ends the child
                self.sandbox.close()
                return None
            return outcome

    def close(self) -> None:
        self._closed = True
        if self._lock.acquire(blocking=False):
            try:
                self.sandbox.close()
            finally:
                self._lock.release()
        else:  # a worker is running a line: end it now, the worker closes the rest
            child = self.sandbox._child
            if child is not None:
                try:
                    child.kill()
                except OSError:
                    pass
