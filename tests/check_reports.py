"""Reports as `tutor check` gives them, made by hand for the app's tests (no child process, no seconds)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tutor.engine.spec import load_spec


@dataclass
class Diagnosis:
    mistake: str
    message: str


@dataclass
class Difference:
    level: str
    quantity: str
    network: str
    spec: object
    index: object
    yours: object
    expected: object
    formula: str
    diagnosis: object
    theirs: dict


@dataclass
class Report:
    path: str
    passed: list
    seen: list
    effect_only: list
    difference: object
    error: object


def transposed_dc_dw() -> Report:
    """What `tutor check` says of a file whose dc_dw returns a_prev · ∂C/∂bᵀ: ∂C/∂w_l2 is 3x2 on 2-3-2."""
    spec = load_spec("two-three-two")
    trace = spec.trace()
    theirs = {e.name: e.value for e in trace if trace.index(e.name) <= trace.index("dc_dw_l2")}
    theirs["dc_dw_l2"] = np.asarray(theirs["dc_dw_l2"]).T
    diff = Difference("backward pass", "dc_dw_l2", "2-3-2 (the article's)", spec, None, theirs["dc_dw_l2"],
                      trace["dc_dw_l2"].value, "∂C/∂w_l2 = ∂C/∂b_l2 · a_l1ᵀ = 2x1 · 1x3",
                      Diagnosis("transposed", "it is the right answer transposed"), theirs)
    return Report("my_network.py", ["helpers agree", "forward pass agrees"], ["z_l1"], [], diff, None)
