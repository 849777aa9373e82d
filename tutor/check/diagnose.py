"""Names the learner's likely mistake in one quantity, computed from the engine's own numbers (issue 12, section 3).

Each classic mistake is a candidate value built from the engine's trace (the right answer transposed, ∂C/∂b without
σ′, the hidden error with the weights already updated, ...). A diagnosis is given only when the learner's value
agrees with a candidate and not with the right answer; candidates are tried from the most specific to the least.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping

import numpy as np

from tutor.check.hints import formula, parse, symbol

MISTAKES = ("transposed", "no-sigmoid-prime", "sigmoid-prime-of-a", "updated-weights", "sign", "batch-size",
            "broadcast", "previous-layer", "z-for-a", "no-step-size", "no-sigmoid", "no-half", "neighbour")
RTOL = 1e-7    # learners compute in another order: bit-exactness is too strict; every classic mistake is far outside
ATOL = 1e-12   # times max(1, the largest |element| of the expected value)
_FAILS = (ValueError, KeyError, TypeError, IndexError, ArithmeticError)


@dataclass(frozen=True)
class Diagnosis:
    """A classic mistake the learner's value matches: its stable id (one of MISTAKES) and a message for the learner."""

    mistake: str
    message: str


# -- agreeing ---------------------------------------------------------------------------------------------------------

def _array(value) -> np.ndarray | None:
    """A value as a float array, one number (a float, 0-d or any 1-element array) as a 1x1; None if not numbers."""
    try:
        a = np.asarray(value)
    except _FAILS:
        return None
    if a.dtype.kind not in "biuf":
        return None
    a = a.astype(np.float64)
    return a.reshape(1, 1) if a.size == 1 else a


def _close(yours: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Element by element: within RTOL of the expected element plus ATOL × max(1, max |expected|); NaN never."""
    expected = np.asarray(expected)
    finite = np.abs(expected[np.isfinite(expected)])
    atol = ATOL * max(1.0, float(finite.max()) if finite.size else 1.0)
    with np.errstate(all="ignore"):
        return np.isclose(yours, expected, rtol=RTOL, atol=atol)


def agrees(yours, expected) -> bool:
    """THE definition of agreeing: the same shape (a float agrees with a 1x1) and the same numbers within tolerance."""
    y, e = _array(yours), _array(expected)
    return y is not None and e is not None and y.shape == e.shape and bool(np.all(_close(y, e)))


def first_difference(yours, expected):
    """None if they agree; else (index of the first differing element in row-major order, in the expected value's
    own shape, your element, the engine's element), with (None, None, None) when the shapes differ."""
    y, e = _array(yours), _array(expected)
    if y is None or e is None or y.shape != e.shape:
        return None, None, None
    close = _close(y, e).reshape(-1)
    if close.all():
        return None
    flat = int(np.argmin(close))
    index = tuple(int(i) for i in np.unravel_index(flat, np.shape(expected)))
    return index, float(y.reshape(-1)[flat]), float(e.reshape(-1)[flat])


# -- the engine's numbers ---------------------------------------------------------------------------------------------

def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _shape(value) -> str:
    a = _array(value)
    return "x".join(map(str, a.shape)) if a is not None else type(value).__name__


class _Numbers:
    """The engine's trace values as float arrays, with the output layer and the step size."""

    def __init__(self, values: Mapping):
        self.values = values
        layers = [int(m.group(1)) for k in values if (m := re.fullmatch(r"w_l(\d+)", str(k)))]
        self.L = max(layers) if layers else 0
        self.eta = float(np.asarray(values["step_size"]).reshape(-1)[0]) if "step_size" in values else None
        self.late: dict | None = None  # _late_pass, computed once

    def __call__(self, name: str) -> np.ndarray:
        return np.asarray(self.values[name], dtype=np.float64)


def _expected(name: str, n: _Numbers):
    kind, l, _ = parse(name)
    if kind == "sigmoid_prime":
        a = n(f"a_l{l}")
        return a * (1 - a)
    return n.values[name]


Candidate = tuple[str, Callable[[], object], str]


# -- one mistake made at this very quantity, everything before it right --------------------------------------------

def _forward(name: str, kind: str, l: int, updated: bool, n: _Numbers) -> Iterator[Candidate]:
    u, p = ("updated_", "′") if updated else ("", "")
    w, b = (lambda: n(f"{u}w_l{l}")), (lambda: n(f"{u}b_l{l}"))
    a_prev = "a_l0" if l == 1 else f"{u}a_l{l - 1}"
    prev = symbol(a_prev)
    if kind == "z":
        yield ("broadcast", lambda: w() * n(a_prev) + b(),
               f"`*` multiplies element by element (numpy broadcast w_l{l}{p} and {prev} into one matrix): "
               f"{formula(name, n.L)} is a matrix product, np.dot(w, a) + b")
        yield ("transposed", lambda: w().T @ n(a_prev) + b(), f"w_l{l}{p} is used transposed: row j of w_l{l}{p} "
               f"holds the weights into neuron j of layer {l}; {formula(name, n.L)}")
        if l > 1:
            yield ("z-for-a", lambda: w() @ n(f"{u}z_l{l - 1}") + b(),
                   f"you used z_l{l - 1}{p} where the activation {prev} = σ(z_l{l - 1}{p}) was meant: "
                   f"{formula(name, n.L)}")
        for other in [f"{u}a_l{l}"] + ([f"{u}a_l{l - 2}" if l > 2 else "a_l0"] if l > 1 else []):
            yield ("previous-layer", lambda other=other: w() @ n(other) + b(),
                   f"you used {symbol(other)} where {prev}, the activation of the layer before, was meant: "
                   f"{formula(name, n.L)}")
    elif kind == "a":
        yield ("no-sigmoid", lambda: n(f"{u}z_l{l}"),
               f"σ is missing: yours is z_l{l}{p} itself; {formula(name, n.L)} (sigmoid({u}z_l{l}))")
        yield ("sign", lambda: _sigmoid(-n(f"{u}z_l{l}")),
               "the minus sign in σ's exponent is missing: σ(z) = 1 / (1 + e^−z), np.exp(-z)")


def _cost(name: str, updated: bool, n: _Numbers) -> Iterator[Candidate]:
    u, p = ("updated_", "′") if updated else ("", "")
    a, y = (lambda: n(f"{u}a_l{n.L}")), (lambda: n("y"))
    yield ("no-half", lambda: np.sum((a() - y()) ** 2),
           f"the ½ is missing: {formula(name, n.L)} (the ½ makes its derivative a − y)")
    yield ("z-for-a", lambda: 0.5 * np.sum((n(f"{u}z_l{n.L}") - y()) ** 2),
           f"you used z_l{n.L}{p} where the output activation a_l{n.L}{p} = σ(z_l{n.L}{p}) was meant: "
           f"{formula(name, n.L)}")


def _output_error(name: str, l: int, n: _Numbers) -> Iterator[Candidate]:
    yield ("sign", lambda: n("y") - n(f"a_l{l}"),
           f"it is y − a_l{l}, the wrong way round: {formula(name, n.L)} (the derivative of ½ (a − y)²)")
    yield ("z-for-a", lambda: n(f"z_l{l}") - n("y"),
           f"you used z_l{l} where the output a_l{l} = σ(z_l{l}) was meant: {formula(name, n.L)}")
    yield ("no-half", lambda: 2 * (n(f"a_l{l}") - n("y")),
           f"it is 2 (a_l{l} − y), the derivative of the cost without its ½: with C = ½ Σ (a − y)², "
           f"{formula(name, n.L)}")


def _hidden_error(name: str, l: int, n: _Numbers) -> Iterator[Candidate]:
    w, delta = (lambda: n(f"w_l{l + 1}")), (lambda: n(f"dc_db_l{l + 1}"))
    f = formula(name, n.L)
    yield ("updated-weights", lambda: n(f"updated_w_l{l + 1}").T @ delta(),
           f"it is computed with the weights already updated (w_l{l + 1}′ᵀ · ∂C/∂b_l{l + 1}): compute {f} "
           f"before updating w_l{l + 1}, as the article does")
    yield ("broadcast", lambda: w() * delta(),
           f"`*` multiplies element by element (numpy broadcast w_l{l + 1} and ∂C/∂b_l{l + 1} into one matrix): "
           f"{f} is a matrix product, np.dot(w.transpose(), dc_db)")
    yield ("broadcast", lambda: w().T * delta().T,
           f"`*` multiplies element by element (numpy broadcast w_l{l + 1}ᵀ and ∂C/∂b_l{l + 1}ᵀ into one matrix): "
           f"{f} is a matrix product, np.dot(w.transpose(), dc_db)")
    yield ("transposed", lambda: w() @ delta(),
           f"the transpose of the weights is missing: yours is w_l{l + 1} · ∂C/∂b_l{l + 1}; {f} "
           "(np.dot(w.transpose(), dc_db))")
    yield ("no-sigmoid-prime", lambda: w().T @ n(f"dc_da_l{l + 1}"),
           f"it uses ∂C/∂a_l{l + 1} where ∂C/∂b_l{l + 1} = σ′(z_l{l + 1}) ⊙ ∂C/∂a_l{l + 1} was meant: {f}")


def _bias_error(name: str, l: int, n: _Numbers) -> Iterator[Candidate]:
    dc_da, z, a = (lambda: n(f"dc_da_l{l}")), (lambda: n(f"z_l{l}")), (lambda: n(f"a_l{l}"))
    f = formula(name, n.L)
    yield ("no-sigmoid-prime", dc_da, f"σ′(z_l{l}) is missing: yours is ∂C/∂a_l{l} itself; {f} "
                                      f"(dc_db(z_l{l}, dc_da_l{l}))")
    yield ("sigmoid-prime-of-a", lambda: _sigmoid(a()) * (1 - _sigmoid(a())) * dc_da(),
           f"σ′ is taken at a_l{l} instead of z_l{l} (σ applied twice): {f}, and σ′(z_l{l}) = a_l{l} (1 − a_l{l})")
    yield ("z-for-a", lambda: z() * (1 - z()) * dc_da(),
           f"σ′(z_l{l}) is written z_l{l} (1 − z_l{l}): it is a_l{l} (1 − a_l{l}), with a = σ(z); {f}")
    yield ("no-sigmoid-prime", lambda: a() * dc_da(),
           f"it uses σ(z_l{l}) = a_l{l} where the slope σ′(z_l{l}) = a_l{l} (1 − a_l{l}) was meant: {f}")
    if l < n.L:
        yield ("updated-weights", lambda: a() * (1 - a()) * (n(f"updated_w_l{l + 1}").T @ n(f"dc_db_l{l + 1}")),
               _late(l, n))


def _weight_error(name: str, l: int, n: _Numbers) -> Iterator[Candidate]:
    delta, a_prev = (lambda: n(f"dc_db_l{l}")), (lambda: n(f"a_l{l - 1}"))
    f = formula(name, n.L)
    yield ("previous-layer", lambda: delta() @ n(f"a_l{l}").T,
           f"you used a_l{l}ᵀ where a_l{l - 1}ᵀ, the activation of the layer before, was meant: {f}")
    if l > 1:
        yield ("z-for-a", lambda: delta() @ n(f"z_l{l - 1}").T,
               f"you used z_l{l - 1}ᵀ where the activation a_l{l - 1}ᵀ = σ(z_l{l - 1})ᵀ was meant: {f}")
    yield ("broadcast", lambda: a_prev() * delta(),
           f"`*` multiplies element by element (numpy broadcast a_l{l - 1} and ∂C/∂b_l{l}): {f} is a matrix "
           "product, np.dot(dc_db, a_prev.transpose())")
    yield ("no-sigmoid-prime", lambda: n(f"dc_da_l{l}") @ a_prev().T,
           f"it uses ∂C/∂a_l{l} where ∂C/∂b_l{l} = σ′(z_l{l}) ⊙ ∂C/∂a_l{l} was meant: {f}")


def _update(name: str, kind: str, l: int, n: _Numbers, batch_size: int) -> Iterator[Candidate]:
    before, gradient = (lambda: n(f"{kind}_l{l}")), (lambda: n(f"dc_d{kind}_l{l}"))
    step = lambda: before() - n(name)  # noqa: E731  the step the engine took: η · ∂C/∂p
    f = formula(name, n.L)
    # a batch first: when η · m = 1 (0.1 and 10) the summed gradient's step is also the one without η
    if batch_size > 1:
        mean = f"{kind}_l{l} − (η / m) Σ ∂C/∂{kind}_l{l}, the mean over the m = {batch_size} examples"
        yield ("batch-size", lambda: before() - step() * batch_size,
               f"the step is {batch_size} times too large: the gradient summed over the batch must be divided by "
               f"its size; {mean}")
        yield ("batch-size", lambda: before() - step() / batch_size,
               f"the step is {batch_size} times too small: the batch size divides it twice; {mean}")
    yield ("sign", lambda: before() + n.eta * gradient(),
           f"the update goes uphill: yours adds η · ∂C/∂{kind}_l{l}; {f}, minus: against the gradient")
    yield ("no-step-size", lambda: before() - gradient(),
           f"the step size η is missing: {f} (times step_size)")
    yield ("transposed", lambda: before() - n.eta * gradient().T,
           f"∂C/∂{kind}_l{l} is used transposed: it has the shape of {kind}_l{l}; {f}")
    mistaken = (lambda: n(f"dc_da_l{l}")) if kind == "b" else (lambda: n(f"dc_da_l{l}") @ n(f"a_l{l - 1}").T)
    yield ("no-sigmoid-prime", lambda: before() - n.eta * mistaken(),
           f"it follows from ∂C/∂b_l{l} computed without σ′(z_l{l}): {formula(f'dc_db_l{l}', n.L)}")


def _sigmoid_prime(name: str, l: int, n: _Numbers) -> Iterator[Candidate]:
    a, z = (lambda: n(f"a_l{l}")), (lambda: n(f"z_l{l}"))
    f = formula(name, n.L)
    yield ("sigmoid-prime-of-a", lambda: _sigmoid(a()) * (1 - _sigmoid(a())),
           f"σ′ is taken at a_l{l} instead of z_l{l} (σ applied twice): {f}")
    yield ("z-for-a", lambda: z() * (1 - z()), f"it is z_l{l} (1 − z_l{l}): {f}, with a = σ(z)")
    yield ("no-sigmoid-prime", a, f"it is σ(z_l{l}) itself, not its slope: {f}")


# -- the updated weights used at every layer: what a quantity becomes downstream of it ------------------------------

def _late(l: int, n: _Numbers) -> str:
    return (f"it follows from ∂C/∂a_l{l} computed with the weights already updated: compute "
            f"{formula(f'dc_da_l{l}', n.L)} before updating w_l{l + 1}, as the article does")


def _late_pass(n: _Numbers) -> dict[str, np.ndarray]:
    """The backward pass, the update and the forward pass after it, with every hidden layer's ∂C/∂a computed from
    the weights already updated."""
    if n.late is not None:
        return n.late
    out = n.late = {}
    L, eta, y = n.L, n.eta, n("y")
    try:
        dc_da = n(f"a_l{L}") - y
        for l in range(L, 0, -1):
            a = n(f"a_l{l}")
            delta = a * (1 - a) * dc_da
            out[f"dc_db_l{l}"], out[f"dc_dw_l{l}"] = delta, delta @ n(f"a_l{l - 1}").T
            out[f"updated_b_l{l}"] = n(f"b_l{l}") - eta * delta
            out[f"updated_w_l{l}"] = n(f"w_l{l}") - eta * out[f"dc_dw_l{l}"]
            if l > 1:
                dc_da = out[f"dc_da_l{l - 1}"] = out[f"updated_w_l{l}"].T @ delta
        a = n("a_l0")
        for l in range(1, L + 1):
            z = out[f"updated_z_l{l}"] = out[f"updated_w_l{l}"] @ a + out[f"updated_b_l{l}"]
            a = out[f"updated_a_l{l}"] = _sigmoid(z)
        out["updated_cost"] = 0.5 * float(np.sum((a - y) ** 2))
    except _FAILS:
        pass
    return out


def _candidates(name: str, n: _Numbers, batch_size: int) -> Iterator[Candidate]:
    kind, l, updated = parse(name)
    if kind in ("z", "a") and l:
        yield from _forward(name, kind, l, updated, n)
    elif kind == "cost":
        yield from _cost(name, updated, n)
    elif kind == "dc_da" and l == n.L:
        yield from _output_error(name, l, n)
    elif kind == "dc_da" and l:
        yield from _hidden_error(name, l, n)
    elif kind == "dc_db":
        yield from _bias_error(name, l, n)
    elif kind == "dc_dw":
        yield from _weight_error(name, l, n)
    elif kind in ("w", "b") and updated:
        yield from _update(name, kind, l, n, batch_size)
    elif kind == "sigmoid_prime":
        yield from _sigmoid_prime(name, l, n)
    if kind in ("dc_da", "dc_db", "dc_dw", "cost") or updated:  # the same mistake at every hidden layer
        yield ("updated-weights", lambda: _late_pass(n)[name], _late(n.L - 1, n))
    yield from _generic(name, n)


def _generic(name: str, n: _Numbers) -> Iterator[Candidate]:
    expected = _array(_expected(name, n))
    f, es, (rows, cols), (kind, l, _) = formula(name, n.L), _shape(expected), expected.shape, parse(name)
    if cols == 1:
        why = f"it is the right answer as a row: {symbol(name)} is a {es} column, one number per neuron of layer {l}"
    elif rows == cols:
        why = (f"it is the right answer transposed (rows and columns swapped): row j, column k belongs to neuron j of "
               f"layer {l} and neuron k of layer {(l or 1) - 1}")
    else:
        why = (f"it is the right answer transposed: yours is {_shape(expected.T)}, {symbol(name)} is {es} (one row "
               f"per neuron of layer {l}, one column per neuron of layer {(l or 1) - 1})")
    yield ("transposed", lambda: expected.T, f"{why}; {f}")
    yield ("sign", lambda: -expected, f"it is the right answer with the wrong sign: {f}" + (
        f" (the sign often comes from ∂C/∂a_l{n.L} written y − a_l{n.L})" if kind.startswith("dc_d") else ""))


def _neighbour(name: str, yours, expected, output: int) -> Diagnosis | None:
    """Every element that differs is a neighbouring element of the right answer (above, below, left, right): an
    index slip."""
    y, e = _array(yours), _array(expected)
    if y is None or y.shape != e.shape or y.ndim != 2:
        return None

    def slipped(i: int, j: int) -> tuple[int, int] | None:
        near = ((i - 1, j), (i + 1, j), (i, j - 1), (i, j + 1))
        return next(((a, b) for a, b in near if 0 <= a < e.shape[0] and 0 <= b < e.shape[1]
                     and _close(y[i, j], e[a, b])), None)

    wrong = [(int(i), int(j)) for i, j in np.argwhere(~_close(y, e))]
    found = [slipped(i, j) for i, j in wrong]
    if not wrong or None in found:
        return None
    at = (lambda i, j: f"[{i}]") if e.shape[1] == 1 else (lambda i, j: f"[{i}][{j}]")
    return Diagnosis("neighbour", f"your element {at(*wrong[0])} is the engine's {at(*found[0])}: an index slipped "
                                  f"by one; {formula(name, output)} element by element")


def diagnose(name: str, yours, values: Mapping, *, batch_size: int = 1) -> Diagnosis | None:
    """The first classic mistake the learner's value of `name` matches, computed from the engine's trace values
    (every entry, given ones included); None when it agrees with the right answer or matches none."""
    n = _Numbers(values)
    try:
        expected = _expected(name, n)
    except _FAILS:
        return None
    y = _array(yours)
    if y is None or np.isnan(y).any() or _array(expected) is None or agrees(yours, expected):
        return None  # (NaN agrees with nothing)
    for mistake, compute, message in _candidates(name, n, batch_size):
        try:
            with np.errstate(all="ignore"):
                candidate = compute()
        except _FAILS:
            continue
        if not agrees(candidate, expected) and agrees(yours, candidate):
            ys, es = _shape(yours), _shape(expected)
            if ys != es and mistake != "transposed":
                message += f" (yours is {ys}, {symbol(name)} is {es})"
            return Diagnosis(mistake, message)
    return _neighbour(name, yours, expected, n.L)


# -- errors -----------------------------------------------------------------------------------------------------------

_BROADCAST = re.compile(r"could not be broadcast together with shapes ((?:\(\d+(?:,\d*)*\)\s*)+)")
_ALIGNED = re.compile(r"shapes \(\d+(?:,\s*\d*)*\) and \(\d+(?:,\s*\d*)*\) not aligned|matmul: Input operand \d has a "
                      r"mismatch in its core dimension")
_PRODUCTS = ("z", "dc_dw", "dc_da")  # the quantities whose formula is a matrix product


def diagnose_error(name: str, error: str, values: Mapping) -> Diagnosis | None:
    """The learner's code raised `error` (one line, "ValueError: operands could not be broadcast together with
    shapes (3,2) (2,1)") while computing `name`: `*` and a matrix product confused ("broadcast"), a missing
    transpose ("transposed"), or None when the error says nothing this module knows."""
    kind, l, _ = parse(name)
    n = _Numbers(values)
    f = formula(name, n.L) if l is not None or kind == "cost" else name
    product = kind in _PRODUCTS and not (kind == "dc_da" and l == n.L)
    m = _BROADCAST.search(error)
    if m:
        shapes = [tuple(int(x) for x in s.split(",") if x.strip()) for s in re.findall(r"\(([\d,\s]*)\)", m.group(1))]
        if len(shapes) == 2 and len(shapes[0]) == 2 and shapes[0] == shapes[1][::-1] and shapes[0] != shapes[1]:
            a, b = ("x".join(map(str, s)) for s in shapes)
            return Diagnosis("transposed", f"a {a} and a {b} do not fit: one of them is transposed; {f}")
        if product:
            fit = " and a ".join("x".join(map(str, s)) for s in shapes)
            return Diagnosis("broadcast", f"`*` multiplies element by element, and numpy cannot fit a {fit} together "
                                          f"that way: {f} is a matrix product, np.dot (or @)")
        return None
    if _ALIGNED.search(error):
        if product and kind == "z":
            return Diagnosis("transposed", f"the order of the matrix product matters: {f}, np.dot(w, a): the "
                                           "weights first")
        if product:
            return Diagnosis("transposed", f"the sizes of the matrix product do not fit: a transpose is missing; {f}")
        if kind in ("dc_db", "a", "sigmoid_prime", "cost", "dc_da"):
            return Diagnosis("broadcast", f"np.dot is a matrix product where `*` (element by element) was meant: {f}")
    return None
