"""A `tutor check` Report as the Your-code screen shows it: the levels passed, or the first quantity that differs
(its network, element, your value and the engine's, the formula, the diagnosis), or why the file cannot be run."""

from __future__ import annotations

import numpy as np
from rich.text import Text

from tutor.app.format import SMALL, shape_text, short_value
from tutor.app.symbols import symbol
from tutor.app.yours import marked
from tutor.check.report import LEVELS

OK, BAD, DIM, HEAD = "bold green", "bold red", "dim", "bold"


def value_text(value) -> str:
    """A value in one line: a number exactly, a small matrix's numbers, a larger one's shape."""
    if value is None:
        return "nothing (your code gave no value)"
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return repr(value)[:60]
    if arr.size == 1:
        return repr(float(arr.reshape(-1)[0]))
    if 0 < arr.size <= SMALL and arr.ndim == 2:
        return f"{shape_text(arr.shape)} {marked(arr, None)}"
    return f"{shape_text(arr.shape)} {short_value(arr)}"


def element(value, index: tuple[int, ...], shape: tuple[int, ...]) -> str:
    """Element `index` (of an array of `shape`) of `value`, read in row-major order, exactly; '?' if it has none."""
    try:
        flat = np.asarray(value, dtype=float).reshape(-1)
        return repr(float(flat[np.ravel_multi_index(index, shape)]))
    except (TypeError, ValueError, IndexError):
        return "?"


def element_text(yours, expected, index) -> list[str]:
    """The lines that say where yours and the engine's first differ (`index`: in the engine's value, or None when
    the shapes differ)."""
    if index is None:
        mine = shape_text(np.shape(yours)) if yours is not None else "missing"
        return [f"the shapes differ: yours is {mine}, the engine's {shape_text(np.shape(expected))}",
                f"yours   {value_text(yours)}", f"engine  {value_text(expected)}"]
    shape = np.shape(expected)
    if np.size(expected) <= 1:
        return ["the value differs", f"yours   {value_text(yours)}", f"engine  {value_text(expected)}"]
    where = "[" + ",".join(str(i) for i in index) + "]"
    return [f"first differing element {where}",
            f"yours   {where} {element(yours, index, shape)}   (all: {value_text(yours)})",
            f"engine  {where} {element(expected, index, shape)}   (all: {value_text(expected)})"]


def named(quantity: str) -> str:
    """A trace name with its symbol (dc_dw_l2 → ∂C/∂w_l2 (dc_dw_l2)); a helper call as it is."""
    sym = symbol(quantity)
    return quantity if sym == quantity else f"{sym} ({quantity})"


STEPPER = "s: open it in the stepper, your values beside the engine's."


def report_text(report, *, stepper: str = STEPPER, upto: str | None = None) -> Text:
    """What the screen shows for a tutor.check Report; `stepper`: the line that says how to see the difference in
    the stepper; `upto`: the last level checked (None: all)."""
    out = Text()
    for line in report.passed:
        out.append("✓ ", OK).append(f"{line}\n")
    if report.error is not None and getattr(report, "todo", None):
        out.append(f"✎ Next to write: {report.todo}\n", HEAD)
        out.append(f"{report.error.rstrip()}\n")
        out.append("Write it in your editor (e), save, then check again (c).", DIM)
        return out
    if report.error is not None:
        out.append("✗ The file cannot be run\n", BAD)
        out.append(f"{report.error.rstrip()}\n")
        out.append("Fix it in your editor (e), save, then check again (c).", DIM)
        return out
    diff = report.difference
    if diff is None and upto is not None and upto != LEVELS[-1]:
        out.append(f"\n★ Everything up to the {upto} agrees with the engine's.\n", OK)
    elif diff is None:
        out.append("\n★ Every quantity agrees with the engine's. ", OK)
        out.append("Your network computes, step by step, what the article's does.\n")
    else:
        out.append(f"✗ {diff.level}: {named(diff.quantity)} is the first quantity that differs\n", BAD)
        out.append(f"  on the network {diff.network}\n")
        if getattr(diff, "note", ""):
            out.append(f"  {diff.note}\n")
        for line in element_text(diff.yours, diff.expected, diff.index):
            out.append(f"  {line}\n")
        if diff.formula:
            first, *rest = diff.formula.splitlines()
            out.append("  formula  ", HEAD).append(f"{first}\n")
            for line in rest:
                out.append(f"  {line}\n")
        if diff.diagnosis is not None:
            out.append("  likely   ", HEAD).append(f"{diff.diagnosis.message}\n")
        out.append(f"{stepper}\n", DIM)
    if report.seen:
        out.append(f"\nSeen in your code: {', '.join(report.seen)}\n", DIM)
    if report.effect_only:
        out.append(f"Checked only through their effect: {', '.join(report.effect_only)}\n", DIM)
    return out
