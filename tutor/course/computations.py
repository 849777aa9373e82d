"""The named computations predict steps refer to (compute = "..."): cheap, exact, computed with numpy and the engine,
never typed by authors."""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from tutor.engine.network import COSTS, Network, check_sizes, cost, cost_of, sigmoid, z
from tutor.course.params import Param, check_params, short
from tutor.errors import InputError


def _sig(z: float) -> float:
    return float(sigmoid(np.array([[z]], dtype=np.float64))[0, 0])


def _sigmoid(z: float) -> dict:
    a = _sig(z)
    return {"a": a, "slope": a * (1 - a)}


def _neuron(weights: list, inputs: list, bias: float) -> dict:
    w = np.array(weights, dtype=np.float64).reshape(1, -1)
    a = np.array(inputs, dtype=np.float64).reshape(-1, 1)
    if w.shape[1] != a.shape[0]:
        raise InputError(f"computation 'neuron': params: {w.shape[1]} weights but {a.shape[0]} inputs; give one weight per "
                         "input", field="params")
    z_ = float(z(w, a, bias)[0, 0])  # the engine's z = w · a + b
    return {"z": z_, "a": _sig(z_)}


def descent_path(start: float, minimum: float, step_size: float, steps: int) -> tuple[list, list, list]:
    """Gradient descent on f(x) = (x - minimum)²: the xs, f(x)s and slopes f'(x) = 2(x - minimum)."""
    xs, fs, slopes = [float(start)], [], []
    for i in range(steps + 1):
        x = xs[-1]
        try:
            fs.append((x - minimum) ** 2)
        except OverflowError:  # a float past 1e154 squared; compute() reports the infinity
            fs.append(math.inf)
        slopes.append(2 * (x - minimum))
        if i < steps:
            xs.append(x - slopes[-1] * step_size)
    return xs, fs, slopes


def _descent(start: float, step_size: float, steps: int, minimum: float = 0.0) -> dict:
    xs, fs, slopes = descent_path(start, minimum, step_size, steps)
    return {"x": xs, "f": fs, "slope": slopes, "x_final": xs[-1], "f_final": fs[-1]}


def _cost(a: list, y: list) -> dict:
    a_, y_ = np.array(a, dtype=np.float64).reshape(-1, 1), np.array(y, dtype=np.float64).reshape(-1, 1)
    if a_.shape != y_.shape:
        raise InputError(f"computation 'cost': params: a has {len(a_)} numbers but y has {len(y_)}", field="params")
    return {"cost": cost(a_, y_), "dc_da": a_ - y_}


def _batch(network: str, inputs: list, targets: list, step_size: float) -> dict:
    """One mini-batch step on a shipped network: gradients summed by the engine, then averaged."""
    from tutor.engine.spec import load_spec

    net = load_spec(network).network.copy()
    x = np.array(inputs, dtype=np.float64).reshape(len(inputs), -1).T
    y = np.array(targets, dtype=np.float64).reshape(len(targets), -1).T
    if x.shape[0] != net.sizes[0] or y.shape[0] != net.sizes[-1] or x.shape[1] != y.shape[1]:
        raise InputError(f"computation 'batch': params: inputs/targets do not fit the {network} network "
                         f"({net.sizes[0]} inputs, {net.sizes[-1]} outputs, as many targets as inputs)", field="params")
    b = x.shape[1]
    out = {"batch_size": b}
    for l in range(1, net.num_layers):
        out[f"w_l{l}"], out[f"b_l{l}"] = np.array(net.weights[l - 1]), np.array(net.biases[l - 1])
        # column i: example i's own ∂C/∂b (what the average is made of)
        out[f"example_dc_db_l{l}"] = np.hstack([net.backprop(x[:, [i]], y[:, [i]]).dc_db[l] for i in range(b)])
    before = cost(net.feedforward(x), y) / b
    grads = net.train_step(x, y, step_size)  # gradients summed over the batch, then one averaged update
    out["cost_before"] = before
    for l in range(1, net.num_layers):
        out[f"avg_dc_db_l{l}"] = np.array(grads.dc_db[l]) / b
        out[f"avg_dc_dw_l{l}"] = np.array(grads.dc_dw[l]) / b
    for l in range(1, net.num_layers):
        out[f"updated_b_l{l}"] = np.array(net.biases[l - 1])
        out[f"updated_w_l{l}"] = np.array(net.weights[l - 1])
    out["cost_after"] = cost(net.feedforward(x), y) / b
    return out


def _neuron_gradient(w: float, b: float, x: float, y: float, cost: str = "quadratic") -> dict:
    """One sigmoid neuron's output, σ′(z), cost and ∂C/∂b, ∂C/∂w for one example, from the engine's backprop
    (Nielsen's chapter 3: with the quadratic cost ∂C/∂b = (a − y)·σ′(z); with cross-entropy, a − y)."""
    net = Network([1, 1], [[[w]]], [[b]], cost=cost)
    grads = net.backprop(np.array([[x]]), np.array([[y]]))
    a = float(grads.activations[1][0, 0])
    return {"a": a, "slope": a * (1 - a), "cost": cost_of(cost, grads.zs[1], grads.activations[1], np.array([[y]])),
            "dc_db": float(grads.dc_db[1][0, 0]), "dc_dw": float(grads.dc_dw[1][0, 0])}


def _parameters(layers: list) -> dict:
    sizes = check_sizes(layers, "params.layers")
    weights = sum(j * k for k, j in zip(sizes[:-1], sizes[1:]))
    biases = sum(sizes[1:])
    return {"weights": weights, "biases": biases, "total": weights + biases}


def _pixel_index(row: int, col: int, width: int = 28) -> dict:
    if not (0 <= row < width and 0 <= col < width):
        raise InputError(f"computation 'pixel_index': params: row and col must be between 0 and {width - 1}",
                         field="params")
    image = np.arange(width * width).reshape(width, width)  # pixel numbers, laid out as the image
    column = image.reshape(-1, 1)                            # the same pixels as the input column
    return {"index": int(np.flatnonzero(column[:, 0] == image[row, col])[0]), "inputs": column.shape[0]}


def _one_hot(digit: int, classes: int = 10) -> dict:
    if not 0 <= digit < classes:
        raise InputError(f"computation 'one_hot': params: digit must be between 0 and {classes - 1}", field="params")
    y = np.zeros((classes, 1))
    y[digit] = 1.0
    return {"y": y, "ones": float(y.sum())}


def _updates(images: int, batch_size: int) -> dict:
    return {"updates": math.ceil(images / batch_size)}


NUMBER = Param("number")                     # any number a lesson works with: -1e6 to 1e6
STEP_SIZE = Param("number", 0, 100)
COMPUTATIONS: dict[str, tuple[Callable, dict[str, Param]]] = {
    "sigmoid": (_sigmoid, {"z": NUMBER}),
    "neuron": (_neuron, {"weights": Param("numbers", items=(1, 1000)), "inputs": Param("numbers", items=(1, 1000)),
                         "bias": NUMBER}),
    "descent": (_descent, {"start": NUMBER, "step_size": STEP_SIZE, "steps": Param("whole", 0, 1000),
                           "minimum": Param("number", default=0.0)}),
    "cost": (_cost, {"a": Param("numbers", items=(1, 1000)), "y": Param("numbers", items=(1, 1000))}),
    "batch": (_batch, {"network": Param("name"), "inputs": Param("rows"), "targets": Param("rows"),
                       "step_size": STEP_SIZE}),
    "parameters": (_parameters, {"layers": Param("wholes", 1, 100_000, items=(2, 100))}),
    "pixel_index": (_pixel_index, {"row": Param("whole", 0, 999), "col": Param("whole", 0, 999),
                                   "width": Param("whole", 1, 1000, default=28)}),
    "one_hot": (_one_hot, {"digit": Param("whole", 0, 999), "classes": Param("whole", 1, 1000, default=10)}),
    "neuron_gradient": (_neuron_gradient, {"w": NUMBER, "b": NUMBER, "x": NUMBER, "y": NUMBER,
                                           "cost": Param("choice", choices=COSTS, default="quadratic")}),
    "updates_per_epoch": (_updates, {"images": Param("whole", 1, 10**9), "batch_size": Param("whole", 1, 10**9)}),
}


def compute(name: str, params: dict) -> dict:
    """Run computation `name`; its results by name (numbers, lists or columns), every one a finite number."""
    if name not in COMPUTATIONS:
        raise InputError(f"unknown computation {short(name)} (computations: {', '.join(COMPUTATIONS)})",
                         field="compute")
    fn, schema = COMPUTATIONS[name]
    params = check_params("computation", name, params, schema)
    try:
        results = fn(**params)
    except InputError as e:  # e.g. the network file a computation names: a problem with its params
        raise InputError(str(e), field=e.field or "params") from None
    for key, value in results.items():
        if not np.all(np.isfinite(np.asarray(value, dtype=np.float64))):
            raise InputError(f"params: computation '{name}' gives {key} = {short(value)}, not a finite number "
                             "(overflow): use smaller numbers or fewer steps", field="params")
    return results
