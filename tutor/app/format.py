"""Display text for trace entries (no Textual here): symbols, short numbers, shapes, summaries, formulas."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from tutor.app.element_formula import line as element_line
from tutor.app.symbols import num, symbol
from tutor.engine.trace import Entry, Trace

PHASE_LABELS = {"forward": "forward", "cost": "cost", "backward": "backward", "update": "update",
                "updated forward": "forward with new parameters"}
SMALL = 12  # matrices with at most this many numbers are shown in full


def shape_text(shape) -> str:
    if len(shape) == 0:
        return "scalar"
    return "x".join(str(s) for s in shape)


def is_number(value) -> bool:
    return np.size(value) == 1


def as_float(value) -> float:
    return float(np.asarray(value).reshape(-1)[0])


def short_value(value, width: int = 40) -> str:
    """A one-line display of a value: scalars exactly, small matrices shortened, large ones summarised."""
    if is_number(value):
        return repr(as_float(value))
    arr = np.asarray(value)
    if arr.size <= 4:
        return "[" + ", ".join(num(v) for v in arr.ravel()) + "]"
    return f"min {num(arr.min())}  max {num(arr.max())}"


def summary(value) -> str:
    """Several lines describing a large matrix: shape, min/max with their positions, the largest terms."""
    arr = np.asarray(value)
    lo, hi = np.unravel_index(arr.argmin(), arr.shape), np.unravel_index(arr.argmax(), arr.shape)
    flat = np.abs(arr).ravel()
    top = np.argsort(flat)[::-1][:3]
    terms = ", ".join(f"[{','.join(str(int(i)) for i in np.unravel_index(t, arr.shape))}] {num(arr.ravel()[t])}"
                      for t in top)
    return (f"{shape_text(arr.shape)} ({arr.size} numbers, not shown in full)\n"
            f"min {num(arr.min())} at [{lo[0]},{lo[1]}]   max {num(arr.max())} at [{hi[0]},{hi[1]}]   "
            f"mean {num(arr.mean())}\nlargest |terms|: {terms}")


_TOKEN = r"(?<![A-Za-z0-9_∂/']){}(?![A-Za-z0-9_'])"


def fill_in(rhs: str, operands: list[tuple[str, object]]) -> str:
    """The right-hand side with each operand's symbol replaced by its number (or shape, for matrices)."""
    scalar = all(is_number(v) for _, v in operands)
    syms = sorted(((symbol(n), v) for n, v in operands), key=lambda p: -len(p[0]))
    lookup = dict(syms)
    pattern = re.compile("|".join(_TOKEN.format(re.escape(s)) for s, _ in syms))

    def sub(m):
        v = lookup[m[0]]
        if is_number(v):
            f = as_float(v)
            return f"({num(f)})" if f < 0 else num(f)
        return shape_text(np.shape(v))

    out = pattern.sub(sub, rhs) if syms else rhs
    if scalar:
        out = out.replace("ᵀ", "").replace("⊙", "×").replace("·", "×").replace("Σ ", "")
    return out


@dataclass(frozen=True)
class Formula:
    symbols: str
    numbers: str
    result: str  # "= value" for numbers, "→ shape" for matrices
    value_text: str  # the tracer's value: full repr when small, a summary when large
    code: str = ""  # the article's Python for this step
    where: tuple[str, ...] = ()  # small matrix operands, shortened: "w_l1 = [[−0.115, 0.455], ...]"


def compact(value) -> str:
    """A small matrix on one line with shortened numbers."""
    arr = np.asarray(value)
    return "[" + ", ".join("[" + ", ".join(num(float(v)) for v in row) + "]" for row in arr) + "]"


def formula(trace: Trace, entry: Entry) -> Formula:
    """The entry's formula in symbols, with the numbers filled in, and its result (the tracer's value)."""
    value = entry.value
    if is_number(value):
        value_text = ""
        result = "= " + entry.text()
    else:
        value_text = entry.text() if np.size(value) <= SMALL else summary(value)
        result = "→ " + shape_text(np.shape(value))
    if entry.given:
        desc = entry.formula.split(": ", 1)[-1]
        sym = symbol(entry.name)
        if sym != entry.name:  # the symbol with the code name beside it, as the computed quantities' code line says
            desc = f"{desc}; {entry.name} in the code"
        return Formula(f"{sym}  ({desc})", "", (f"{sym} = {entry.text()}" if is_number(value)
                                               else f"{sym}: {shape_text(np.shape(value))}"), value_text)
    lhs, _, rhs = entry.formula.partition(" = ")
    operands = [(n, trace[n].value) for n in entry.operands]
    numbers = f"{lhs} = {fill_in(rhs, operands)}"
    if is_number(value) and all(is_number(v) for _, v in operands):
        # one neuron a layer: the numbers as shown, and "=" or "≈" as the shown numbers give the result
        numbers = element_line(trace, entry, 0).replace("[0]", "") or numbers
    where = () if all(is_number(v) for _, v in operands) else tuple(
        f"{symbol(n)} = {compact(v)}" for n, v in operands if not is_number(v) and np.size(v) <= SMALL)
    return Formula(entry.formula, numbers, result, value_text, f">>> {entry.name} = {entry.code}", where)


@dataclass(frozen=True)
class Prepared:
    """Everything the stepper shows for one trace, computed once: per-entry formula, table row and transcript
    lines, so a key press only picks precomputed text."""

    trace: Trace
    formulas: list[Formula]
    rows: list[tuple[str, str, str, str]]  # symbol, phase, shape, value
    lines: list[str]  # the whole transcript, line by line
    ends: list[int]  # ends[i] = number of transcript lines through entry i


def prepare(trace: Trace) -> Prepared:
    formulas, rows, lines, ends = [], [], [], []
    for entry in trace:
        formulas.append(formula(trace, entry))
        rows.append((symbol(entry.name), PHASE_LABELS[entry.phase], shape_text(entry.shape), short_value(entry.value)))
        lines.extend(entry.transcript().split("\n"))
        ends.append(len(lines))
    return Prepared(trace, formulas, rows, lines, ends)


def latest(trace: Trace, index: int, *names: str):
    """The value of the first of `names` already computed at `index` (names in order of preference)."""
    for name in names:
        if computed(trace, index, name):
            return name, trace[name].value
    return None, None


def neuron_quantities(layer: int) -> list[str]:
    """The names of the column quantities one neuron of `layer` has a number in, in the order they are met."""
    return [f"a_l{layer}"] if layer == 0 else [
        f"z_l{layer}", f"a_l{layer}", f"dc_da_l{layer}", f"b_l{layer}", f"dc_db_l{layer}", f"updated_b_l{layer}",
        f"updated_z_l{layer}", f"updated_a_l{layer}"]


def computed(trace: Trace, index: int, name: str) -> bool:
    """Whether the stepper at `index` has already shown entry `name`."""
    return name in trace and trace.index(name) <= index


def neuron_scalars(trace: Trace, index: int, layer: int, j: int) -> tuple[list[tuple[str, str]], list[str]]:
    """Neuron j's numbers computed by `index` as (symbol[j], the tracer's full repr), and the symbols of those
    still to come (never their values: the learner must not see the future)."""
    done, later = [], []
    for name in neuron_quantities(layer):
        if computed(trace, index, name):
            done.append((f"{symbol(name)}[{j}]", repr(float(np.asarray(trace[name].value)[j, 0]))))
        elif name in trace:
            later.append(symbol(name))
    return done, later


@dataclass(frozen=True)
class IncomingColumn:
    """One column of a neuron's incoming row: a header and one exact text per incoming k."""

    name: str
    header: str
    values: np.ndarray  # the tracer's numbers (float64), one per k
    texts: list[str]    # repr(float(v)) of each


def incoming_columns(trace: Trace, index: int, layer: int, j: int) -> list[IncomingColumn]:
    """Neuron j of `layer` (>= 1): a_prev[k], ∂C/∂w[j,k], w[j,k] and w'[j,k], each only once computed by `index`."""
    prev = layer - 1
    sources = [(f"a_l{prev}", lambda v: np.asarray(v)[:, 0], f"{symbol(f'a_l{prev}')}[k]")]
    for name in (f"dc_dw_l{layer}", f"w_l{layer}", f"updated_w_l{layer}"):  # ∂C/∂w = a_prev ∂C/∂b; w' beside w
        sources.append((name, lambda v: np.asarray(v)[j], f"{symbol(name)}[{j},k]"))
    columns = []
    for name, pick, header in sources:
        if computed(trace, index, name):
            values = np.asarray(pick(trace[name].value), dtype=np.float64)
            columns.append(IncomingColumn(name, header, values, [repr(float(v)) for v in values]))
    return columns


def neuron_detail(trace: Trace, index: int, layer: int, j: int) -> str:
    """Neuron j of `layer`: every quantity computed so far that belongs to it, exactly as the tracer has it."""
    out = [f"{sym} = {text}" for sym, text in neuron_scalars(trace, index, layer, j)[0]]
    for name in (f"w_l{layer}", f"dc_dw_l{layer}", f"updated_w_l{layer}") if layer else ():
        if computed(trace, index, name):
            row = np.asarray(trace[name].value)[j]
            if row.size <= 4:
                out.append(f"{symbol(name)}[{j}] = [" + ", ".join(repr(float(v)) for v in row) + "]")
            else:
                top = np.argsort(np.abs(row))[::-1][:3]
                terms = ", ".join(f"[{int(k)}] {float(row[k])!r}" for k in top)
                out.append(f"{symbol(name)}[{j}]: {row.size} numbers, largest |terms| {terms}")
    return "\n".join(out)
