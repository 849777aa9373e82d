"""`tutor bench --book`: Nielsen's chapter 3 and 5 headline numbers, measured with this engine on this machine —
the learning slowdown of one saturated neuron, cross-entropy, bigger hidden layers, L2 regularisation, scaled
initialisation, overfitting 1,000 images, and ‖∂C/∂b‖ falling layer by layer. Minutes of training: not a test."""

from __future__ import annotations

import statistics
import time

import numpy as np

from tutor.course.experiments import one_neuron
from tutor.engine import mnist, training
from tutor.engine.network import Network


def _run(data, layers, epochs, eta, seed, cost="cross-entropy", init="standard", lmbda=0.0, limit=0):
    config = training.Config(tuple(layers), epochs, 10, eta, limit, seed, cost=cost, init=init, lmbda=lmbda)
    start = time.perf_counter()
    run = training.run(config, data)
    return [r.correct / r.total for r in run.results], (time.perf_counter() - start) / len(run.results)


def _train_accuracy(network, data, limit) -> float:
    images, labels = data.train.images[:limit], data.train.labels[:limit]
    return training.evaluate(network, images, labels) / len(labels)


def overfit(data, seed: int, lmbda: float, epochs: int) -> tuple[float, float, float]:
    """1,000 training images, 784-30-10, cross-entropy, η = 0.5: (training accuracy, last test accuracy, best test
    accuracy)."""
    config = training.Config((784, 30, 10), epochs, 10, 0.5, 1000, seed, cost="cross-entropy", lmbda=lmbda)
    run = training.run(config, data)
    tests = [r.correct / r.total for r in run.results]
    return _train_accuracy(run.network, data, 1000), tests[-1], max(tests)


def gradient_norms(data, layers, seeds) -> list[float]:
    """Mean over seeds of ‖∂C/∂b‖ per hidden layer at initialisation (network2's defaults: cross-entropy, scaled
    initialisation; 1,000 training images)."""
    runs = [training.gradient_sizes(Network(layers, seed=s, cost="cross-entropy", init="scaled"), data.train.images,
                                    data.train.labels) for s in seeds]
    return [statistics.mean(values) for values in zip(*runs)]


def _pct(values) -> str:
    return ", ".join(f"{100 * v:.2f}%" for v in values)


def main(args=None) -> int:
    quick = bool(getattr(args, "quick", False))
    seeds = [1] if quick else [1, 2, 3]
    epochs = 5 if quick else 30
    say = lambda line="": print(line, flush=True)  # noqa: E731
    say("Nielsen's chapter 3 and 5 numbers, measured with this engine (book figures in brackets)"
        + (" — QUICK: 5 epochs, one seed; the book's runs are 30 epochs" if quick else "") + ".")
    say("\nCh. 3, one neuron, x = 1, y = 0, η = 0.15 (cost at epochs 0, 50, 100, 150, 200, 300; ∂C/∂b at the start):")
    for w, b in ((0.6, 0.9), (2.0, 2.0)):
        for kind in ("quadratic", "cross-entropy"):
            costs, first = one_neuron(w, b, kind)
            shown = ", ".join(f"{costs[e]:.3f}" for e in (0, 50, 100, 150, 200, 300))
            say(f"  w = {w:g}, b = {b:g}, {kind:13}: output {1 / (1 + np.exp(-(w + b))):.2f}, ∂C/∂b {first:.4f}; "
                f"cost {shown}")
    say("  [book: ∂C/∂b 0.122 from 0.82 vs 0.0174 from 0.98 with the quadratic cost; flat for ~150 epochs from 0.98]")
    data = mnist.load()
    rows = [
        ("784-30-10, cross-entropy, η = 0.5", (784, 30, 10), 0.5, {}, "95.49%"),
        ("784-100-10, cross-entropy, η = 0.5", (784, 100, 10), 0.5, {}, "96.82%"),
        ("784-100-10, cross-entropy, η = 0.5, λ = 5.0", (784, 100, 10), 0.5, {"lmbda": 5.0}, "97.92%"),
    ]
    say(f"\nCh. 3 on MNIST ({len(data.train):,} training images, mini-batches of 10, {epochs} epochs, seeds {seeds}): "
        "final test accuracy per seed, their median, seconds per epoch")
    for label, layers, eta, extra, book in rows:
        finals, times = [], []
        for seed in seeds:
            accuracies, seconds = _run(data, layers, epochs, eta, seed, **extra)
            finals.append(accuracies[-1])
            times.append(seconds)
        say(f"  {label:44} {_pct(finals)}; median {100 * statistics.median(finals):.2f}% [book {book}]; "
            f"{statistics.median(times):.2f} s/epoch")
    say("\nCh. 3, initialisation (784-30-10, cross-entropy, λ = 5.0, η = 0.1): accuracy after the first epoch")
    for init in ("standard", "scaled"):
        firsts = [_run(data, (784, 30, 10), 1, 0.1, seed, init=init, lmbda=5.0)[0][0] for seed in seeds]
        say(f"  {init:8}: {_pct(firsts)}; median {100 * statistics.median(firsts):.2f}% "
            f"[book: ~{'87' if init == 'standard' else '93'}%]")
    overfit_epochs = 40 if quick else 400
    say(f"\nCh. 3, overfitting: 1,000 training images, 784-30-10, cross-entropy, η = 0.5, {overfit_epochs} epochs")
    for lmbda, book in ((0.0, "82.27%"), (0.1, "87.1%")):
        results = [overfit(data, seed, lmbda, overfit_epochs) for seed in seeds]
        say(f"  λ = {lmbda:g}: training accuracy {_pct([r[0] for r in results])}; test accuracy at the end "
            f"{_pct([r[1] for r in results])} (median {100 * statistics.median(r[1] for r in results):.2f}%) "
            f"[book {book}]; best {_pct([r[2] for r in results])}")
    say("\nCh. 5, ‖∂C/∂b‖ per hidden layer at initialisation (1,000 images, cross-entropy, scaled weights; mean over "
        f"{5 if quick else 10} seeds):")
    books = {3: "0.07, 0.31", 4: "0.012, 0.060, 0.283", 5: "0.003, 0.017, 0.070, 0.285"}
    for hidden in (2, 3, 4):
        layers = [784] + [30] * hidden + [10]
        norms = gradient_norms(data, layers, range(5 if quick else 10))
        say(f"  {'-'.join(map(str, layers)):22}: {', '.join(f'{g:.3f}' for g in norms)}   [book {books[hidden + 1]}]"
            f"   first/last {norms[0] / norms[-1]:.3f}")
    return 0
