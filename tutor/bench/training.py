"""`tutor bench`: seconds per MNIST epoch, against per-example loops in the article's style, and peak memory."""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time

import numpy as np

from tutor.engine import mnist
from tutor.engine.network import Network
from tutor.engine.training import sgd


class PerExampleNetwork:
    """The per-example style that the article's class and Nielsen's network.py share, as a baseline:
    every example goes through its own forward and backward pass of (784 x 1) columns. `online_epoch`
    updates after each example (the article's class); `minibatch_epoch` sums the examples' gradients
    and updates once per mini-batch (network.py, the code behind the article's MNIST results).
    Inputs are float32 columns and targets float64 one-hot columns, as network.py's loader gives them."""

    def __init__(self, sizes, seed=None):
        rng = np.random.default_rng(seed)
        self.w = [rng.standard_normal((j, k)) for k, j in zip(sizes[:-1], sizes[1:])]
        self.b = [rng.standard_normal((j, 1)) for j in sizes[1:]]

    @staticmethod
    def columns(images, labels, one_hot: bool) -> list[tuple]:
        pixels = (images / 255.0).astype(np.float32)
        targets = np.eye(10)[labels].reshape(-1, 10, 1) if one_hot else [int(l) for l in labels]
        return [(x.reshape(-1, 1), y) for x, y in zip(pixels, targets)]

    def forward(self, x):
        zs, activations = [], [x]
        for w, b in zip(self.w, self.b):
            zs.append(np.dot(w, activations[-1]) + b)
            activations.append(_sigmoid(zs[-1]))
        return zs, activations

    def gradients(self, x, y):
        zs, activations = self.forward(x)
        dc_da = activations[-1] - y
        grads_b, grads_w = [], []
        for l in range(len(self.w) - 1, -1, -1):
            delta = _sigmoid_prime(zs[l]) * dc_da
            grads_b.insert(0, delta)
            grads_w.insert(0, np.dot(delta, activations[l].transpose()))
            dc_da = np.dot(self.w[l].transpose(), delta)
        return grads_b, grads_w

    def online_epoch(self, training, step_size, rnd, test):
        rnd.shuffle(training)
        for x, y in training:
            grads_b, grads_w = self.gradients(x, y)
            self.b = [b - gb * step_size for b, gb in zip(self.b, grads_b)]
            self.w = [w - gw * step_size for w, gw in zip(self.w, grads_w)]
        return self.evaluate(test)

    def minibatch_epoch(self, training, batch_size, step_size, rnd, test):
        rnd.shuffle(training)
        for k in range(0, len(training), batch_size):
            batch = training[k:k + batch_size]
            sum_b = [np.zeros(b.shape) for b in self.b]
            sum_w = [np.zeros(w.shape) for w in self.w]
            for x, y in batch:
                grads_b, grads_w = self.gradients(x, y)
                sum_b = [s + g for s, g in zip(sum_b, grads_b)]
                sum_w = [s + g for s, g in zip(sum_w, grads_w)]
            self.b = [b - (step_size / len(batch)) * s for b, s in zip(self.b, sum_b)]
            self.w = [w - (step_size / len(batch)) * s for w, s in zip(self.w, sum_w)]
        return self.evaluate(test)

    def evaluate(self, test):
        return sum(int(np.argmax(self.forward(x)[1][-1]) == label) for x, label in test)


def _sigmoid(z):
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def _sigmoid_prime(z):
    return _sigmoid(z) * (1 - _sigmoid(z))


def time_epochs(fast_epochs: int, slow_epochs: int) -> dict[str, list[float]]:
    """Seconds per epoch (training on 50,000 images plus evaluating 10,000) of each variant,
    interleaved so that all see the same machine (its speed drifts over tens of seconds)."""
    data = mnist.load()
    train, test = data.train, (data.test.images, data.test.labels)
    fast = {"float64": Network([784, 30, 10], seed=1), "float32": Network([784, 30, 10], seed=1, dtype="float32")}
    times = {name: [] for name in (*fast, "minibatch", "online")}
    minibatch, online = PerExampleNetwork([784, 30, 10], seed=1), PerExampleNetwork([784, 30, 10], seed=1)
    training = PerExampleNetwork.columns(train.images, train.labels, one_hot=True)
    test_columns = PerExampleNetwork.columns(*test, one_hot=False)
    rnd = random.Random(1)
    per_round = max(1, fast_epochs // slow_epochs)
    for round_ in range(slow_epochs):
        for _ in range(per_round):
            for name, net in fast.items():
                times[name].append(sgd(net, train.images, train.labels, 1, 10, 3.0, seed=round_, test=test)[0].seconds)
        start = time.perf_counter()
        minibatch.minibatch_epoch(training, 10, 3.0, rnd, test_columns)
        times["minibatch"].append(time.perf_counter() - start)
        start = time.perf_counter()
        online.online_epoch(training, 0.3, rnd, test_columns)
        times["online"].append(time.perf_counter() - start)
    return times


def floor_epochs(dtype: str, repeats: int) -> list[float]:
    """Seconds per epoch of only the three dense numpy operations on the 30 x 784 weights that every
    batch of 10 needs: the forward product w_l1 · x, the weight-gradient product δ_l1 · xᵀ and the
    update (one multiply and one subtract, as `Network.update` does). A lower bound for an epoch of
    this engine, before sigmoids, layer 2, the cost, the evaluation and the Python around them."""
    images = mnist.load().train.images
    rng = np.random.default_rng(0)
    xs = mnist.as_inputs(images[:1000], np.dtype(dtype))
    w = rng.standard_normal((30, 784)).astype(dtype) * 0.1
    delta = rng.standard_normal((30, 10)).astype(dtype) * 1e-3
    z, grad, scaled = np.empty((30, 10), dtype), np.empty_like(w), np.empty_like(w)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(50):
            for j in range(0, 1000, 10):
                x = xs[j : j + 10]
                np.dot(w, x.T, out=z)
                np.dot(delta, x, out=grad)
                np.multiply(grad, 0.3, out=scaled)
                np.subtract(w, scaled, out=w)
        times.append(time.perf_counter() - start)
    return times


CHILD = """
import sys
from tutor.cli import main
code = main(sys.argv[1:])
status = open("/proc/self/status").read()
peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
print(f"peak-kib {peak}", file=sys.stderr)
sys.exit(code)
"""


def full_run(epochs: int, dtype: str) -> tuple[list[dict], int]:
    """A whole training run in a child process: its epoch lines and its peak resident memory in KiB
    (the child's own high-water mark, VmHWM, which does not count this process's pages)."""
    argv = ["train", "--epochs", str(epochs), "--seed", "1", "--json", "--dtype", dtype]
    proc = subprocess.run([sys.executable, "-c", CHILD, *argv], capture_output=True, text=True, check=True)
    peak = int(proc.stderr.split("peak-kib")[-1].split()[0])
    return [json.loads(line) for line in proc.stdout.splitlines()], peak


def dtype_comparison(float32: list[float], float64: list[float]) -> str:
    """float32 against float64 as measured, in one line: the medians, and which is faster and by how much only when
    it was faster in at least 4 of 5 of the epochs timed side by side (time_epochs times a float32 epoch right after
    each float64 one); otherwise no clear difference, with how often float32 won."""
    pairs = list(zip(float32, float64))
    f32, f64 = statistics.median(float32), statistics.median(float64)
    wins = sum(a < b for a, b in pairs)
    line = (f"float32 vs float64 on this machine: {f32:.3f} s vs {f64:.3f} s per epoch (median of {len(pairs)} "
            "epochs each)")
    side_by_side = f"of {len(pairs)} epochs timed side by side"
    if wins >= 0.8 * len(pairs):
        return f"{line}: float32 {f64 / f32:.2f}x as fast, faster in {wins} {side_by_side}"
    if len(pairs) - wins >= 0.8 * len(pairs):
        return f"{line}: float64 {f32 / f64:.2f}x as fast, faster in {len(pairs) - wins} {side_by_side}"
    return f"{line}: no clear difference, float32 was faster in {wins} {side_by_side}"


def main(args) -> int:
    fast_n, slow_n, full_epochs = (2, 1, 2) if args.quick else (max(args.epochs, 2) * 2, 2, 30)
    print("784-30-10, mini-batch 10, eta 3.0; one epoch = training on 50,000 images + evaluating 10,000 test images")
    print("(timed on this machine, the variants in turn so that all see the same load; the README says what each "
          "line means)")
    times = time_epochs(fast_n, slow_n)
    med = {name: statistics.median(t) for name, t in times.items()}
    labels = {
        "float64": "tutor, vectorised mini-batch, float64",
        "float32": "tutor, vectorised mini-batch, float32",
        "minibatch": "per-example loop, mini-batch 10 (network.py's way)",
        "online": "per-example loop, update per example (article's class)",
    }
    for name, t in times.items():
        print(f"{labels[name]:<56} median {med[name]:6.3f} s/epoch  (n={len(t)}, min {min(t):.3f}, max {max(t):.3f})")
    print(dtype_comparison(times["float32"], times["float64"]))
    for name in ("float64", "float32"):
        print(f"speed-up of {name}, same run: {med['minibatch'] / med[name]:.1f}x over the per-example "
              f"mini-batch loop, {med['online'] / med[name]:.1f}x over the per-example online loop")
    for dtype in ("float64", "float32"):
        floor = statistics.median(floor_epochs(dtype, 3 if args.quick else 9))
        print(f"floor ({dtype}): w_l1·x, δ_l1·xᵀ and the update alone take {floor:.3f} s/epoch, "
              f"{med['minibatch'] / floor:.1f}x faster than the per-example mini-batch loop")
    for dtype in ("float64",) if args.quick else ("float64", "float32"):
        lines, peak_kib = full_run(full_epochs, dtype)
        seconds = [line["seconds"] for line in lines]
        print(f"full run ({dtype}, {full_epochs} epochs, child process): peak memory {peak_kib / 1024:.0f} MB, "
              f"median {statistics.median(seconds):.3f} s/epoch, final accuracy {lines[-1]['correct']} / {lines[-1]['total']}")
    return 0
