"""Network files: a TOML description of a network, one example and a step size."""

from __future__ import annotations

import json
import math
import os
import reprlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tutor.engine.network import COSTS, INITS, Network, check_choice, check_sizes
from tutor.engine.trace import Trace, check_traceable, trace_step
from tutor.errors import InputError
from tutor.files import check_nesting, read_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MAX_BYTES = 8 << 20   # a network small enough to trace (tutor.engine.trace.MAX_PARAMETERS) takes about 5.2 MB
MAX_NESTING = 8       # weights nest 3 deep
LARGEST = 1e6         # any number in the file: its squares and products stay far from overflowing (1.8e308)
FIELDS = {"title", "description", "layers", "weights", "biases", "seed", "input", "target", "step_size", "cost", "init",
          "lmbda", "n"}
MAX_IMAGES = 10**9  # n: the training images λ is shared over


@dataclass
class NetworkSpec:
    """A network with the example it is traced on."""

    network: Network
    input: np.ndarray
    target: np.ndarray
    step_size: float
    title: str = ""
    description: str = ""
    source: str = ""
    lmbda: float = 0.0    # L2 regularisation λ (0: none, the article's)
    n: int = 1            # the number of training images λ is shared over (the book's n)

    def trace(self) -> Trace:
        return trace_step(self.network, self.input, self.target, self.step_size, self.lmbda, self.n)


def examples() -> dict[str, Path]:
    """The network files shipped with the package, by name (file stem)."""
    return {p.stem: p for p in sorted(EXAMPLES.glob("*.toml"))}


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 60


def _show(value) -> str:
    """A value as an error message quotes it: long texts, lists and numbers cut short."""
    return _REPR.repr(value)


def _number(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where}: expected a number, got {_show(value)}")
    try:
        number = float(value)
    except OverflowError:  # an integer beyond 1.8e308
        raise InputError(f"{where}: expected a finite number, got {_show(value)}, too large") from None
    if not math.isfinite(number):
        raise InputError(f"{where}: expected a finite number, got {value}")
    if abs(number) > LARGEST:
        raise InputError(f"{where}: expected a number between -{LARGEST:,.0f} and {LARGEST:,.0f}, got {number:g}")
    return number


def _vector(value, where: str, length: int) -> np.ndarray:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list):
        raise InputError(f"{where}: expected a list of {length} numbers, got {_show(value)}")
    if len(value) != length:
        many = f"{length} numbers (the layer has {length} neurons)" if length != 1 else "1 number (the layer has 1 neuron)"
        raise InputError(f"{where}: expected {many}, got {len(value)}")
    return np.array([_number(v, f"{where}[{i}]") for i, v in enumerate(value)]).reshape(-1, 1)


def _matrix(value, where: str, rows: int, cols: int) -> np.ndarray:
    if not isinstance(value, list) or len(value) != rows:
        got = f"{len(value)} rows" if isinstance(value, list) else _show(value)
        raise InputError(f"{where}: expected a {rows}x{cols} matrix ({rows} rows of {cols} numbers), got {got}")
    out = np.empty((rows, cols))
    for j, row in enumerate(value):
        if cols == 1 and not isinstance(row, list):
            row = [row]
        if not isinstance(row, list) or len(row) != cols:
            raise InputError(f"{where}[{j}]: expected a row of {cols} numbers, got {_show(row)}")
        for k, v in enumerate(row):
            out[j, k] = _number(v, f"{where}[{j}][{k}]")
    return out


def parse_spec(data: dict, source: str = "<network>") -> NetworkSpec:
    """Build a NetworkSpec from parsed TOML; errors name `source` and the field."""
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise InputError(f"{source}: unknown field {_show(unknown[0])} (known fields: {', '.join(sorted(FIELDS))})")
    if "layers" not in data:
        raise InputError(f"{source}: missing field 'layers' (e.g. layers = [2, 3, 2])")
    if not isinstance(data["layers"], list):
        raise InputError(f"{source}: layers: expected a list of layer sizes, got {_show(data['layers'])}")
    try:
        sizes = check_sizes(data["layers"])
    except InputError as e:
        raise InputError(f"{source}: {e}") from None
    check_traceable(sizes, f"{source}: layers")
    has_w, has_b = "weights" in data, "biases" in data
    if has_w != has_b:
        raise InputError(f"{source}: '{'weights' if has_w else 'biases'}' given without "
                         f"'{'biases' if has_w else 'weights'}': give both, or neither and a seed")
    step_size = _number(data.get("step_size", 0.1), f"{source}: step_size")
    if step_size < 0:
        raise InputError(f"{source}: step_size must not be negative, got {step_size}")
    try:
        kind = check_choice(data.get("cost", "quadratic"), COSTS, f"{source}: cost")
        init = check_choice(data.get("init", "standard"), INITS, f"{source}: init")
    except InputError as e:
        raise InputError(f"{e} (e.g. cost = \"cross-entropy\")" if "cost" in str(e) else str(e)) from None
    if init != "standard" and has_w:
        raise InputError(f"{source}: init: only random weights (a seed) are drawn; this file gives its weights")
    lmbda = _number(data.get("lmbda", 0.0), f"{source}: lmbda")
    if lmbda < 0:
        raise InputError(f"{source}: lmbda must not be negative (0: no regularisation), got {lmbda:g}")
    n = data.get("n", None)
    if n is None and lmbda:
        raise InputError(f"{source}: lmbda needs n, the number of training images (e.g. n = 50000): the weights "
                         "decay by 1 − η·λ/n")
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_IMAGES):
        raise InputError(f"{source}: n must be a whole number from 1 to {MAX_IMAGES:,}, got {_show(n)}")
    pairs = list(zip(sizes[:-1], sizes[1:]))
    if has_w:
        for key in ("weights", "biases"):
            if not isinstance(data[key], list) or len(data[key]) != len(pairs):
                n = len(data[key]) if isinstance(data[key], list) else "not a list"
                raise InputError(f"{source}: {key}: expected one entry per layer after the input "
                                 f"({len(pairs)}), got {n}")
        weights = [_matrix(w, f"{source}: weights[{i}]", j, k) for i, (w, (k, j)) in enumerate(zip(data["weights"], pairs))]
        biases = [_vector(b, f"{source}: biases[{i}]", j) for i, (b, (_, j)) in enumerate(zip(data["biases"], pairs))]
        network = Network(sizes, weights, biases, cost=kind)
    else:
        seed = data.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise InputError(f"{source}: seed must be a whole number >= 0, got {_show(seed)}")
        network = Network(sizes, seed=seed, cost=kind, init=init)
    if "input" not in data:
        raise InputError(f"{source}: missing field 'input' ({sizes[0]} numbers)")
    if "target" not in data:
        raise InputError(f"{source}: missing field 'target' ({sizes[-1]} numbers)")
    x = _vector(data["input"], f"{source}: input", sizes[0])
    y = _vector(data["target"], f"{source}: target", sizes[-1])
    title = data.get("title", "")
    if not isinstance(title, str):
        raise InputError(f"{source}: title must be text")
    return NetworkSpec(network, x, y, step_size, title, str(data.get("description", "")), source, lmbda, n or 1)


def load_spec(path: str | Path) -> NetworkSpec:
    """Read a network file; a name without a path can also be one of the shipped examples."""
    name = str(path)
    if not name:
        raise InputError("network file: expected a file name (or an example: one-one-one, two-three-two), got an "
                         "empty one")
    if not os.path.lexists(name) and Path(name).suffix == "" and Path(name).name in examples():
        name = str(examples()[Path(name).name])
    text = read_text(name, "network file", MAX_BYTES)
    check_nesting(text, name, MAX_NESTING)
    try:
        data = tomllib.loads(text)
    except (ValueError, RecursionError) as e:  # TOMLDecodeError; ValueError: an integer of over 4,300 digits
        raise InputError(f"{name}: not valid TOML: {e}") from None
    return parse_spec(data, name)


def dump_spec(spec: NetworkSpec) -> str:
    """The spec as a network file (TOML), full precision."""
    def row(values):
        return "[" + ", ".join(repr(float(v)) for v in values) + "]"
    net = spec.network
    lines = []
    if spec.title:
        lines.append(f"title = {json.dumps(spec.title)}")
    lines.append(f"layers = {net.sizes}")
    lines.append("weights = [" + ", ".join("[" + ", ".join(row(r) for r in w) + "]" for w in net.weights) + "]")
    lines.append("biases = [" + ", ".join(row(b.ravel()) for b in net.biases) + "]")
    lines.append(f"input = {row(spec.input.ravel())}")
    lines.append(f"target = {row(spec.target.ravel())}")
    lines.append(f"step_size = {spec.step_size!r}")
    if net.cost != "quadratic":
        lines.append(f"cost = {json.dumps(net.cost)}")
    if spec.lmbda:
        lines.append(f"lmbda = {spec.lmbda!r}")
        lines.append(f"n = {spec.n}")
    return "\n".join(lines) + "\n"
