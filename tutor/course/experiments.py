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
from tutor.engine.network import COSTS, INITS, Network, cost, cost_of
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
COST = Param("choice", choices=COSTS, default="quadratic")
INIT = Param("choice", choices=INITS, default="standard")
LMBDA = Param("number", 0, 1000, default=0.0)
BARS = "▁▂▃▄▅▆▇█"


def curve(values, low: float | None = None, high: float | None = None, width: int = 40) -> str:
    """A row of bars, one per value (sampled down to `width`), from `low` to `high` (the values' own by default):
    how a cost or an accuracy moved over the epochs, in one line of text."""
    values = [float(v) for v in values]
    if len(values) > width:
        values = [values[round(i * (len(values) - 1) / (width - 1))] for i in range(width)]
    low = min(values) if low is None else low
    high = max(values) if high is None else high
    span = (high - low) or 1.0
    return "".join(BARS[max(0, min(7, int((v - low) / span * 7.999)))] for v in values)


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
           seed, cost="quadratic", init="standard", lmbda=0.0) -> training.Run:
    """A run reporting a line per epoch."""
    config = training.Config(tuple(layers), epochs, batch_size, step_size, limit, seed, cost=cost, init=init,
                             lmbda=lmbda)
    return training.run(config, data, should_stop=should_stop, fields={"layers": "params.layers"},
                        on_epoch=lambda r: report(f"epoch {r.epoch}: {r.correct} / {r.total} "
                                                  f"({100 * r.correct / r.total:.2f}%)  {r.seconds:.1f} s"))


def _exp_train(report, should_stop, data_dir, layers, epochs, batch_size, step_size, limit, seed, cost="quadratic",
               init="standard", lmbda=0.0):
    data = mnist.load(data_dir)
    extra = "".join(f", {what}" for what, on in ((f"{cost} cost", cost != "quadratic"), (f"{init} weights",
                    init != "standard"), (f"λ = {lmbda:g}", lmbda)) if on)
    report(f"training {'-'.join(map(str, layers))} on {limit or len(data.train)} images{extra} ...")
    _train(report, should_stop, data, layers, epochs, batch_size, step_size, limit, seed, cost, init, lmbda)


def one_neuron(w: float, b: float, kind: str, epochs: int = 300, eta: float = 0.15) -> tuple[list[float], float]:
    """Nielsen's chapter 3 neuron: x = 1, y = 0, η = 0.15, from weight w and bias b, with cost `kind`. The cost after
    each epoch (index 0: at the start) and ∂C/∂b at the start."""
    net = Network([1, 1], [[[w]]], [[b]], cost=kind)
    x, y = np.ones((1, 1)), np.zeros((1, 1))
    costs, first = [], None
    for _ in range(epochs + 1):
        grads = net.backprop(x, y)
        costs.append(cost_of(kind, grads.zs[1], grads.activations[1], y))
        first = float(grads.dc_db[1][0, 0]) if first is None else first
        net.update(grads, eta)
    return costs, first


def _exp_slowdown(report, should_stop, data_dir, starts, costs, epochs, step_size):
    """Nielsen's chapter 3 neuron (x = 1, y = 0) from each start [w, b], with each cost: ∂C/∂b at the start and the
    cost over the epochs, as a curve."""
    for w, b in starts:
        for kind in costs:
            values, first = one_neuron(w, b, kind, epochs, step_size)
            report(f"w = {w:g}, b = {b:g} (output {1 / (1 + math.exp(-(w + b))):.2f}), {kind}: ∂C/∂b = {first:.4f} "
                   "at the start")
            report(f"    cost {curve(values, 0.0)} {values[0]:.3f} → {values[epochs // 2]:.3f} (epoch {epochs // 2}) "
                   f"→ {values[-1]:.3f} (epoch {epochs})")
            if should_stop():
                return


def _exp_gradient_sizes(report, should_stop, data_dir, layers, seeds, cost, init):
    """‖∂C/∂b‖ of each hidden layer at initialisation (mean over seeds, 1,000 training images), as bars."""
    data = mnist.load(data_dir)
    training.check_fits(layers, data, "params.layers")
    runs = []
    for seed in range(seeds):
        if should_stop():
            return
        runs.append(training.gradient_sizes(Network(layers, seed=seed, cost=cost, init=init), data.train.images,
                                            data.train.labels))
    sizes = [sum(values) / len(values) for values in zip(*runs)]
    report(f"{'-'.join(map(str, layers))}, {cost} cost, {init} weights: ‖∂C/∂b‖ at the start (mean of {seeds} "
           "networks)")
    for l, g in enumerate(sizes, start=1):
        report(f"  hidden layer {l}: {'█' * max(1, round(30 * g / max(sizes)))} {g:.4f}")
    report(f"  layer 1 learns {sizes[-1] / sizes[0]:.0f} times slower than layer {len(sizes)}")


def _exp_overfitting(report, should_stop, data_dir, limit, epochs, lmbdas, step_size, seed):
    """A small training set trained long, with each λ: training and test accuracy over the epochs, as curves."""
    data = mnist.load(data_dir)
    for lmbda in lmbdas:
        config = training.Config((784, 30, 10), epochs, 10, step_size, limit, seed, cost="cross-entropy",
                                 lmbda=lmbda)
        network = training.new_network(config)
        train = data.train.head(limit)
        tests, trains = [], []

        def on_epoch(r, network=network, tests=tests, trains=trains, train=train):
            tests.append(r.correct / r.total)
            trains.append(training.evaluate(network, train.images, train.labels) / len(train))

        run = training.run(config, data, on_epoch=on_epoch, should_stop=should_stop, network=network)
        if not run.results:
            return
        report(f"λ = {lmbda:g}, {len(run.results)} epochs on {limit:,} images:")
        report(f"    training {curve(trains, 0.5, 1.0)} {100 * trains[-1]:.1f}%")
        report(f"    test     {curve(tests, 0.5, 1.0)} {100 * tests[-1]:.1f}% (best {100 * max(tests):.1f}%)")


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
                           "limit": LIMIT, "seed": SEED, "cost": COST, "init": INIT, "lmbda": LMBDA}),
    "slowdown": (_exp_slowdown, {"starts": Param("rows", -10, 10, default=[[0.6, 0.9], [2.0, 2.0]]),
                                 "costs": Param("choices", choices=COSTS, default=list(COSTS), items=(1, 2)),
                                 "epochs": Param("whole", 1, 2000, default=300),
                                 "step_size": Param("number", 0, 10, default=0.15)}),
    "gradient_sizes": (_exp_gradient_sizes, {"layers": Param("wholes", 1, 1000, default=[784, 30, 30, 30, 10],
                                                             items=(3, 10)),
                                             "seeds": Param("whole", 1, 20, default=5), "cost": COST, "init": INIT}),
    "overfitting": (_exp_overfitting, {"limit": Param("whole", 10, 50_000, default=1000), "epochs": EPOCHS,
                                       "lmbdas": Param("numbers", 0, 1000, default=[0.0, 0.1], items=(1, 4)),
                                       "step_size": STEP_SIZE, "seed": SEED}),
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
        if "epochs" in params and "limit" in params:  # an MNIST run: as the engine checks its settings
            training.Config(tuple(params.get("layers", DEFAULT.layers)), params["epochs"], DEFAULT.batch_size,
                            params["step_size"] if "step_size" in params else DEFAULT.step_size, params["limit"],
                            params["seed"], cost=params.get("cost", "quadratic"),
                            lmbda=params.get("lmbda", 0.0)).checked()
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
