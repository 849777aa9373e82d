"""The experiments and training runs lessons refer to (run = "...", kind = "train"): run in a worker, reporting a
line at a time; MNIST runs go through the engine's one training run (tutor.engine.training)."""

from __future__ import annotations

import math
import time
from dataclasses import asdict
from typing import Callable

import numpy as np

from tutor.course.computations import REQUIRED, check_params, descent_path
from tutor.engine import mnist, training
from tutor.engine.network import cost
from tutor.errors import InputError

Report = Callable[[str], None]
TRAIN_DEFAULTS = {**{k: v for k, v in asdict(training.Config(seed=1)).items() if k != "dtype"},
                  "layers": list(training.Config().layers), "goal": 0.95}


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
        raise InputError(f"unknown experiment '{name}' (experiments: {', '.join(EXPERIMENTS)})", field="run")
    params = check_params("experiment", name, params, EXPERIMENTS[name][1])
    if "layers" in params:
        training.check_layers(params["layers"], "params.layers")
    if name == "repeat":
        from tutor.engine.spec import load_spec

        try:
            load_spec(params["network"])
        except InputError as e:
            raise InputError(f"params: network: {e}", field="params") from None
    return params


def run_experiment(name: str, params: dict, report: Report, should_stop: Callable[[], bool] = lambda: False,
                   data_dir=None) -> None:
    """Run experiment `name`, calling report(line) for each line of its outcome."""
    fn, _ = EXPERIMENTS[name]
    fn(report, should_stop, data_dir, **check_experiment(name, params))


def check_train(cfg: dict) -> dict:
    """Validate a train step's settings (TRAIN_DEFAULTS for what is left out); InputError names the field."""
    out = {**TRAIN_DEFAULTS, **cfg}
    config = training.Config(out["layers"], out["epochs"], out["batch_size"], out["step_size"], out["limit"],
                             out["seed"])
    if isinstance(out["layers"], list):
        training.check_layers(out["layers"])
    config.checked()
    goal = out["goal"]
    if isinstance(goal, bool) or not isinstance(goal, (int, float)) or not 0 < goal <= 1:
        raise InputError(f"goal: a fraction of test images above 0 and at most 1, e.g. 0.95, got {goal!r}",
                         field="goal")
    return out


def train_config(cfg: dict) -> training.Config:
    """The engine's config for a checked train step."""
    return training.Config(tuple(cfg["layers"]), cfg["epochs"], cfg["batch_size"], cfg["step_size"], cfg["limit"],
                           cfg["seed"])
