"""The experiments and training runs lessons refer to (run = "...", kind = "train"): run in a worker, reporting a
line at a time; MNIST runs go through the engine's one training run (tutor.engine.training)."""

from __future__ import annotations

import math
import time
from typing import Callable

import numpy as np

from tutor.course.computations import NUMBER, descent_path
from tutor.course.params import Param, check_params, short
from tutor.engine import mnist, training
from tutor.engine.network import cost
from tutor.errors import InputError

Report = Callable[[str], None]
DEFAULT = training.Config(seed=1)
LAYERS = Param("wholes", 1, 100_000, default=list(DEFAULT.layers), items=(2, 10))
EPOCHS = Param("whole", 1, training.MAX_EPOCHS, default=1)
BATCH_SIZE = Param("whole", 1, 100_000, default=DEFAULT.batch_size)
STEP_SIZE = Param("number", 0, 100, default=DEFAULT.step_size)  # 0 passes here; the engine's Config refuses it
LIMIT = Param("whole", 0, 10_000_000, default=DEFAULT.limit)
SEED = Param("whole", 0, 2**32 - 1, default=DEFAULT.seed)
# a train step's settings: the article's run by default
TRAIN = {"layers": LAYERS, "epochs": Param("whole", 1, training.MAX_EPOCHS, default=DEFAULT.epochs),
         "batch_size": BATCH_SIZE, "step_size": STEP_SIZE, "limit": LIMIT, "seed": SEED,
         "goal": Param("number", 0, 1, default=0.95)}
TRAIN_DEFAULTS = {key: param.default for key, param in TRAIN.items()}


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
    for n in sorted(repeats):
        while done < n:
            if should_stop():
                return
            net.train_step(spec.input, spec.target, spec.step_size)
            done += 1
        out = net.feedforward(spec.input)
        report(f"after {n:>5} steps: cost {cost(out, spec.target)!r}, output {np.round(out.ravel(), 6).tolist()}")
        if should_stop():
            return


def _train(report: Report, should_stop, data: mnist.Mnist, layers, epochs, batch_size, step_size, limit,
           seed) -> training.Run:
    """A run reporting a line per epoch."""
    config = training.Config(tuple(layers), epochs, batch_size, step_size, limit, seed)
    return training.run(config, data, should_stop=should_stop, fields={"layers": "params.layers"},
                        on_epoch=lambda r: report(f"epoch {r.epoch}: {r.correct} / {r.total} "
                                                  f"({100 * r.correct / r.total:.2f}%)  {r.seconds:.1f} s"))


def _exp_train(report, should_stop, data_dir, layers, epochs, batch_size, step_size, limit, seed):
    data = mnist.load(data_dir)
    report(f"training {'-'.join(map(str, layers))} on {limit or len(data.train)} images ...")
    _train(report, should_stop, data, layers, epochs, batch_size, step_size, limit, seed)


def _exp_batch_sizes(report, should_stop, data_dir, batch_sizes, epochs, step_size, limit, seed):
    data = mnist.load(data_dir)
    for bs in batch_sizes:
        if should_stop():
            return
        start = time.perf_counter()
        run = _train(lambda line: None, should_stop, data, training.Config().layers, epochs, int(bs), step_size,
                     limit, seed)
        if run.results:
            r = run.results[-1]
            report(f"batch size {int(bs):>4}: {math.ceil(run.images / bs) * len(run.results):>6} updates, "
                   f"{r.correct} / {r.total} correct, {time.perf_counter() - start:.1f} s")


def _exp_random_pixels(report, should_stop, data_dir, layers, epochs, limit, count, seed):
    data = mnist.load(data_dir)
    report(f"training {'-'.join(map(str, layers))} first ...")
    net = _train(report, should_stop, data, layers, epochs, 10, 3.0, limit, seed).network
    if should_stop():
        return
    rng = np.random.default_rng(seed)
    noise = rng.integers(0, 256, size=(count, data.image_size)).astype(np.uint8)
    for name, images in (("real test images", data.test.images[:count]), ("random pixels", noise)):
        out = net.feedforward(mnist.as_inputs(images).T)  # the engine's pixels -> inputs, as in training
        best = out.max(axis=0)
        digits = np.argmax(out, axis=0)
        report(f"{name}: labelled " + ", ".join(f"{d} ({b:.2f})" for d, b in zip(digits[:8], best[:8])) + " ...")
        report(f"    average top output {best.mean():.3f}; {int(np.sum(best > 0.5))} of {count} above 0.5")


EXPERIMENTS: dict[str, tuple[Callable, dict[str, Param]]] = {
    "descent": (_exp_descent, {"start": NUMBER, "step_sizes": Param("numbers", 0, 10, items=(1, 10)),
                               "steps": Param("whole", 1, 100, default=8), "minimum": Param("number", default=0.0)}),
    "repeat": (_exp_repeat, {"network": Param("name"),
                             "repeats": Param("wholes", 0, 10_000, default=[1, 10, 100, 1000], items=(1, 20))}),
    "train": (_exp_train, {"layers": LAYERS, "epochs": EPOCHS, "batch_size": BATCH_SIZE, "step_size": STEP_SIZE,
                           "limit": LIMIT, "seed": SEED}),
    "batch_sizes": (_exp_batch_sizes, {"batch_sizes": Param("wholes", 1, 100_000, default=[1, 10, 100], items=(1, 10)),
                                       "epochs": EPOCHS, "step_size": STEP_SIZE,
                                       "limit": Param("whole", 0, 10_000_000, default=10_000), "seed": SEED}),
    "random_pixels": (_exp_random_pixels, {"layers": LAYERS, "epochs": EPOCHS, "limit": LIMIT,
                                           "count": Param("whole", 1, 10_000, default=100), "seed": SEED}),
}


def check_experiment(name: str, params: dict) -> dict:
    """The params of experiment `name`, checked (each within its range, a training run's as the engine checks its
    settings, the network found) so that it runs; InputError on the field params otherwise."""
    if name not in EXPERIMENTS:
        raise InputError(f"unknown experiment {short(name)} (experiments: {', '.join(EXPERIMENTS)})", field="run")
    params = check_params("experiment", name, params, EXPERIMENTS[name][1])
    try:
        if "layers" in params:
            training.check_layers(params["layers"], "layers")
        if "epochs" in params:
            training.Config(tuple(params.get("layers", DEFAULT.layers)), params["epochs"], DEFAULT.batch_size,
                            params["step_size"] if "step_size" in params else DEFAULT.step_size, params["limit"],
                            params["seed"]).checked()
        if name == "repeat":
            from tutor.engine.spec import load_spec

            load_spec(params["network"])
    except InputError as e:
        raise InputError(f"params: {e}", field="params") from None
    return params


def run_experiment(name: str, params: dict, report: Report, should_stop: Callable[[], bool] = lambda: False,
                   data_dir=None) -> None:
    """Run experiment `name`, calling report(line) for each line of its outcome."""
    fn, _ = EXPERIMENTS[name]
    fn(report, should_stop, data_dir, **check_experiment(name, params))


def check_train(cfg: dict) -> dict:
    """Validate a train step's settings (TRAIN_DEFAULTS for what is left out); InputError names the field."""
    out = {}
    for key, param in TRAIN.items():
        try:
            out[key] = param.check(cfg[key], key) if key in cfg else param.default
        except InputError as e:
            raise InputError(str(e), field=key) from None
    training.check_layers(out["layers"])
    train_config(out).checked()
    if out["goal"] == 0:
        raise InputError("goal: a fraction of test images above 0 and at most 1, e.g. 0.95, got 0", field="goal")
    return out


def train_config(cfg: dict) -> training.Config:
    """The engine's config for a checked train step."""
    return training.Config(tuple(cfg["layers"]), cfg["epochs"], cfg["batch_size"], cfg["step_size"], cfg["limit"],
                           cfg["seed"])
