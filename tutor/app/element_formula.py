"""One number of a traced quantity, written out with its operands' numbers: z_l1[0] = −0.115×0.8 + 0.455×0.2 + 0.54
≈ 0.5389. The operands are shown rounded, so the line says "≈" unless the shown numbers give the shown result."""

from __future__ import annotations

import math
import re

import numpy as np

from tutor.app.symbols import num, symbol
from tutor.engine.trace import Entry, Trace

TERMS = 4  # a sum of more terms shows its first ones and how many there are


def shown(value: float) -> float:
    """A number as the stepper shows it (4 significant figures): what a learner would compute with."""
    return float(num(value).replace("−", "-"))


def _n(value: float) -> str:
    text = num(value)
    return f"({text})" if value < 0 else text


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -709 else 0.0


def _sum(products: list[tuple[float, float]], extra: str = "") -> str:
    """a0×b0 + a1×b1 + ...: a negative factor in brackets, except the very first (−0.115×0.8 + ...)."""
    terms = [f"{num(a) if i == 0 else _n(a)}×{_n(b)}" for i, (a, b) in enumerate(products[:TERMS])]
    more = f" + … ({len(products)} terms)" if len(products) > TERMS else ""
    return " + ".join(terms) + more + extra


def _result(exact: float, from_shown: float | None) -> str:
    """'= 0.5389' when the shown operands give the shown result, else '≈ 0.5389'."""
    same = from_shown is not None and num(from_shown) == num(exact)
    return f"{'=' if same else '≈'} {num(exact)}"


def line(trace: Trace, entry: Entry, j: int, k: int | None = None) -> str:
    """Entry's number for neuron j (and incoming k, for a weight's matrix; by default the row's first) written out
    with its operands' numbers; '' for an entry without a formula per element (given numbers)."""
    m = re.fullmatch(r"(updated_)?([a-z_]+?)_l(\d+)", entry.name)
    if entry.given or m is None:
        return _cost_line(trace, entry) if entry.name in ("original_cost", "updated_cost") else ""
    prime, kind, layer = bool(m.group(1)), m.group(2), int(m.group(3))
    value = lambda name: np.asarray(trace[name].value, dtype=np.float64)  # noqa: E731
    exact = value(entry.name)
    col = lambda name: value(name)[:, 0]  # noqa: E731
    sym = f"{symbol(entry.name)}[{j}]"
    eta = shown(trace.step_size)
    if kind == "z":
        w = value(f"{'updated_' if prime else ''}w_l{layer}")[j]
        a_prev = col(f"updated_a_l{layer - 1}" if prime and layer > 1 else f"a_l{layer - 1}")
        b = col(f"{'updated_' if prime else ''}b_l{layer}")[j]
        products = [(shown(w[i]), shown(a_prev[i])) for i in range(len(w))]
        from_shown = sum(p * q for p, q in products) + shown(b)
        return f"{sym} = {_sum(products, ' + ' + _n(shown(b)))} {_result(exact[j, 0], from_shown)}"
    if kind == "a":
        z = shown(col(f"{'updated_' if prime else ''}z_l{layer}")[j])
        return f"{sym} = σ({num(z)}) {_result(exact[j, 0], _sigmoid(z))}"
    output = layer == len(trace.sizes) - 1
    if kind in ("dc_da", "dc_db") and output and trace.cost == "cross-entropy":
        a, y = shown(col(f"a_l{layer}")[j]), shown(col("y")[j])
        if kind == "dc_db":
            return f"{sym} = {_n(a)} − {_n(y)} (σ′ cancelled) {_result(exact[j, 0], a - y)}"
        slope = a * (1 - a)
        return (f"{sym} = ({_n(a)} − {_n(y)}) / ({_n(a)}×(1 − {_n(a)})) "
                f"{_result(exact[j, 0], (a - y) / slope if slope else None)}")
    if kind == "dc_da" and output:
        a, y = shown(col(f"a_l{layer}")[j]), shown(col("y")[j])
        return f"{sym} = {_n(a)} − {_n(y)} {_result(exact[j, 0], a - y)}"
    if kind == "dc_da":
        w, delta = value(f"w_l{layer + 1}")[:, j], col(f"dc_db_l{layer + 1}")
        products = [(shown(w[i]), shown(delta[i])) for i in range(len(w))]
        return f"{sym} = {_sum(products)} {_result(exact[j, 0], sum(p * q for p, q in products))}"
    if kind == "dc_db":
        a, d = shown(col(f"a_l{layer}")[j]), shown(col(f"dc_da_l{layer}")[j])
        return f"{sym} = {_n(a)}×(1 − {_n(a)})×{_n(d)} {_result(exact[j, 0], a * (1 - a) * d)}"
    if kind == "dc_dw":
        k = 0 if k is None else k
        d, a = shown(col(f"dc_db_l{layer}")[j]), shown(col(f"a_l{layer - 1}")[k])
        where = f"{symbol(entry.name)}[{j}][{k}]"
        return (f"{where} = {symbol(f'dc_db_l{layer}')}[{j}] × a_l{layer - 1}[{k}] = {_n(d)}×{_n(a)} "
                f"{_result(exact[j, k], d * a)}")
    if prime and kind in ("w", "b"):
        k = 0 if k is None or kind == "b" else k
        index = (j, k) if kind == "w" else (j, 0)
        p, g = shown(value(f"{kind}_l{layer}")[index]), shown(value(f"dc_d{kind}_l{layer}")[index])
        where = f"{symbol(entry.name)}[{j}]" + (f"[{k}]" if kind == "w" else "")
        if kind == "w" and "weight_decay" in trace:  # L2: the weight shrinks first
            decay = shown(trace["weight_decay"].value)
            return (f"{where} = {num(decay)}×{_n(p)} − {_n(g)}×{_n(eta)} "
                    f"{_result(exact[index], decay * p - g * eta)}")
        return f"{where} = {_n(p)} − {_n(g)}×{_n(eta)} {_result(exact[index], p - g * eta)}"
    return ""


def _cost_line(trace: Trace, entry: Entry) -> str:
    prime = entry.name == "updated_cost"
    layer = len(trace.sizes) - 1
    a = np.asarray(trace[f"{'updated_' if prime else ''}a_l{layer}"].value)[:, 0]
    y = np.asarray(trace["y"].value)[:, 0]
    pairs = [(shown(p), shown(q)) for p, q in zip(a, y)]
    if trace.cost == "cross-entropy":
        terms = [f"{_n(q)}·ln {_n(p)} + (1 − {_n(q)})·ln(1 − {_n(p)})" for p, q in pairs[:TERMS]]
        more = f" + … ({len(pairs)} terms)" if len(pairs) > TERMS else ""
        try:
            from_shown = -sum(q * math.log(p) + (1 - q) * math.log(1 - p) for p, q in pairs)
        except ValueError:  # a shown activation of exactly 0 or 1: ln 0 (the cost itself is computed from z)
            from_shown = None
        return f"{symbol(entry.name)} = −({' + '.join(terms)}{more}) {_result(float(entry.value), from_shown)}"
    terms = [f"({_n(p)} − {_n(q)})²" for p, q in pairs[:TERMS]]
    more = f" + … ({len(pairs)} terms)" if len(pairs) > TERMS else ""
    from_shown = 0.5 * sum((p - q) ** 2 for p, q in pairs)
    return f"{symbol(entry.name)} = ½ ({' + '.join(terms)}{more}) {_result(float(entry.value), from_shown)}"
