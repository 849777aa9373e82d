"""The classroom (`tutor serve`): whether this process is a served tab, and a student's name read as data that becomes
a directory name. No UI here.

`tutor serve` sets TUTOR_SERVED=1 in its own environment; textual-serve gives each tab's app process a copy of that
environment (and the app gives it to the sandbox's children), so nothing a student does in the browser can unset it."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass

SERVED_ENV = "TUTOR_SERVED"
MAX_NAME = 40  # characters of a student's name
_PUNCTUATION = set(" -_.'")

UNAVAILABLE = ("not available in the classroom (tutor serve): it runs a whole Python file on the teacher's machine. "
               "Install tutor on your own computer (pip install tutor) to write and check your own network.")
NO_FILES = "not available in the classroom (tutor serve): files stay on the teacher's machine"


def served() -> bool:
    """This process is an app served by `tutor serve` (or a child of one)."""
    return os.environ.get(SERVED_ENV, "") == "1"


class BadName(ValueError):
    """A name that cannot be a student's; the message says why, in one line."""


@dataclass(frozen=True)
class Student:
    name: str        # as typed (stripped, NFC), to greet them
    directory: str   # the directory under students/: NFKC, case-folded, spaces collapsed; safe as one path part


def student(typed: str) -> Student:
    """The student named `typed`, or BadName. Names that differ only in case, in Unicode normalisation (é typed as
    one character or as e and a combining accent) or in spaces are the same student (the same directory)."""
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") or c in "\u2028\u2029" for c in typed):
        raise BadName("a name cannot hold control or invisible characters")
    name = " ".join(unicodedata.normalize("NFC", typed).split())
    if not name:
        raise BadName("type your name (letters or digits), then Enter")
    if len(name) > MAX_NAME:
        raise BadName(f"that name is {len(name)} characters; {MAX_NAME} at most")
    if "/" in name or "\\" in name:
        raise BadName("a name cannot hold / or \\")
    bad = sorted({c for c in name if not (c in _PUNCTUATION or unicodedata.category(c)[0] in "LMN")})
    if bad:
        raise BadName(f"a name may hold letters, digits, spaces and - _ . ' only, not {''.join(bad)!r}")
    if not any(unicodedata.category(c)[0] in "LN" for c in name):
        raise BadName("a name needs at least one letter or digit")
    if name.startswith("."):
        raise BadName("a name cannot start with a dot")
    directory = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    directory = unicodedata.normalize("NFC", directory)
    if len(directory.encode("utf-8")) > 4 * MAX_NAME:  # NFKC can lengthen (ﷺ is 18 letters); a file name has 255 bytes
        raise BadName("that name is too long once written out; try a shorter one")
    if not re.fullmatch(r"[^/\\\x00]+", directory) or directory in (".", "..") or directory.startswith("."):
        raise BadName("that name cannot be used; try another")  # NFKC made a separator or a dot of it
    return Student(name, directory)
