"""The learner's own network file, for the Your-code screen and a lesson's check step: where it is, made from the
starter, opened in their editor (the terminal handed over with App.suspend), checked by `tutor check`."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
from pathlib import Path

from textual.app import App, SuspendNotSupported

DEFAULT_PATH = "~/tutor/my_network.py"
MAX_BYTES = 1 << 20  # a network file written by hand is a few kB; this is what `tutor check` would refuse anyway


def resolve(text: str) -> Path:
    """The path typed (~ expanded; relative to the working directory)."""
    return Path(os.path.expanduser(text.strip() or DEFAULT_PATH))


def problem(path: Path, new_key: str = "n") -> str | None:
    """Why `path` cannot be checked or edited, in one line; None when it is a readable file. `new_key`: the key
    that creates the file from the starter where the line is shown."""
    try:
        if not path.exists():
            return f"{path}: no such file yet ({new_key} creates it from the starter)"
        if path.is_dir():
            return f"{path}: a directory, not a Python file"
        if not path.is_file():
            return f"{path}: not a regular file"
        if not os.access(path, os.R_OK):
            return f"{path}: cannot be read (permission denied)"
    except OSError as e:  # a name too long, a path through a file
        return f"{path}: {e.strerror or e}"
    return None


def describe(path: Path, new_key: str = "n") -> str:
    """One line on the file: whether it is there, its size and when it was saved."""
    trouble = problem(path, new_key)
    if trouble is not None:
        return trouble
    stat = path.stat()
    saved = time.strftime("%H:%M:%S", time.localtime(stat.st_mtime))
    try:
        with open(path, "rb") as f:
            lines = len(f.read(MAX_BYTES).splitlines())
    except OSError as e:
        return f"{path}: cannot be read ({e.strerror})"
    return f"{path}: {lines} line{'s' if lines != 1 else ''}, saved at {saved}"


def starter_text() -> str:
    """What `tutor check --new` writes: the article's helpers and Network with the bodies left to write."""
    from tutor.check.starter import STARTER

    return STARTER


class AlreadyThere(Exception):
    """The learner's file exists: the starter is never written over it."""


def create(path: Path) -> str:
    """Write the starter to `path` (and its directory); never over a file that is there. The message to show;
    AlreadyThere (with a message) or OSError when it cannot."""
    if path.exists() or path.is_symlink():
        raise AlreadyThere(f"{path} is already there: not overwritten (e edits it, c checks it)")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as f:  # "x": not over a file made in between
            f.write(starter_text())
    except FileExistsError:
        raise AlreadyThere(f"{path} is already there: not overwritten (e edits it, c checks it)") from None
    return f"Created {path} from the starter: e opens it in your editor; write the bodies, save, then c checks it."


def editor_command(environ=os.environ, which=shutil.which) -> list[str] | None:
    """$VISUAL, else $EDITOR (with its arguments), else nano or vi if installed; None when there is none."""
    for name in ("VISUAL", "EDITOR"):
        value = environ.get(name, "").strip()
        if value:
            try:
                return shlex.split(value)
            except ValueError:
                continue
    for fallback in ("nano", "vi"):
        found = which(fallback)
        if found:
            return [found]
    return None


def edit(app: App, path: Path) -> str | None:
    """Open `path` in the learner's editor, the app suspended until it closes. None when it ran; else the line
    to show (no editor, the terminal cannot be handed over, the editor would not start)."""
    command = editor_command()
    if command is None:
        return (f"No editor found: set $EDITOR (e.g. export EDITOR=nano) and start tutor again, or open {path} "
                "in any editor yourself; c checks it once saved.")
    try:
        with app.suspend():
            subprocess.run([*command, str(path)], check=False)
    except SuspendNotSupported:
        return (f"This tutor cannot hand its terminal to an editor (it runs served or under test): open {path} in "
                "your editor yourself, save it, then c checks it.")
    except OSError as e:
        return f"Could not start the editor {command[0]!r}: {e.strerror or e}. Set $EDITOR to one that is installed."
    return None


def run_check(path: str, upto: str | None = None):
    """tutor check on the file (up to the level `upto`, or all): a Report (takes seconds; call it from a worker)."""
    from tutor.check import check_file

    return check_file(path, upto=upto)
