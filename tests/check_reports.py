"""A tutor check Report made by hand for the app's crash hunt (the real check takes a second or two a file; the
crash hunt presses c many times): the one the real check gives tests/check_files/broken_transposed_dc_dw.py."""

from __future__ import annotations

import numpy as np

from tutor.check import Difference, Report
from tutor.check.diagnose import diagnose
from tutor.engine.spec import load_spec


def transposed_dc_dw() -> Report:
    """dc_dw returns a_prev · ∂C/∂bᵀ: ∂C/∂w_l2 is 3x2 on 2-3-2, the first quantity that differs."""
    spec = load_spec("two-three-two")
    trace = spec.trace()
    theirs = {e.name: e.value for e in trace if not e.given and trace.index(e.name) <= trace.index("dc_da_l1")}
    theirs["dc_dw_l2"] = np.asarray(theirs["dc_dw_l2"]).T
    values = {e.name: e.value for e in trace}
    diff = Difference("backward pass", "dc_dw_l2", "2-3-2 (the article's)", spec, None, theirs["dc_dw_l2"],
                      trace["dc_dw_l2"].value, "∂C/∂w_l2 = ∂C/∂b_l2 · a_l1ᵀ",
                      diagnose("dc_dw_l2", theirs["dc_dw_l2"], values), theirs, name="dc_dw_l2")
    return Report("my_network.py", passed=["helpers: all agree", "forward pass: all agree"], seen=["z_l1"],
                  difference=diff)
