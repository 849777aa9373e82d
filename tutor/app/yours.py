"""The learner's values beside the engine's, as the stepper shows them (no Textual here): cells, marks, lines."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from tutor.app.format import SMALL, shape_text, short_value
from tutor.app.symbols import num
from tutor.check.diagnose import agrees, first_difference
from tutor.engine.trace import Entry, Trace

NOT_GIVEN = "—"      # the learner's code gave no value for this quantity (checked through its effect only)
DIFFERS = "✗ "       # before a value of theirs that differs from the engine's
MARK = "▸"           # before the first differing element of a matrix shown in full


def number_of(value) -> bool:
    return np.size(value) == 1


def _plain(value) -> np.ndarray | None:
    """The learner's value as a float array, or None when it is not a number or an array of numbers."""
    if value is None:
        return None
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None


def verdict(entry: Entry, theirs: Mapping[str, object]) -> bool | None:
    """True: their value agrees with the engine's; False: it differs; None: their code gave none."""
    if entry.name not in theirs:
        return None
    return agrees(theirs[entry.name], entry.value)


def cells(trace: Trace, theirs: Mapping[str, object]) -> list[tuple[str, bool | None]]:
    """One (text, verdict) a trace entry: their value shortened as the table shows the engine's, marked ✗ when it
    differs; — when their code gave none; a given quantity (a_l0, w_l1, y, η) as it was given to their code."""
    out = []
    for entry in trace:
        ok = verdict(entry, theirs)
        if ok is None and entry.given:  # the input, the target, the parameters, η: given to their code as they are
            out.append((short_value(entry.value), None))
            continue
        if ok is None:
            out.append((NOT_GIVEN, None))
            continue
        yours = _plain(theirs[entry.name])
        text = short_value(yours) if yours is not None and yours.size else repr(theirs[entry.name])[:40]
        out.append((text if ok else DIFFERS + text, ok))
    return out


def first_differing(trace: Trace, theirs: Mapping[str, object]) -> str | None:
    """The name of the first entry, in the trace's order, whose value of theirs differs from the engine's."""
    return next((e.name for e in trace if verdict(e, theirs) is False), None)


def marked(value: np.ndarray, at: tuple[int, ...] | None) -> str:
    """A small matrix on one line, shortened numbers, the element `at` marked ▸."""
    arr = np.atleast_2d(value)

    def cell(i, j):
        return (MARK if at == (i, j) else "") + num(float(arr[i, j]))

    return "[" + ", ".join("[" + ", ".join(cell(i, j) for j in range(arr.shape[1])) + "]"
                           for i in range(arr.shape[0])) + "]"


def comparison(entry: Entry, theirs: Mapping[str, object]) -> list[tuple[str, str]]:
    """What the formula panel adds below the engine's result: their value and the engine's, and where they first
    differ. Each line with its kind: "head", "plain", "ok" or "bad"."""
    ok = verdict(entry, theirs)
    if ok is None and entry.given:
        return [("yours: the same (given to your code)", "plain")]
    if ok is None:
        return [("yours: " + NOT_GIVEN + " (your code gave no value for it: checked through its effect only)", "plain")]
    raw = theirs[entry.name]
    yours = _plain(raw)
    if yours is None:
        return [(f"yours: {repr(raw)[:60]} (not a number or an array of numbers)", "bad")]
    expected = np.asarray(entry.value, dtype=float)
    lines = [("yours beside the engine's", "head")]
    if number_of(yours) and number_of(expected):
        lines += [(f"  yours  = {float(yours.reshape(-1)[0])!r}", "bad" if not ok else "plain"),
                  (f"  engine = {float(expected.reshape(-1)[0])!r}", "plain")]
    else:
        found = first_difference(yours, expected)
        at = found[0] if found is not None and found[0] is not None and yours.shape == expected.shape else None
        for who, value, mark in (("yours ", yours, at), ("engine", expected, None)):
            shape = shape_text(np.shape(value))
            shown = marked(value, mark) if 0 < value.size <= SMALL and value.ndim == 2 else short_value(value)
            lines.append((f"  {who} {shape}: {shown}", "bad" if who == "yours " and not ok else "plain"))
        if not ok and at is None:
            lines.append((f"  ✗ the shapes differ: yours is {shape_text(yours.shape)}, the engine's "
                          f"{shape_text(expected.shape)}", "bad"))
        elif not ok:
            where = "[" + ",".join(str(i) for i in at) + "]"
            lines.append((f"  ✗ first difference at {where}: yours {float(yours[at])!r}, engine "
                          f"{float(expected[at])!r}", "bad"))
    if ok:
        lines.append(("  ✓ they agree", "ok"))
    elif number_of(yours) and number_of(expected):
        lines.append(("  ✗ they differ", "bad"))
    return lines
