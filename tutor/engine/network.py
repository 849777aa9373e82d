"""A feed-forward network of sigmoid neurons with the quadratic cost (the article's) or the cross-entropy cost
(Nielsen's chapter 3), trained by backpropagation, optionally with L2 regularisation (weight decay).

Conventions follow the article: layer l has J neurons and the layer before it K, the weights of
layer l are a J x K matrix, its biases a J x 1 column, activations are columns. A batch of B examples
is a matrix of B columns, so the same functions serve one example (the tracer) and a mini-batch
(training): the article's worked example is the case B = 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from tutor.errors import InputError


def sigmoid(z, out=None):
    """σ(z) = 1 / (1 + e^-z), as the article writes it, optionally into `out`. e^-z overflows to
    inf for z < -709, which gives exactly the limit 0, so the warning is silenced, not avoided."""
    if out is None:
        with np.errstate(over="ignore"):
            return 1.0 / (1.0 + np.exp(-z))
    np.exp(np.negative(z, out=out), out=out)  # callers passing out silence overflow, as backprop does
    out += 1.0
    return np.divide(1.0, out, out=out)


def z(w, a_prev, b, out=None):
    """Raw activation: z = w · a_prev + b."""
    if out is None:
        return np.dot(w, a_prev) + b
    np.dot(w, a_prev, out=out)
    out += b
    return out


def dc_db(a, dc_da, out=None):
    """∂C/∂b = σ'(z) ⊙ ∂C/∂a, with σ'(z) taken as a(1 - a) from the activation a = σ(z) at hand
    (the same number the article's sigmoid_prime(z) computes). For a batch, one column an example."""
    if out is None:
        return a * (1 - a) * dc_da
    np.subtract(1, a, out=out)
    out *= a  # (1 - a) * a is a * (1 - a): IEEE multiplication commutes
    out *= dc_da
    return out


def dc_dw(a_prev, dc_db, out=None):
    """∂C/∂w = ∂C/∂b · a_prevᵀ (for a batch, summed over its examples)."""
    return np.dot(dc_db, a_prev.T, out=out)


def dc_da_prev(w, dc_db, out=None):
    """∂C/∂a_prev = wᵀ · ∂C/∂b."""
    return np.dot(w.T, dc_db, out=out)


def cost(a, y):
    """Quadratic cost C = ½ Σ_j (a_j - y_j)², summed over the columns of a batch."""
    return 0.5 * float(np.sum((a - y) ** 2))


def cross_entropy(z, y):
    """Cross-entropy cost C = −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)] with a = σ(z), summed over a batch's columns.
    Computed from z, not a: ln σ(z) = −ln(1 + e^−z) and ln(1 − σ(z)) = −ln(1 + e^z) (np.logaddexp), so it stays
    finite and exact where a has rounded to 1.0 or 0.0 and ln(1 − a) would be ln 0."""
    z, y = np.asarray(z, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return float(np.sum(y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z)))


COSTS = ("quadratic", "cross-entropy")
INITS = ("standard", "scaled")  # weights ~ N(0, 1) (the article's), or N(0, 1/k) for a neuron with k inputs


def cost_of(kind: str, z, a, y) -> float:
    """The cost `kind` of output activations a = σ(z) against targets y."""
    return cross_entropy(z, y) if kind == "cross-entropy" else cost(a, y)


def check_choice(value, choices: tuple[str, ...], field: str) -> str:
    """`value` if it is one of `choices`; InputError naming the field otherwise."""
    if not isinstance(value, str) or value not in choices:
        raise InputError(f"{field}: expected {' or '.join(repr(c) for c in choices)}, got {value!r}", field=field)
    return value


@dataclass
class Backprop:
    """Everything one forward and backward pass computed, indexed by layer (index 0 is the input
    layer, whose entries other than activations[0] stay None). `delta[l]` holds ∂C/∂b of layer l
    for each example (one column each); `dc_db` and `dc_dw` are summed over the batch and are views
    into the one flat buffer `flat`, so an update is one operation on it."""

    zs: list
    activations: list
    dc_da: list
    delta: list
    dc_db: list
    dc_dw: list
    flat: np.ndarray

    @property
    def batch_size(self) -> int:
        return self.zs[1].shape[1]


MAX_PARAMETERS = 100_000_000  # 0.8 GB of float64, a few times over while training: what fits in memory


def check_sizes(sizes: Sequence[int], field: str = "layers") -> list[int]:
    """Validate a list of layer sizes; raise InputError naming the field otherwise."""
    sizes = list(sizes)
    if len(sizes) < 2:
        raise InputError(f"{field}: a network needs at least 2 layers (input and output), got {len(sizes)}", field=field)
    for i, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise InputError(f"{field}[{i}]: layer size must be a whole number, got {n!r}", field=field)
        if n < 1:
            raise InputError(f"{field}[{i}]: layer size must be at least 1, got {n}", field=field)
        if n > 100_000:
            raise InputError(f"{field}[{i}]: layer size {n} is too large (at most 100000)", field=field)
    count = sum(j * k + j for k, j in zip(sizes[:-1], sizes[1:]))  # weights and biases, 8 bytes each
    if count > MAX_PARAMETERS:
        raise InputError(f"{field}: {count:,} weights and biases are too many (at most {MAX_PARAMETERS:,})",
                         field=field)
    return [int(n) for n in sizes]


def _flat_buffer(sizes: list[int], dtype=np.float64):
    """A flat buffer holding one J x K matrix and one J x 1 column per layer, and those views."""
    pairs = list(zip(sizes[:-1], sizes[1:]))
    flat = np.zeros(sum(j * k + j for k, j in pairs), dtype=dtype)
    matrices, columns, at = [], [], 0
    for k, j in pairs:
        matrices.append(flat[at: at + j * k].reshape(j, k))
        columns.append(flat[at + j * k: at + j * k + j].reshape(j, 1))
        at += j * k + j
    return flat, (tuple(matrices), tuple(columns))


def _shape(a: np.ndarray) -> str:
    return "x".join(map(str, a.shape))


def _check_shapes(sizes, weights, biases):
    layers = len(sizes) - 1
    if len(weights) != layers or len(biases) != layers:
        raise InputError(
            f"weights/biases: expected {layers} layers of parameters for layers {sizes}, "
            f"got {len(weights)} weight matrices and {len(biases)} bias columns"
        )
    for l, (w, b) in enumerate(zip(weights, biases), start=1):
        j, k = sizes[l], sizes[l - 1]
        if w.shape != (j, k):
            raise InputError(f"weights[{l - 1}]: layer {l} needs a {j}x{k} matrix, got {_shape(w)}")
        if b.shape != (j, 1):
            raise InputError(f"biases[{l - 1}]: layer {l} needs {j} biases (a {j}x1 column), got {_shape(b)}")
        for name, m in (("weights", w), ("biases", b)):
            if not np.all(np.isfinite(m)):
                raise InputError(f"{name}[{l - 1}]: values must be finite numbers (found NaN or inf)")


class Network:
    """Layers of sigmoid neurons. `weights[l-1]` and `biases[l-1]` belong to layer l. `cost`: "quadratic" (the
    article's) or "cross-entropy"; `init`: how random weights are drawn ("standard" N(0, 1), the article's, or
    "scaled" N(0, 1/k) for a neuron with k inputs; the biases are N(0, 1) either way)."""

    def __init__(self, sizes: Sequence[int], weights=None, biases=None, seed: int | None = None,
                 dtype=np.float64, cost: str = "quadratic", init: str = "standard"):
        self.sizes = check_sizes(sizes)
        self.cost = check_choice(cost, COSTS, "cost")
        self.init = check_choice(init, INITS, "init")
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float64, np.float32):
            raise InputError(f"dtype: expected float64 or float32, got {self.dtype}")
        if (weights is None) != (biases is None):
            raise InputError("weights and biases must be given together (or both left out)")
        if weights is None:
            rng = np.random.default_rng(seed)
            pairs = list(zip(self.sizes[:-1], self.sizes[1:]))
            weights = [rng.standard_normal((j, k)) for k, j in pairs]
            biases = [rng.standard_normal((j, 1)) for _, j in pairs]
            if self.init == "scaled":  # the same draws, divided by √k: the same seed gives comparable networks
                weights = [w / np.sqrt(w.shape[1]) for w in weights]
        else:
            weights = [np.array(w, dtype=np.float64, ndmin=2) for w in weights]
            biases = [np.array(b, dtype=np.float64) for b in biases]
            biases = [b.reshape(-1, 1) if b.ndim <= 1 else b for b in biases]  # J numbers: a column
            _check_shapes(self.sizes, weights, biases)
        # All parameters live in one flat buffer, so an update is two numpy calls for the whole
        # network; weights and biases are views into it (edit their elements, never replace them).
        self.params, views = _flat_buffer(self.sizes, self.dtype)
        self.weights, self.biases = views
        for dst, src in zip(self.weights + self.biases, weights + biases):
            dst[...] = src
        self._scaled = np.empty_like(self.params)

    @property
    def num_layers(self) -> int:
        return len(self.sizes)

    def copy(self, dtype=None) -> "Network":
        """The same layers, weights, biases and cost (in `dtype`, or this network's)."""
        return Network(self.sizes, self.weights, self.biases, dtype=dtype or self.dtype, cost=self.cost,
                       init=self.init)

    # -- the math -----------------------------------------------------------------------------

    def feedforward(self, a):
        """Output activations for input columns a (K x B)."""
        for w, b in zip(self.weights, self.biases):
            a = sigmoid(z(w, a, b))
        return a

    def backprop(self, x, y, out: Backprop | None = None) -> Backprop:
        """Forward pass, then backpropagation of the network's cost for input columns x and
        target columns y. ∂C/∂a_prev uses the weights before any update, as the article does. With the
        cross-entropy cost, the output layer's ∂C/∂b is a − y (σ′(z) cancels); its ∂C/∂a, (a − y) / (a(1 − a)),
        is kept for the trace (inf where a has saturated to 0 or 1).
        Everything is written into `out` when given (training reuses one per batch size), else
        into a new Backprop."""
        grads = out if out is not None and out.batch_size == x.shape[1] else self.workspace(x.shape[1])
        zs, a, dc_da, delta = grads.zs, grads.activations, grads.dc_da, grads.delta
        a[0] = x
        with np.errstate(over="ignore"):
            for l, (w, b) in enumerate(zip(self.weights, self.biases), start=1):
                z(w, a[l - 1], b, out=zs[l])
                sigmoid(zs[l], out=a[l])
        L = len(a) - 1
        np.subtract(a[L], y, out=dc_da[L])
        if self.cost == "cross-entropy":
            np.copyto(delta[L], dc_da[L])  # ∂C/∂b_L = a − y
            with np.errstate(divide="ignore", invalid="ignore"):
                np.divide(dc_da[L], a[L] * (1 - a[L]), out=dc_da[L])
        for l in range(L, 0, -1):
            if l < L or self.cost == "quadratic":
                dc_db(a[l], dc_da[l], out=delta[l])
            dc_dw(a[l - 1], delta[l], out=grads.dc_dw[l])
            np.add.reduce(delta[l], axis=1, keepdims=True, out=grads.dc_db[l])
            if l > 1:
                dc_da_prev(self.weights[l - 1], delta[l], out=dc_da[l - 1])
        return grads

    def workspace(self, batch_size: int) -> Backprop:
        """Buffers for one backprop on `batch_size` examples."""
        flat, (matrices, columns) = _flat_buffer(self.sizes, self.dtype)
        columns_of = lambda: [None] + [np.empty((j, batch_size), self.dtype) for j in self.sizes[1:]]
        activations = columns_of()
        return Backprop(columns_of(), activations, columns_of(), columns_of(), [None, *columns], [None, *matrices], flat)

    def update(self, grads: Backprop, step_size: float, batch_size: int = 1, decay: float = 1.0):
        """Gradient descent step, in place: p = p - (Σ_batch ∂C/∂p) * (step_size / batch_size),
        for every weight and bias at once through the flat buffers. With L2 regularisation, every weight is first
        multiplied by `decay` = 1 − η·λ/n (weight_decay), so w = decay·w − ∂C/∂w·η/m (biases are not decayed)."""
        np.multiply(grads.flat, step_size / batch_size, out=self._scaled)
        if decay != 1.0:
            for w in self.weights:
                w *= decay
        np.subtract(self.params, self._scaled, out=self.params)

    def train_step(self, x, y, step_size: float, out: Backprop | None = None, decay: float = 1.0) -> Backprop:
        """One step of gradient descent on the examples in the columns of x and y."""
        grads = self.backprop(x, y, out)
        self.update(grads, step_size, x.shape[1], decay)
        return grads
