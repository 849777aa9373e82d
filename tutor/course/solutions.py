"""The proof of the code steps, by `tutor lessons check`: each step's solution runs in the sandbox (one child for the
whole check) and gives the engine's value, and no classic wrong value of its quantity agrees with that value (the
grading could not tell them apart). Loading a lesson only reads its steps: it runs no code."""

from __future__ import annotations

import numpy as np

from tutor.check.diagnose import agrees
from tutor.course.code import quantities, shape_text
from tutor.course.grading import classic_wrong_answers
from tutor.course.model import Lesson, Problem, Step
from tutor.course.problems import Checker
from tutor.sandbox import Sandbox


def wrong_values(step: Step, trace) -> list[tuple[str, float | np.ndarray]]:
    """The classic wrong values of a code step's quantity, whole, from the engine's numbers: those of a predict step
    asking for it (tutor.course.grading) where it is one number, else the answer transposed or with the wrong sign,
    its operands, and the usual slips of the article's formulas (σ′ forgotten, the updated weights, η forgotten)."""
    values = {e.name: np.asarray(e.value, dtype=float) for e in trace}
    name, expected = step.name, values[step.name]
    out: list[tuple[str, float | np.ndarray]] = []
    if expected.size == 1:
        asked = Step("predict", quantity=name, answer=float(expected.reshape(-1)[0]))
        out += [(w.what, w.value) for w in classic_wrong_answers(asked, trace)]
    out += [("the answer transposed", expected.T), ("the answer with the wrong sign", -expected)]
    out += [(f"the operand {o}", values[o]) for o in trace[name].operands if o in values]
    kind, _, layer = name.removeprefix("updated_").rpartition("_l")
    if layer.isdigit():
        n = int(layer)
        get = values.get
        if name.startswith("updated_") and kind in ("w", "b") and f"dc_d{kind}_l{n}" in values:
            before, slope = values[f"{kind}_l{n}"], values[f"dc_d{kind}_l{n}"]
            out += [("the update without the step size", before - slope),
                    ("the update with the wrong sign", before + values["step_size"] * slope)]
        elif kind == "dc_db" and get(f"dc_da_l{n}") is not None:
            out += [("∂C/∂a without σ′(z)", values[f"dc_da_l{n}"]),
                    ("σ(z) instead of σ′(z)", values[f"a_l{n}"] * values[f"dc_da_l{n}"])]
        elif kind == "dc_da" and get(f"updated_w_l{n + 1}") is not None:
            out.append(("wᵀ · ∂C/∂b with the weights already updated",
                        values[f"updated_w_l{n + 1}"].T @ values[f"dc_db_l{n + 1}"]))
        elif kind == "dc_dw" and get(f"a_l{n}") is not None:
            delta, a = values[f"dc_db_l{n}"], values[f"a_l{n}"]
            out.append(("∂C/∂b · a_lᵀ (this layer's a instead of the previous one's)", delta @ a.T)
                       if delta.shape == a.shape and n > 0 else ("∂C/∂b alone", delta))
    out += _diagnosed(name, values)
    seen: set[str] = set()
    return [(what, v) for what, v in out if not (what in seen or seen.add(what))]


def _diagnosed(name: str, values: dict) -> list[tuple[str, float | np.ndarray]]:
    """The candidate values tutor.check.diagnose tries for `name` (each classic mistake, from the engine's numbers)."""
    from tutor.check import diagnose

    out = []
    for mistake, compute, _ in diagnose._candidates(name, diagnose._Numbers(values), 1):
        try:
            with np.errstate(all="ignore"):
                value = diagnose._array(compute())
        except diagnose._FAILS:
            continue
        if value is not None:
            out.append((f"the mistake '{mistake}'", value))
    return out


def _same(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.size != b.size or (a.size > 1 and a.shape != b.shape):
        return False
    return bool(np.allclose(a.reshape(-1), b.reshape(-1), rtol=1e-12, atol=0.0))


def check_lesson(lesson: Lesson, sandbox: Sandbox) -> list[Problem]:
    """The problems of `lesson`'s code steps (each named at its step's solution or quantity line)."""
    ck = None
    for n, step in enumerate(lesson.steps):
        if step.kind != "code" or lesson.trace is None or step.expected is None:
            continue
        if ck is None:
            ck = Checker(lesson.path, lesson.path.read_text(encoding="utf-8"))
        expected = step.expected
        sandbox.reset(quantities(step, lesson.trace))
        outcome = sandbox.run(step.solution)
        if outcome.stopped:
            ck.add(f"{step.solution!r} did not finish: {(outcome.error or '').split(' (the quantities')[0]}",
                   "solution", n)
        elif outcome.error:
            ck.add(f"{step.solution!r} raised {outcome.error} (it may use only the quantities before "
                   f"{step.name}, np and the article's helpers)", "solution", n)
        elif outcome.value is None:
            ck.add(f"{step.solution!r} gives no number (it showed {outcome.output[:60]!r})", "solution", n)
        elif not agrees(outcome.value, expected):
            ck.add(f"{step.solution!r} gives {shape_text(outcome.value)} {outcome.output[:80]!r}, not the engine's "
                   f"{step.name} ({shape_text(expected)})", "solution", n)
        for what, value in wrong_values(step, lesson.trace):
            if agrees(value, expected) and not _same(value, expected):  # the first one is enough to say
                ck.add(f"{what} agrees with {step.name} on this network, so the grading cannot tell it from the answer:"
                       " ask for another quantity, or use another network", "quantity", n)
                break
    return ck.problems if ck is not None else []


def check_solutions(lessons: list[Lesson]) -> list[Problem]:
    """Every code step of `lessons`, checked with one sandbox child."""
    if not any(s.kind == "code" for lesson in lessons for s in lesson.steps):
        return []
    sandbox = Sandbox()
    try:
        return [p for lesson in lessons for p in check_lesson(lesson, sandbox)]
    finally:
        sandbox.close()
