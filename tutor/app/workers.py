"""The app's one worker style: a thread that reports by message, and what happens when one fails unexpectedly."""

from __future__ import annotations

import os
import time
import traceback
from pathlib import Path

from textual import work
from textual.dom import DOMNode
from textual.worker import Worker, WorkerState


def background(*, group: str = "default", exclusive: bool = False):
    """@work for every worker of the app: a thread (the UI thread never waits on it), which reports by posting
    messages (a closed screen receives none). An exception it does not expect does not end the app: the worker
    turns ERROR, and its node's on_worker_state_changed calls failed() to say so and recover."""
    return work(thread=True, group=group, exclusive=exclusive, exit_on_error=False)


def log_path() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "tutor" / "errors.log"


def log_error(error: BaseException, what: str) -> Path | None:
    """Append the error's traceback to the log; the log's path, or None if it cannot be written."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {what}\n")
            log.writelines(traceback.format_exception(error))
    except OSError:
        return None
    return path


def failed(node: DOMNode, event: Worker.StateChanged, what: str) -> str | None:
    """When `event` says a worker failed: log it, notify the learner (the app goes on, progress as saved), and
    return the line for `node` to show where the result would have been; None for any other state change."""
    if event.state != WorkerState.ERROR or event.worker.error is None:
        return None
    error = event.worker.error
    logged = log_error(error, what)
    line = f"{what} failed unexpectedly: {type(error).__name__}: {str(error)[:200]}"
    node.notify(f"{line}. {f'Details are in {logged}. ' if logged else ''}Your progress is saved; carry on.",
                title="Something went wrong", severity="error", timeout=15)
    return line
