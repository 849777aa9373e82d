"""How the app names a quantity and writes a number: the article's symbols (∂C/∂b_l2, η, C'), 4 significant figures
with a real minus sign."""

from __future__ import annotations

import re


def symbol(name: str) -> str:
    """The math symbol of an entry name: dc_db_l2 -> ∂C/∂b_l2, updated_w_l1 -> w_l1', step_size -> η."""
    prime = ""
    if name.startswith("updated_"):
        name, prime = name[len("updated_"):], "'"
    if name == "step_size":
        return "η"
    if name == "lmbda":
        return "λ"
    if name == "weight_decay":
        return "(1 − ηλ/n)"
    if name in ("original_cost", "cost"):
        return "C" + prime
    m = re.fullmatch(r"dc_d([abw])_(l\d+)", name)
    if m:
        return f"∂C/∂{m[1]}_{m[2]}{prime}"
    return name + prime


def num(value: float, digits: int = 4) -> str:
    """A number shortened for display, with a real minus sign."""
    text = f"{value:.{digits}g}"
    return text.replace("-", "−")
