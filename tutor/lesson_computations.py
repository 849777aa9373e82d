"""The named computations and experiments lessons refer to, computed with numpy and the engine (never typed by authors)."""

from __future__ import annotations

import math
import os
import time
from typing import Callable

import numpy as np

from tutor.engine.network import Network, check_sizes, cost, sigmoid, z
from tutor.errors import InputError

REQUIRED = object()
# Environment variable that caps MNIST runs (train steps and training experiments): "IMAGES,EPOCHS".
LIMIT_ENV = "TUTOR_LESSON_TRAIN"
TRAIN_DEFAULTS = {"layers": [784, 30, 10], "epochs": 30, "batch_size": 10, "step_size": 3.0,
                  "limit": 0, "seed": 1, "goal": 0.95}


# -- computations: cheap, exact, used as the answers of predict steps ---------------------------------

def _sig(z: float) -> float:
    return float(sigmoid(np.array([[z]], dtype=np.float64))[0, 0])


def _sigmoid(z: float) -> dict:
    a = _sig(z)
    return {"a": a, "slope": a * (1 - a)}


def _neuron(weights: list, inputs: list, bias: float) -> dict:
    w = np.array(weights, dtype=np.float64).reshape(1, -1)
    a = np.array(inputs, dtype=np.float64).reshape(-1, 1)
    if w.shape[1] != a.shape[0]:
        raise InputError(f"computation 'neuron': params: {w.shape[1]} weights but {a.shape[0]} inputs; give one weight per input")
    z_ = float(z(w, a, bias)[0, 0])  # the engine's z = w · a + b
    return {"z": z_, "a": _sig(z_)}


def descent_path(start: float, minimum: float, step_size: float, steps: int) -> tuple[list, list, list]:
    """Gradient descent on f(x) = (x - minimum)²: the xs, f(x)s and slopes f'(x) = 2(x - minimum)."""
    xs, fs, slopes = [float(start)], [], []
    for i in range(steps + 1):
        x = xs[-1]
        fs.append((x - minimum) ** 2)
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
        raise InputError(f"computation 'cost': params: a has {len(a_)} numbers but y has {len(y_)}")
    return {"cost": cost(a_, y_), "dc_da": a_ - y_}


def _batch(network: str, inputs: list, targets: list, step_size: float) -> dict:
    """One mini-batch step on a shipped network: gradients summed by the engine, then averaged."""
    from tutor.engine.spec import load_spec

    net = load_spec(network).network.copy()
    x = np.array(inputs, dtype=np.float64).reshape(len(inputs), -1).T
    y = np.array(targets, dtype=np.float64).reshape(len(targets), -1).T
    if x.shape[0] != net.sizes[0] or y.shape[0] != net.sizes[-1] or x.shape[1] != y.shape[1]:
        raise InputError(f"computation 'batch': params: inputs/targets do not fit the {network} network "
                         f"({net.sizes[0]} inputs, {net.sizes[-1]} outputs, as many targets as inputs)")
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


def _parameters(layers: list) -> dict:
    sizes = check_sizes(layers, "params.layers")
    weights = sum(j * k for k, j in zip(sizes[:-1], sizes[1:]))
    biases = sum(sizes[1:])
    return {"weights": weights, "biases": biases, "total": weights + biases}


def _pixel_index(row: int, col: int, width: int = 28) -> dict:
    if not (0 <= row < width and 0 <= col < width):
        raise InputError(f"computation 'pixel_index': params: row and col must be between 0 and {width - 1}")
    image = np.arange(width * width).reshape(width, width)  # pixel numbers, laid out as the image
    column = image.reshape(-1, 1)                            # the same pixels as the input column
    return {"index": int(np.flatnonzero(column[:, 0] == image[row, col])[0]), "inputs": column.shape[0]}


def _one_hot(digit: int, classes: int = 10) -> dict:
    if not 0 <= digit < classes:
        raise InputError(f"computation 'one_hot': params: digit must be between 0 and {classes - 1}")
    y = np.zeros((classes, 1))
    y[digit] = 1.0
    return {"y": y, "ones": float(y.sum())}


def _updates(images: int, batch_size: int) -> dict:
    return {"updates": math.ceil(images / batch_size)}


COMPUTATIONS: dict[str, tuple[Callable, dict]] = {
    "sigmoid": (_sigmoid, {"z": REQUIRED}),
    "neuron": (_neuron, {"weights": REQUIRED, "inputs": REQUIRED, "bias": REQUIRED}),
    "descent": (_descent, {"start": REQUIRED, "step_size": REQUIRED, "steps": REQUIRED, "minimum": 0.0}),
    "cost": (_cost, {"a": REQUIRED, "y": REQUIRED}),
    "batch": (_batch, {"network": REQUIRED, "inputs": REQUIRED, "targets": REQUIRED, "step_size": REQUIRED}),
    "parameters": (_parameters, {"layers": REQUIRED}),
    "pixel_index": (_pixel_index, {"row": REQUIRED, "col": REQUIRED, "width": 28}),
    "one_hot": (_one_hot, {"digit": REQUIRED, "classes": 10}),
    "updates_per_epoch": (_updates, {"images": REQUIRED, "batch_size": REQUIRED}),
}
TYPES = {"weights": list, "inputs": list, "a": list, "y": list, "targets": list, "layers": list, "step_sizes": list,
         "network": str, "steps": int, "row": int, "col": int, "width": int, "digit": int, "classes": int,
         "images": int, "batch_size": int, "batch_sizes": list, "epochs": int, "limit": int, "seed": int,
         "count": int, "repeats": list}


def _check_params(kind: str, name: str, params: dict, schema: dict) -> dict:
    if not isinstance(params, dict):
        raise InputError(f"params: must be a table of the {kind}'s parameters")
    unknown = sorted(set(params) - set(schema))
    if unknown:
        raise InputError(f"params: unknown parameter '{unknown[0]}' for {kind} '{name}' "
                         f"(parameters: {', '.join(schema)})")
    missing = [k for k, v in schema.items() if v is REQUIRED and k not in params]
    if missing:
        raise InputError(f"params: {kind} '{name}' needs '{missing[0]}' (parameters: {', '.join(schema)})")
    out = {k: v for k, v in schema.items() if v is not REQUIRED} | dict(params)
    for k, v in out.items():
        want = TYPES.get(k, float)
        ok = (isinstance(v, want) and not isinstance(v, bool)) or (want is float and isinstance(v, int) and not isinstance(v, bool))
        if not ok:
            raise InputError(f"params: '{k}' must be {'a list' if want is list else 'text' if want is str else 'a whole number' if want is int else 'a number'}, got {v!r}")
        if want is list and k not in ("layers",) and not all(isinstance(x, (int, float, list)) and not isinstance(x, bool) for x in v):
            raise InputError(f"params: '{k}' must be a list of numbers, got {v!r}")
    return out


def compute(name: str, params: dict) -> dict:
    """Run computation `name`; its results by name (numbers, lists or columns)."""
    if name not in COMPUTATIONS:
        raise InputError(f"unknown computation '{name}' (computations: {', '.join(COMPUTATIONS)})")
    fn, schema = COMPUTATIONS[name]
    return fn(**_check_params("computation", name, params, schema))


# -- experiments: run in a worker, report lines as they go -------------------------------------------------

def _cap(limit: int, epochs: int) -> tuple[int, int]:
    """Apply TUTOR_LESSON_TRAIN ("IMAGES,EPOCHS") so tests can run MNIST lessons on a small slice."""
    cap = os.environ.get(LIMIT_ENV, "")
    if cap:
        images, _, eps = cap.partition(",")
        limit = min(limit or 10**9, int(images)) if images.strip() else limit
        epochs = min(epochs, int(eps)) if eps.strip() else epochs
    return limit, epochs


def _exp_descent(report, should_stop, data_dir, start, minimum, step_sizes, steps):
    for eta in step_sizes:
        xs, fs, _ = descent_path(start, minimum, eta, steps)
        verdict = ("diverges: every step overshoots further" if fs[-1] > fs[0] else
                   "crawls: still far from the bottom" if fs[-1] > 0.01 * fs[0] else "reaches the bottom")
        report(f"step size {eta}: " + " → ".join(f"{x:.3g}" for x in xs))
        report(f"    f(x) from {fs[0]:.4g} to {fs[-1]:.4g}  ({verdict})")


def _exp_repeat(report, should_stop, data_dir, network, repeats):
    from tutor.engine.spec import load_spec

    spec = load_spec(network)
    net = spec.network.copy()
    done = 0
    report(f"cost before training: {cost(net.feedforward(spec.input), spec.target)!r}")
    for n in sorted(int(r) for r in repeats):
        while done < n:
            net.train_step(spec.input, spec.target, spec.step_size)
            done += 1
        out = net.feedforward(spec.input)
        report(f"after {n:>5} steps: cost {cost(out, spec.target)!r}, output {np.round(out.ravel(), 6).tolist()}")
        if should_stop():
            return


def _mnist(data_dir):
    from tutor.engine import mnist

    return mnist.load(data_dir)


def _sgd(data, layers, epochs, batch_size, step_size, limit, seed, **callbacks):
    """A new network trained on the first `limit` training images (0: all), as capped by TUTOR_LESSON_TRAIN;
    `callbacks` go to Network.sgd. Returns (network, results, images trained on, epochs asked for)."""
    from tutor.engine.mnist import check_input_size

    check_input_size(data, layers[0])  # InputError for images of another size (`tutor --data DIR`), said in a line
    limit, epochs = _cap(limit, epochs)
    train = data.train.head(limit) if limit else data.train
    net = Network(layers, seed=seed)
    results = net.sgd(train.images, train.labels, epochs, batch_size, step_size, seed=seed,
                      test=(data.test.images, data.test.labels), **callbacks)
    return net, results, len(train), epochs


def _train(report, should_stop, data, layers, epochs, batch_size, step_size, limit, seed):
    """_sgd reporting a line per epoch: (network, results, images trained on)."""
    net, results, images, _ = _sgd(
        data, layers, epochs, batch_size, step_size, limit, seed, should_stop=should_stop,
        on_epoch=lambda r: report(f"epoch {r.epoch}: {r.correct} / {r.total} "
                                  f"({100 * r.correct / r.total:.2f}%)  {r.seconds:.1f} s"))
    return net, results, images


def _exp_train(report, should_stop, data_dir, layers, epochs, batch_size, step_size, limit, seed):
    data = _mnist(data_dir)
    report(f"training {'-'.join(map(str, layers))} on {limit or len(data.train)} images ...")
    _train(report, should_stop, data, layers, epochs, batch_size, step_size, limit, seed)


def _exp_batch_sizes(report, should_stop, data_dir, batch_sizes, epochs, step_size, limit, seed):
    data = _mnist(data_dir)
    for bs in batch_sizes:
        if should_stop():
            return
        start = time.perf_counter()
        net, results, n = _train(lambda line: None, should_stop, data, [784, 30, 10], epochs, int(bs), step_size, limit, seed)
        if results:
            r = results[-1]
            report(f"batch size {int(bs):>4}: {math.ceil(n / bs) * len(results):>6} updates, "
                   f"{r.correct} / {r.total} correct, {time.perf_counter() - start:.1f} s")


def _exp_random_pixels(report, should_stop, data_dir, layers, epochs, limit, count, seed):
    from tutor.engine.mnist import as_inputs

    data = _mnist(data_dir)
    report(f"training {'-'.join(map(str, layers))} first ...")
    net, results, _ = _train(report, should_stop, data, layers, epochs, 10, 3.0, limit, seed)
    if should_stop():
        return
    rng = np.random.default_rng(seed)
    noise = rng.integers(0, 256, size=(count, data.image_size)).astype(np.uint8)
    for name, images in (("real test images", data.test.images[:count]), ("random pixels", noise)):
        out = net.feedforward(as_inputs(images).T)  # the engine's pixels -> inputs, as in training
        best = out.max(axis=0)
        digits = np.argmax(out, axis=0)
        report(f"{name}: labelled " + ", ".join(f"{d} ({b:.2f})" for d, b in zip(digits[:8], best[:8])) + " ...")
        report(f"    average top output {best.mean():.3f}; {int(np.sum(best > 0.5))} of {count} above 0.5")


EXPERIMENTS: dict[str, tuple[Callable, dict]] = {
    "descent": (_exp_descent, {"start": REQUIRED, "step_sizes": REQUIRED, "steps": 8, "minimum": 0.0}),
    "repeat": (_exp_repeat, {"network": REQUIRED, "repeats": [1, 10, 100, 1000]}),
    "train": (_exp_train, {"layers": [784, 30, 10], "epochs": 1, "batch_size": 10, "step_size": 3.0,
                           "limit": 0, "seed": 1}),
    "batch_sizes": (_exp_batch_sizes, {"batch_sizes": [1, 10, 100], "epochs": 1, "step_size": 3.0,
                                       "limit": 10000, "seed": 1}),
    "random_pixels": (_exp_random_pixels, {"layers": [784, 30, 10], "epochs": 1, "limit": 0, "count": 100,
                                           "seed": 1}),
}


def check_experiment(name: str, params: dict) -> dict:
    if name not in EXPERIMENTS:
        raise InputError(f"unknown experiment '{name}' (experiments: {', '.join(EXPERIMENTS)})")
    params = _check_params("experiment", name, params, EXPERIMENTS[name][1])
    if "layers" in params:
        sizes = check_sizes(params["layers"], "params.layers")
        if sizes[0] != 784 or sizes[-1] != 10:
            raise InputError("params: layers must start with 784 inputs and end with 10 outputs for MNIST")
    if name == "repeat":
        from tutor.engine.spec import load_spec

        load_spec(params["network"])
    return params


def run_experiment(name: str, params: dict, report: Callable[[str], None], should_stop: Callable[[], bool] = lambda: False,
                   data_dir=None) -> None:
    """Run experiment `name`, calling report(line) for each line of its outcome."""
    fn, _ = EXPERIMENTS[name]
    fn(report, should_stop, data_dir, **check_experiment(name, params))


def check_train(cfg: dict) -> dict:
    """Validate a train step's settings (TRAIN_DEFAULTS for what is left out)."""
    out = dict(cfg)
    out["layers"] = check_sizes(out["layers"], "layers") if isinstance(out["layers"], list) else out["layers"]
    if not isinstance(out["layers"], list):
        raise InputError(f"layers: expected a list of layer sizes, got {out['layers']!r}")
    if out["layers"][0] != 784 or out["layers"][-1] != 10:
        raise InputError("layers: an MNIST network starts with 784 inputs and ends with 10 outputs")
    for key in ("epochs", "batch_size"):
        if isinstance(out[key], bool) or not isinstance(out[key], int) or out[key] < 1:
            raise InputError(f"{key}: must be a whole number >= 1, got {out[key]!r}")
    for key in ("limit", "seed"):
        if isinstance(out[key], bool) or not isinstance(out[key], int) or out[key] < 0:
            raise InputError(f"{key}: must be a whole number >= 0 (limit 0 means all images), got {out[key]!r}")
    for key in ("step_size", "goal"):
        if isinstance(out[key], bool) or not isinstance(out[key], (int, float)) or out[key] <= 0:
            raise InputError(f"{key}: must be a number > 0, got {out[key]!r}")
    if out["goal"] > 1:
        raise InputError(f"goal: a fraction of test images, e.g. 0.95, got {out['goal']!r}")
    return out


def run_training(cfg: dict, on_epoch, on_progress, should_stop, data_dir=None):
    """The train step's run: returns (network, results, images trained on, epochs asked for);
    on_epoch(EpochResult) after each epoch."""
    return _sgd(_mnist(data_dir), cfg["layers"], cfg["epochs"], cfg["batch_size"], cfg["step_size"], cfg["limit"],
                cfg["seed"], on_progress=on_progress, on_epoch=on_epoch, should_stop=should_stop)
