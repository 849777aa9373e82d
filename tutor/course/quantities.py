"""Looking up the number a lesson names: 'a_l1', 'dc_dw_l2[1][2]', 'y[4]', in a trace's or a computation's values."""

from __future__ import annotations

import re

import numpy as np

from tutor.course.model import QUANTITY
from tutor.errors import InputError


def pick(values: dict, quantity: str, what: str) -> float:
    """The number `quantity` names in `values` (a trace's or a computation's results): 'a_l1',
    'dc_dw_l2[1][2]', 'y[4]' (a column's row). Raises InputError saying what is wrong."""
    m = QUANTITY.match(quantity.replace(" ", ""))
    if not m:
        raise InputError(f"'{quantity}' is not a quantity name (e.g. a_l1, dc_dw_l2[1][2])", field="quantity")
    name, index = m.group(1), [int(i) for i in re.findall(r"\d+", m.group(2))]
    if name not in values:
        known = ", ".join(sorted(values))
        raise InputError(f"{what} has no quantity '{name}' (it has: {known})", field="quantity")
    value = np.asarray(values[name], dtype=np.float64)
    if value.ndim == 2 and value.shape[1] == 1 and len(index) == 1:
        index = [index[0], 0]
    if not index:
        if value.size != 1:
            shape = "x".join(map(str, value.shape))
            example = "[0]" if value.ndim == 1 or value.shape[-1] == 1 else "[0][0]"
            raise InputError(f"'{name}' is a {shape} matrix: name one number, e.g. {name}{example}", field="quantity")
        return float(value.reshape(-1)[0])
    if len(index) != value.ndim or any(i >= n for i, n in zip(index, value.shape)):
        shape = "x".join(map(str, value.shape)) or "1x1"
        raise InputError(f"'{quantity}' is outside '{name}', which is {shape} (indexes start at 0)", field="quantity")
    return float(value[tuple(index)])
