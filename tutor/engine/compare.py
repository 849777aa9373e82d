"""What one change to a network or its example did: every traced quantity before and after, the numbers the learner
changed first, then the costs, then the rest, the largest changes first."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tutor.engine.trace import Trace

COSTS = ("original_cost", "updated_cost")


@dataclass(frozen=True)
class Change:
    """One number of the trace that is not what it was: its name (with its index in a matrix), both values."""

    name: str
    before: float
    after: float
    given: bool   # a number the learner set (an input, a target, a weight, a bias, the step size)
    because: tuple[str, ...] = ()  # the quantities it is computed from that changed: why it changed

    @property
    def delta(self) -> float:
        return self.after - self.before


def _label(name: str, index: tuple[int, ...], shape: tuple[int, ...]) -> str:
    if not shape or all(n == 1 for n in shape):
        return name
    if len(shape) == 2 and shape[1] == 1:
        return f"{name}[{index[0]}]"
    return name + "".join(f"[{i}]" for i in index)


def changes(before: Trace, after: Trace) -> list[Change]:
    """Every number that differs between two traces of the same layers: what was set first (in trace order), then
    the costs, then the computed numbers by the size of their change, largest first."""
    found, changed = [], set()
    for entry in before:
        if entry.name not in after:
            continue
        old, new = np.asarray(entry.value, dtype=np.float64), np.asarray(after[entry.name].value, dtype=np.float64)
        if old.shape != new.shape:
            continue
        because = tuple(op for op in entry.operands if op in changed)
        for index in zip(*np.nonzero(old != new)) if old.ndim else ([()] if old != new else []):
            index = tuple(int(i) for i in index)
            found.append(Change(_label(entry.name, index, old.shape), float(old[index]), float(new[index]),
                                entry.given, because))
            changed.add(entry.name)
    given = [c for c in found if c.given]
    costs = sorted((c for c in found if c.name in COSTS), key=lambda c: COSTS.index(c.name))
    rest = sorted((c for c in found if not c.given and c.name not in COSTS), key=lambda c: -abs(c.delta))
    return given + costs + rest


def summary(found: list[Change]) -> str:
    """One sentence: what was changed and what it did to the cost."""
    set_ = [c for c in found if c.given]
    what = ", ".join(f"{c.name} {c.before:.4g} → {c.after:.4g}" for c in set_[:3]) + (" …" if len(set_) > 3 else "")
    cost = next((c for c in found if c.name == "original_cost"), None)
    if not set_:
        return "Nothing changed: the network and the example are as they were."
    if cost is None:
        return f"You changed {what}; the cost C stays {'the same'}."
    way = "lowers" if cost.delta < 0 else "raises"
    return f"You changed {what}: that {way} the cost C from {cost.before:.4g} to {cost.after:.4g}."
