"""The parameters a lesson gives computations, experiments and its steps: each a type and a range, checked once."""

from __future__ import annotations

from dataclasses import dataclass

from tutor.errors import InputError

REQUIRED = object()
DESCRIPTIONS = {"number": "a number", "whole": "a whole number", "numbers": "numbers", "wholes": "whole numbers",
         "rows": "rows of numbers", "name": "a network name", "choice": "one of",
                "choices": "words"}


def short(value, limit: int = 40) -> str:
    """repr(value), cut: an error line never echoes a long value."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class Param:
    """One parameter: `kind` (see DESCRIPTIONS), the range [low, high] of its numbers, its default (REQUIRED: none),
    and for a list how many items it may hold. Bounds compare Python numbers exactly, so NaN, inf and a 400-digit
    integer are all out of range."""

    kind: str
    low: float = -1e6
    high: float = 1e6
    default: object = REQUIRED
    items: tuple[int, int] = (1, 100)
    choices: tuple[str, ...] = ()   # kind "choice": the words it may be

    def _range(self) -> str:
        fmt = lambda x: f"{int(x):,}" if float(x).is_integer() and abs(x) < 1e15 else f"{x:g}"
        return f"from {fmt(self.low)} to {fmt(self.high)}"

    def _scalar(self, value, name: str):
        whole = self.kind in ("whole", "wholes")
        ok = (isinstance(value, int) or (isinstance(value, float) and not whole)) and not isinstance(value, bool)
        if not ok or not self.low <= value <= self.high:
            raise InputError(f"{name}: must be {'a whole number' if whole else 'a number'} {self._range()}, "
                             f"got {short(value)}")
        return int(value) if whole else float(value)

    def _list(self, value, name: str, each) -> list:
        low, high = self.items
        if not isinstance(value, list) or not low <= len(value) <= high:
            count = f"{len(value)} items" if isinstance(value, list) else short(value)
            raise InputError(f"{name}: must be a list of {low} to {high} {DESCRIPTIONS[self.kind]}, got {count}")
        return [each(v, f"{name}[{i}]") for i, v in enumerate(value)]

    def check(self, value, name: str):
        """`value` as the computation takes it (numbers as floats, whole numbers as ints); InputError otherwise,
        its message starting with `name`."""
        if self.kind in ("number", "whole"):
            return self._scalar(value, name)
        if self.kind in ("numbers", "wholes"):
            return self._list(value, name, self._scalar)
        if self.kind == "rows":
            rows = self._list(value, name, lambda row, where: Param("numbers", self.low, self.high, items=(1, 1000))
                              .check(row, where))
            if len({len(row) for row in rows}) > 1:
                raise InputError(f"{name}: rows of different lengths ({', '.join(str(len(r)) for r in rows[:5])} ...)")
            return rows
        if self.kind == "choice":
            if not isinstance(value, str) or value not in self.choices:
                raise InputError(f"{name}: must be {' or '.join(repr(c) for c in self.choices)}, got {short(value)}")
            return value
        if self.kind == "choices":
            return self._list(value, name, Param("choice", choices=self.choices).check)
        if self.kind == "name":
            if not isinstance(value, str) or not 1 <= len(value) <= 100 or not value.isprintable():
                raise InputError(f"{name}: must be a network name of 1 to 100 printable characters (e.g. "
                                 f"\"one-one-one\"), got {short(value)}")
            return value
        raise ValueError(f"unknown parameter kind {self.kind!r}")


def check_params(kind: str, name: str, params, schema: dict[str, Param]) -> dict:
    """The params of `kind` (computation or experiment) `name` with its defaults, each checked against `schema`;
    InputError on the field params otherwise."""
    if not isinstance(params, dict):
        raise InputError(f"params: must be a table of the {kind}'s parameters", field="params")
    unknown = sorted(set(params) - set(schema))
    if unknown:
        raise InputError(f"params: unknown parameter {short(unknown[0])} for {kind} '{name}' "
                         f"(parameters: {', '.join(schema)})", field="params")
    missing = [k for k, p in schema.items() if p.default is REQUIRED and k not in params]
    if missing:
        raise InputError(f"params: {kind} '{name}' needs '{missing[0]}' (parameters: {', '.join(schema)})",
                         field="params")
    out = {}
    for key, param in schema.items():
        try:
            out[key] = param.check(params[key], key) if key in params else param.default
        except InputError as e:
            raise InputError(f"params: {e}", field="params") from None
    return out
