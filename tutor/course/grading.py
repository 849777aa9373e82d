"""How an answer is graded, and the proof that the grading is right: one rounding rule (the answer to 3 significant
figures, unless the exercise asks for more and says so), and the classic wrong answers of every predict step,
computed from the engine (the value before an update, the update with the wrong sign, the answer without σ′, a
neighbouring element or its transpose, an operand itself...), none of which an accepted range may contain."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from tutor.course.model import QUANTITY, Step

DEFAULT_FIGURES = 3
MAX_FIGURES = 15
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
                10: "ten"}
STATED = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+significant\s+(?:figures|digits)\b",
                    re.IGNORECASE)


def figures_error(answer: float, figures: int) -> float:
    """One unit in the last of `figures` significant figures of `answer`: the answer rounded to that many figures,
    or cut there, or computed from operands that were themselves rounded to them (½ (0.85 − 1)² = 0.01125 for
    0.011164) is within it; a wrong last figure is not. 0 for an answer of 0 (which needs an absolute tolerance)."""
    if answer == 0 or not math.isfinite(answer):
        return 0.0
    exponent = math.floor(math.log10(abs(answer)))
    return 10.0 ** (exponent - figures + 1) * (1 + 1e-9)  # the slack: a unit away exactly is in


def allowed_error(step: Step) -> float:
    """The exercise's accepted distance from the engine's answer: its tolerance if it gives one, else the rule."""
    if step.tolerance is not None:
        return step.tolerance
    return figures_error(step.answer, step.figures or DEFAULT_FIGURES)


def rule_text(step: Step) -> str:
    """The rounding rule, as the answer box says it."""
    if step.tolerance == 0:
        return "the exact number"
    if step.tolerance is not None:
        return f"within ±{step.tolerance:.2g}"
    figures = step.figures or DEFAULT_FIGURES
    return f"{figures} significant figures are enough" if figures == DEFAULT_FIGURES else \
        f"give {figures} significant figures"


def stated_figures(text: str) -> set[int]:
    """The numbers of significant figures a text asks for ("four significant figures", "5 significant digits")."""
    words = {v: k for k, v in NUMBER_WORDS.items()}
    return {int(m.group(1)) if m.group(1).isdigit() else words[m.group(1).lower()] for m in STATED.finditer(text)}


@dataclass(frozen=True)
class Wrong:
    """A classic wrong answer: what a learner computed instead, and its value."""

    what: str
    value: float


def _index(quantity: str) -> tuple[str, tuple[int, ...]]:
    m = QUANTITY.match(quantity.replace(" ", ""))
    return m.group(1), tuple(int(i) for i in re.findall(r"\d+", m.group(2)))


def _at(value, index: tuple[int, ...]) -> float | None:
    """The element of `value` a quantity's index names (a column's [i] is [i][0]); None if outside."""
    a = np.asarray(value, dtype=np.float64)
    if a.ndim == 2 and a.shape[1] == 1 and len(index) == 1:
        index = (index[0], 0)
    if a.size == 1 and not index:
        return float(a.reshape(-1)[0])
    if a.ndim == 1 and len(index) == 1 and 0 <= index[0] < a.shape[0]:
        return float(a[index[0]])
    if a.ndim != len(index) or any(not 0 <= i < n for i, n in zip(index, a.shape)):
        return None
    return float(a[index])


def _cell(index: tuple[int, ...]) -> tuple[int, int]:
    """A quantity's index as (row, column): a column's [i] is [i][0], a scalar's is [0][0]."""
    return index if len(index) == 2 else (index[0] if index else 0, 0)


def _elementwise(name: str, index: tuple[int, ...], values: dict, what: str) -> list[Wrong]:
    """The neighbouring elements of name[index] and its transpose's, each a classic slip of the index."""
    value = np.asarray(values[name], dtype=np.float64)
    out = []
    if value.size <= 1:
        return out
    i, j = _cell(index)
    shape = value.shape if value.ndim == 2 else (value.shape[0], 1)
    grid = value.reshape(shape)
    for di, dj in ((-1, 0), (1, 0), (0, -1), (0, 1)):
        a, b = i + di, j + dj
        if 0 <= a < shape[0] and 0 <= b < shape[1]:
            where = f"[{a}][{b}]" if shape[1] > 1 else f"[{a}]"
            out.append(Wrong(f"the neighbouring element {what}{where}", float(grid[a, b])))
    if shape[1] > 1 and (j, i) != (i, j) and j < shape[0] and i < shape[1]:
        out.append(Wrong(f"the element [{j}][{i}] (row and column swapped: the transpose)", float(grid[j, i])))
    return out


def _trace_wrongs(step: Step, trace) -> list[Wrong]:
    name, index = _index(step.quantity)
    values = {e.name: e.value for e in trace}
    entry = trace[name]
    answer = step.answer
    at = lambda other: _at(values[other], index) if other in values else None  # noqa: E731
    out = []
    m = re.fullmatch(r"(updated_)?([a-z_]+?)_l(\d+)", name) if name not in ("original_cost", "updated_cost") else None
    kind, layer = (m.group(2), int(m.group(3))) if m else (name, 0)
    updated = bool(m and m.group(1))
    eta = float(values["step_size"])
    i, j = _cell(index)
    if updated and kind in ("w", "b"):
        before, gradient = at(f"{kind}_l{layer}"), at(f"dc_d{kind}_l{layer}")
        out += [Wrong(f"{kind}_l{layer} before the update", before),
                Wrong("the update with the wrong sign (+ instead of −)", before + eta * gradient),
                Wrong("the update without the step size η", before - gradient),
                Wrong(f"the gradient ∂C/∂{kind}_l{layer} itself", gradient)]
    elif updated and kind in ("z", "a"):
        out.append(Wrong(f"{kind}_l{layer} before the update", at(f"{kind}_l{layer}")))
    elif kind == "z":
        b = at(f"b_l{layer}")
        out += [Wrong("z without the bias", answer - b), Wrong("σ(z): the activation instead of z",
                                                                float(1 / (1 + np.exp(-answer))))]
    elif kind == "a":
        z_ = at(f"z_l{layer}")
        out += [Wrong("z itself (σ forgotten)", z_), Wrong("σ′(z) = a(1 − a) instead of σ(z)", answer * (1 - answer))]
    elif kind == "dc_db":
        a, dc_da = at(f"a_l{layer}"), at(f"dc_da_l{layer}")
        out += [Wrong("∂C/∂a without σ′(z)", dc_da), Wrong("σ(z) × ∂C/∂a instead of σ′(z) × ∂C/∂a", a * dc_da)]
    elif kind == "dc_dw":
        delta, a_prev = np.asarray(values[f"dc_db_l{layer}"]), np.asarray(values[f"a_l{layer - 1}"])
        out.append(Wrong("∂C/∂b alone, without the input a_prev", float(delta.reshape(-1)[i])))
        if j < a_prev.size:
            out.append(Wrong("the input a_prev alone, without ∂C/∂b", float(a_prev.reshape(-1)[j])))
        if i < a_prev.size and j < delta.size and (i, j) != (j, i):
            out.append(Wrong("∂C/∂b and a_prev with their indices swapped",
                             float(delta.reshape(-1)[j] * a_prev.reshape(-1)[i])))
    elif kind == "dc_da" and layer == trace.output_layer:
        a, y = at(f"a_l{layer}"), at("y")
        out += [Wrong("the output a alone", a), Wrong("the target y alone", y)]
    elif kind == "dc_da":
        w_next, w_updated = values[f"w_l{layer + 1}"], values[f"updated_w_l{layer + 1}"]
        delta = np.asarray(values[f"dc_db_l{layer + 1}"])
        out.append(Wrong("wᵀ · ∂C/∂b with the weights already updated", float((w_updated.T @ delta).reshape(-1)[i])))
        if np.asarray(w_next).shape[0] == np.asarray(w_next).shape[1]:
            out.append(Wrong("w · ∂C/∂b without the transpose", float((w_next @ delta).reshape(-1)[i])))
    elif name == "original_cost":
        out.append(Wrong("Σ (a − y)² without the ½", 2 * answer))
    elif name == "updated_cost":
        original = values["original_cost"]
        out += [Wrong("the cost before the update", float(original)), Wrong("Σ (a − y)² without the ½", 2 * answer)]
    out.append(Wrong("the answer with the wrong sign", -answer))
    out += _elementwise(name, index, values, name)
    for operand in entry.operands:  # an operand itself, at the same place when it has one
        v = at(operand)
        if v is not None:
            out.append(Wrong(f"the operand {operand}", v))
    return out


def _computation_wrongs(step: Step) -> list[Wrong]:
    """Classic wrong answers of a computation's result (compute = "...")."""
    results, params = step.results or {}, step.params
    name, index = _index(step.quantity)
    answer = step.answer
    out = []
    c = step.compute
    if c == "sigmoid":
        out += [Wrong("z itself", float(params["z"]))] + ([Wrong("σ(z) instead of its slope", results["a"])]
                                                          if name == "slope" else [])
    elif c == "neuron":
        out.append(Wrong("z without the bias", results["z"] - float(params["bias"])))
        if name == "a":
            out.append(Wrong("z itself (σ forgotten)", results["z"]))
    elif c == "descent" and name == "x" and index and index[0] > 0:
        k = index[0]
        x, slope = results["x"][k - 1], results["slope"][k - 1]
        out += [Wrong(f"x[{k - 1}], the x before this step", x),
                Wrong("the step with the wrong sign (+ instead of −)", x + float(params["step_size"]) * slope)]
    elif c == "cost" and name == "cost":
        out.append(Wrong("Σ (a − y)² without the ½", 2 * answer))
    elif c == "batch":
        b = results.get("batch_size", 1)
        if name.startswith("avg_"):
            out.append(Wrong("the sum over the batch, not divided by its size", answer * b))
        m = re.fullmatch(r"updated_([wb])_l(\d+)", name)
        if m:
            before = _at(results[f"{m.group(1)}_l{m.group(2)}"], index)
            gradient = _at(results[f"avg_dc_d{m.group(1)}_l{m.group(2)}"], index)
            eta = float(params["step_size"])
            out += [Wrong("the value before the update", before),
                    Wrong("the update with the wrong sign (+ instead of −)", before + eta * gradient),
                    Wrong("the update with the summed gradient, not its average", before - eta * gradient * b)]
    elif c == "pixel_index" and name == "index":
        width = int(params.get("width", 28))
        out.append(Wrong("column × width + row (row and column swapped)",
                         float(int(params["col"]) * width + int(params["row"]))))
    elif c == "parameters":
        out += [Wrong(f"the {other} alone", float(results[other])) for other in ("weights", "biases") if other != name]
    elif c == "updates_per_epoch":
        out.append(Wrong("the number of images (one update per image)", float(params["images"])))
    out.append(Wrong("the answer with the wrong sign", -answer))
    if name in results:
        out += _elementwise(name, index, results, name)
    return out


def classic_wrong_answers(step: Step, trace=None) -> list[Wrong]:
    """The classic wrong answers of a predict step, from the engine's numbers; those that are the answer itself (a
    neighbour that happens to be equal) are left out: no grading could tell them apart."""
    if step.kind != "predict" or step.answer is None:
        return []
    found = _computation_wrongs(step) if step.compute else _trace_wrongs(step, trace) if trace is not None else []
    out, seen = [], set()
    for wrong in found:  # the most telling name first: a value named twice keeps its first
        if wrong.value is None or not math.isfinite(wrong.value):
            continue
        if abs(wrong.value - step.answer) <= 1e-12 * max(1.0, abs(step.answer)) or wrong.value in seen:
            continue
        seen.add(wrong.value)
        out.append(Wrong(wrong.what, float(wrong.value)))
    return out


def accepted(wrong: Wrong, step: Step) -> bool:
    return abs(wrong.value - step.answer) <= allowed_error(step)


def fewest_figures(step: Step, wrongs: list[Wrong]) -> int | None:
    """The fewest significant figures whose range rejects every wrong answer; None if even 15 do not."""
    for figures in range(DEFAULT_FIGURES, MAX_FIGURES + 1):
        error = figures_error(step.answer, figures)
        if all(abs(w.value - step.answer) > error for w in wrongs):
            return figures
    return None


def clustered_choices(lessons: list) -> str | None:
    """Why the right options of a set of lessons' choice exercises are guessable, or None: with 6 or more, no
    position may hold more than half of them, and each position every exercise has must hold at least one."""
    right = [(lesson.id, step.key, next(i for i, o in enumerate(step.options) if o.correct) + 1, len(step.options))
             for lesson in lessons for step in lesson.steps
             if step.kind == "choice" and sum(o.correct for o in step.options) == 1]
    if len(right) < 6:
        return None
    counts = {p: sum(1 for r in right if r[2] == p) for p in range(1, max(r[3] for r in right) + 1)}
    common = max(counts, key=counts.get)
    empty = [p for p in range(1, min(r[3] for r in right) + 1) if counts[p] == 0]
    if counts[common] <= math.ceil(len(right) / 2) and not empty:
        return None
    spread = ", ".join(f"option {p} in {n}" for p, n in counts.items())
    ids = ", ".join(f"{r[0]}:{r[1]}" for r in right if r[2] == common)
    return (f"the right answers of the {len(right)} choice exercises cluster ({spread}): a learner who always picks "
            f"option {common} gets {counts[common]} right; put the right option at each position about equally "
            f"(option {common} is right in {ids})")
