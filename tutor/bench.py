"""`tutor bench`: seconds per MNIST epoch, against the article's per-example code, and peak memory."""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time

import numpy as np

from tutor.engine import mnist
from tutor.engine.network import Network


class ArticleNetwork:
    """The article's own class, ported to Python 3: one example at a time, one update per example."""

    def __init__(self, sizes, seed=None):
        rng = np.random.default_rng(seed)
        self.num_layers = len(sizes)
        self.w = [np.array([[]])] + [rng.standard_normal((j, k)) for k, j in zip(sizes[:-1], sizes[1:])]
        self.b = [np.array([[]])] + [rng.standard_normal((j, 1)) for j in sizes[1:]]

    def feed_forward(self, inputs):
        self.z = [None]
        self.a = [inputs]
        for l in range(1, self.num_layers):
            z = np.dot(self.w[l], self.a[l - 1]) + self.b[l]
            self.z.append(z)
            self.a.append(_sigmoid(z))

    def propagate_backward(self, y, step_size):
        activations_gradient = self.a[-1] - y
        for l in range(self.num_layers - 1, 0, -1):
            biases_gradient = _sigmoid_prime(self.z[l]) * activations_gradient
            weights_gradient = np.dot(biases_gradient, self.a[l - 1].transpose())
            activations_gradient = np.dot(self.w[l].transpose(), biases_gradient)
            self.b[l] -= biases_gradient * step_size
            self.w[l] -= weights_gradient * step_size

    def epoch(self, images, labels, step_size, rng, test):
        eye = np.eye(10)
        for i in rng.permutation(len(labels)):
            self.feed_forward((images[i] / 255.0).reshape(-1, 1))
            self.propagate_backward(eye[labels[i]].reshape(-1, 1), step_size)
        correct = 0
        for image, label in zip(*test):
            self.feed_forward((image / 255.0).reshape(-1, 1))
            correct += int(np.argmax(self.a[-1]) == label)
        return correct


class NielsenNetwork:
    """Nielsen's network.py, the code the article runs for MNIST, ported to Python 3 as it is:
    mini-batch SGD over a list of (784 x 1 float32 input, 10 x 1 one-hot) pairs, backprop one
    example at a time, the per-example gradients summed in a Python loop."""

    def __init__(self, sizes, seed=None):
        rng = np.random.default_rng(seed)
        self.biases = [rng.standard_normal((y, 1)) for y in sizes[1:]]
        self.weights = [rng.standard_normal((y, x)) for x, y in zip(sizes[:-1], sizes[1:])]

    @staticmethod
    def load_data(images, labels, test_images, test_labels):
        """The data as Nielsen's mnist_loader.load_data_wrapper gives it."""
        def vectorized(j):
            e = np.zeros((10, 1))
            e[j] = 1.0
            return e
        training = [(np.reshape(x, (784, 1)), vectorized(y)) for x, y in zip((images / 255.0).astype(np.float32), labels)]
        test = [(np.reshape(x, (784, 1)), int(y)) for x, y in zip((test_images / 255.0).astype(np.float32), test_labels)]
        return training, test

    def epoch(self, training_data, mini_batch_size, eta, rnd, test_data):
        rnd.shuffle(training_data)
        for k in range(0, len(training_data), mini_batch_size):
            self.update_mini_batch(training_data[k:k + mini_batch_size], eta)
        return sum(int(np.argmax(self.feedforward(x)) == y) for (x, y) in test_data)

    def feedforward(self, a):
        for b, w in zip(self.biases, self.weights):
            a = _sigmoid(np.dot(w, a) + b)
        return a

    def update_mini_batch(self, mini_batch, eta):
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in mini_batch:
            delta_nabla_b, delta_nabla_w = self.backprop(x, y)
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
        self.weights = [w - (eta / len(mini_batch)) * nw for w, nw in zip(self.weights, nabla_w)]
        self.biases = [b - (eta / len(mini_batch)) * nb for b, nb in zip(self.biases, nabla_b)]

    def backprop(self, x, y):
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        activation, activations, zs = x, [x], []
        for b, w in zip(self.biases, self.weights):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = _sigmoid(z)
            activations.append(activation)
        delta = (activations[-1] - y) * _sigmoid_prime(zs[-1])
        nabla_b[-1] = delta
        nabla_w[-1] = np.dot(delta, activations[-2].transpose())
        for l in range(2, len(self.biases) + 1):
            delta = np.dot(self.weights[-l + 1].transpose(), delta) * _sigmoid_prime(zs[-l])
            nabla_b[-l] = delta
            nabla_w[-l] = np.dot(delta, activations[-l - 1].transpose())
        return nabla_b, nabla_w


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
    rng = np.random.default_rng(1)
    fast = {"float64": Network([784, 30, 10], seed=1), "float32": Network([784, 30, 10], seed=1, dtype="float32")}
    times = {name: [] for name in (*fast, "nielsen", "article")}
    nielsen, article = NielsenNetwork([784, 30, 10], seed=1), ArticleNetwork([784, 30, 10], seed=1)
    nielsen_data = NielsenNetwork.load_data(train.images, train.labels, *test)
    rnd = random.Random(1)
    per_round = max(1, fast_epochs // slow_epochs)
    for round_ in range(slow_epochs):
        for _ in range(per_round):
            for name, net in fast.items():
                times[name].append(net.sgd(train.images, train.labels, 1, 10, 3.0, seed=round_, test=test)[0].seconds)
        start = time.perf_counter()
        nielsen.epoch(nielsen_data[0], 10, 3.0, rnd, nielsen_data[1])
        times["nielsen"].append(time.perf_counter() - start)
        start = time.perf_counter()
        article.epoch(train.images, train.labels, 0.3, rng, test)
        times["article"].append(time.perf_counter() - start)
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


def main(args) -> int:
    fast_n, slow_n, full_epochs = (2, 1, 2) if args.quick else (max(args.epochs, 2) * 2, 2, 30)
    print("784-30-10, mini-batch 10, eta 3.0; one epoch = training on 50,000 images + evaluating 10,000 test images")
    times = time_epochs(fast_n, slow_n)
    med = {name: statistics.median(t) for name, t in times.items()}
    labels = {
        "float64": "tutor, vectorised mini-batch, float64",
        "float32": "tutor, vectorised mini-batch, float32",
        "nielsen": "per-example loop: Nielsen's network.py (mini-batch 10)",
        "article": "per-example loop: the article's class (eta 0.3)",
    }
    for name, t in times.items():
        print(f"{labels[name]:<56} median {med[name]:6.3f} s/epoch  (n={len(t)}, min {min(t):.3f}, max {max(t):.3f})")
    for name in ("float64", "float32"):
        print(f"speed-up of {name}, same run: {med['nielsen'] / med[name]:.1f}x over Nielsen's network.py, "
              f"{med['article'] / med[name]:.1f}x over the article's class")
    for dtype in ("float64",) if args.quick else ("float64", "float32"):
        lines, peak_kib = full_run(full_epochs, dtype)
        seconds = [line["seconds"] for line in lines]
        print(f"full run ({dtype}, {full_epochs} epochs, child process): peak memory {peak_kib / 1024:.0f} MB, "
              f"median {statistics.median(seconds):.3f} s/epoch, final accuracy {lines[-1]['correct']} / {lines[-1]['total']}")
    return 0
