"""A feed-forward network of sigmoid neurons with the quadratic cost, trained by backpropagation.

Conventions follow the article: layer l has J neurons and the layer before it K, the weights of
layer l are a J x K matrix, its biases a J x 1 column, activations are columns. A batch of B examples
is a matrix of B columns, so the same functions serve one example (the tracer) and a mini-batch
(training): the article's worked example is the case B = 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from tutor.errors import InputError


def sigmoid(z):
    """σ(z) = 1 / (1 + e^-z), as the article writes it. e^-z overflows to inf for z < -709,
    which gives exactly the limit 0, so the overflow warning is silenced rather than avoided."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    """σ'(z) = σ(z)(1 - σ(z))."""
    return sigmoid(z) * (1 - sigmoid(z))


def z(w, a_prev, b):
    """Raw activation: z = w · a_prev + b."""
    return np.dot(w, a_prev) + b


def dc_db(a, dc_da):
    """∂C/∂b = σ'(z) ⊙ ∂C/∂a, with σ'(z) taken as a(1 - a) from the activation a = σ(z) at hand
    (the same number the article's sigmoid_prime(z) computes)."""
    return a * (1 - a) * dc_da


def dc_dw(a_prev, dc_db):
    """∂C/∂w = ∂C/∂b · a_prevᵀ (for a batch, summed over its examples)."""
    return np.dot(dc_db, a_prev.T)


def dc_da_prev(w, dc_db):
    """∂C/∂a_prev = wᵀ · ∂C/∂b."""
    return np.dot(w.T, dc_db)


def cost(a, y):
    """Quadratic cost C = ½ Σ_j (a_j - y_j)², summed over the columns of a batch."""
    return 0.5 * float(np.sum((a - y) ** 2))


@dataclass
class Backprop:
    """Everything one forward and backward pass computed, indexed by layer (index 0 is the input
    layer, so zs[0], dc_db[0] and dc_dw[0] are None). Gradients are summed over the batch."""

    zs: list
    activations: list
    dc_da: list
    dc_db: list
    dc_dw: list


def check_sizes(sizes: Sequence[int], field: str = "layers") -> list[int]:
    """Validate a list of layer sizes; raise InputError naming the field otherwise."""
    sizes = list(sizes)
    if len(sizes) < 2:
        raise InputError(f"{field}: a network needs at least 2 layers (input and output), got {len(sizes)}")
    for i, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise InputError(f"{field}[{i}]: layer size must be a whole number, got {n!r}")
        if n < 1:
            raise InputError(f"{field}[{i}]: layer size must be at least 1, got {n}")
        if n > 100_000:
            raise InputError(f"{field}[{i}]: layer size {n} is too large (at most 100000)")
    return [int(n) for n in sizes]


class Network:
    """Layers of sigmoid neurons. `weights[l-1]` and `biases[l-1]` belong to layer l."""

    def __init__(self, sizes: Sequence[int], weights=None, biases=None, seed: int | None = None):
        self.sizes = check_sizes(sizes)
        if (weights is None) != (biases is None):
            raise InputError("weights and biases must be given together (or both left out)")
        if weights is None:
            rng = np.random.default_rng(seed)
            pairs = list(zip(self.sizes[:-1], self.sizes[1:]))
            self.weights = [rng.standard_normal((j, k)) for k, j in pairs]
            self.biases = [rng.standard_normal((j, 1)) for _, j in pairs]
        else:
            self.weights = [np.array(w, dtype=np.float64, ndmin=2) for w in weights]
            self.biases = [np.array(b, dtype=np.float64).reshape(-1, 1) for b in biases]
            self._check_shapes()

    def _check_shapes(self):
        layers = len(self.sizes) - 1
        if len(self.weights) != layers or len(self.biases) != layers:
            raise InputError(
                f"weights/biases: expected {layers} layers of parameters for layers {self.sizes}, "
                f"got {len(self.weights)} weight matrices and {len(self.biases)} bias columns"
            )
        for l, (w, b) in enumerate(zip(self.weights, self.biases), start=1):
            j, k = self.sizes[l], self.sizes[l - 1]
            if w.shape != (j, k):
                raise InputError(f"weights[{l - 1}]: layer {l} needs a {j}x{k} matrix, got {w.shape[0]}x{w.shape[1]}")
            if b.shape != (j, 1):
                raise InputError(f"biases[{l - 1}]: layer {l} needs {j} biases, got {b.shape[0]}")
            for name, m in (("weights", w), ("biases", b)):
                if not np.all(np.isfinite(m)):
                    raise InputError(f"{name}[{l - 1}]: values must be finite numbers (found NaN or inf)")

    @property
    def num_layers(self) -> int:
        return len(self.sizes)

    def copy(self) -> "Network":
        return Network(self.sizes, [w.copy() for w in self.weights], [b.copy() for b in self.biases])

    # -- the math -----------------------------------------------------------------------------

    def feedforward(self, a):
        """Output activations for input columns a (K x B)."""
        for w, b in zip(self.weights, self.biases):
            a = sigmoid(z(w, a, b))
        return a

    def backprop(self, x, y) -> Backprop:
        """Forward pass, then backpropagation of the quadratic cost for input columns x and
        target columns y. ∂C/∂a_prev uses the weights before any update, as the article does."""
        zs, activations = [None], [x]
        for w, b in zip(self.weights, self.biases):
            zs.append(z(w, activations[-1], b))
            activations.append(sigmoid(zs[-1]))
        n = len(activations)
        dc_da, grad_b, grad_w = [None] * n, [None] * n, [None] * n
        dc_da[-1] = activations[-1] - y
        for l in range(n - 1, 0, -1):
            delta = dc_db(activations[l], dc_da[l])
            grad_w[l] = dc_dw(activations[l - 1], delta)
            grad_b[l] = np.add.reduce(delta, axis=1, keepdims=True)
            if l > 1:
                dc_da[l - 1] = dc_da_prev(self.weights[l - 1], delta)
        return Backprop(zs, activations, dc_da, grad_b, grad_w)

    def update(self, grad_b, grad_w, step_size: float, batch_size: int = 1):
        """Gradient descent step, in place: p = p - (Σ_batch ∂C/∂p) * (step_size / batch_size)."""
        scale = step_size / batch_size
        for w, b, gw, gb in zip(self.weights, self.biases, grad_w[1:], grad_b[1:]):
            w -= gw * scale
            b -= gb * scale

    def train_step(self, x, y, step_size: float) -> Backprop:
        """One step of gradient descent on the examples in the columns of x and y."""
        result = self.backprop(x, y)
        self.update(result.dc_db, result.dc_dw, step_size, x.shape[1])
        return result

    def predict(self, images, chunk: int = 2000) -> np.ndarray:
        """Predicted digit for each row of images (N x K, uint8 0-255 or floats in [0, 1])."""
        out = np.empty(len(images), dtype=np.int64)
        scale = 1 / 255 if images.dtype == np.uint8 else 1.0
        for s in range(0, len(images), chunk):
            x = images[s : s + chunk] * scale
            out[s : s + chunk] = np.argmax(self.feedforward(x.T), axis=0)
        return out

    def evaluate(self, images, labels) -> int:
        """Number of rows of images whose predicted digit equals the label."""
        return int(np.count_nonzero(self.predict(images) == labels))

    def sgd(
        self,
        images,
        labels,
        epochs: int,
        batch_size: int,
        step_size: float,
        seed: int | None = None,
        test: tuple | None = None,
        on_progress: Callable[[int, int, int], None] | None = None,
        on_epoch: Callable[["EpochResult"], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> list["EpochResult"]:
        """Mini-batch stochastic gradient descent over rows of images (uint8) with digit labels.

        Each epoch shuffles the examples (from `seed`), then makes one update per mini-batch with
        the gradient averaged over the batch. on_progress(epoch, done, total) is called every few
        hundred examples and should_stop() is checked as often: a stop ends training after the
        current chunk, keeping what was learned. Returns one EpochResult per completed epoch."""
        import time

        rng = np.random.default_rng(seed)
        n, outputs = len(images), self.sizes[-1]
        eye = np.eye(outputs)
        chunk = batch_size * max(1, 1000 // batch_size)
        results = []
        for epoch in range(epochs):
            start = time.perf_counter()
            order = rng.permutation(n)
            for s in range(0, n, chunk):
                if should_stop and should_stop():
                    return results
                idx = order[s : s + chunk]
                xs = images[idx] * (1 / 255)  # rows of this chunk, as floats in [0, 1]
                ys = eye[labels[idx]]
                for j in range(0, len(idx), batch_size):
                    x, y = xs[j : j + batch_size].T, ys[j : j + batch_size].T
                    self.train_step(x, y, step_size)
                if on_progress:
                    on_progress(epoch, min(s + chunk, n), n)
            correct = self.evaluate(*test) if test is not None else None
            result = EpochResult(epoch, correct, len(test[1]) if test is not None else 0,
                                 time.perf_counter() - start)
            results.append(result)
            if on_epoch:
                on_epoch(result)
        return results


@dataclass(frozen=True)
class EpochResult:
    epoch: int
    correct: int | None
    total: int
    seconds: float
