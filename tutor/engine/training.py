"""The MNIST training run, written once: the article's settings, their checks against the data, mini-batch SGD
over images, and prediction. The command line, the Train screen, Explore and the lessons all train through run().

The network (tutor.engine.network) knows columns of numbers; turning a row of pixel bytes into such a column
(tutor.engine.mnist.as_inputs) happens here, a chunk of images at a time, so the images stay bytes in memory.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from tutor.engine.mnist import BUNDLED, Mnist, as_inputs
from tutor.engine.network import COSTS, INITS, Network, check_choice, check_sizes
from tutor.errors import InputError

INPUTS = 784        # MNIST's 28 x 28 pixels
CLASSES = 10        # its ten digits (Fashion-MNIST: ten kinds of clothing)
MAX_EPOCHS = 1000
MAX_STEP_SIZE = 1e6  # the article's is 3.0; far larger only saturates every neuron (and 1e308 overflows to inf)
MAX_LMBDA = 1e6      # the book's are 0.1 to 5.0


@dataclass(frozen=True)
class Config:
    """One training run, with the article's settings as defaults: 784-30-10, 30 epochs, mini-batches of 10,
    η = 3.0, on every training image (limit 0), the quadratic cost, standard normal weights, no regularisation.
    Nielsen's chapter 3 changes `cost` ("cross-entropy"), `init` ("scaled") and `lmbda` (L2, λ > 0)."""

    layers: tuple[int, ...] = (INPUTS, 30, CLASSES)
    epochs: int = 30
    batch_size: int = 10
    step_size: float = 3.0
    limit: int = 0                  # train on the first `limit` training images; 0: all of them
    seed: int | None = None         # the initial weights and the shuffling; None: different every run
    dtype: str = "float64"
    cost: str = "quadratic"
    init: str = "standard"
    lmbda: float = 0.0

    def checked(self, fields: dict[str, str] | None = None) -> "Config":
        """This config with its values checked (InputError naming the field: `fields` maps a setting to the
        name the user knows it by, e.g. {"step_size": "--eta"}) and the layers as a tuple of ints."""
        name = {k: k for k in ("layers", "epochs", "batch_size", "step_size", "limit", "seed", "dtype", "cost", "init",
                               "lmbda")}
        name.update(fields or {})

        def whole(key: str, value, low: int, high: int | None = None) -> None:
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise InputError(f"{name[key]}: must be a whole number, got {value!r}", field=key)
            if value < low or (high is not None and value > high):
                within = f"between {low} and {high}" if high is not None else f">= {low}"
                raise InputError(f"{name[key]}: must be {within}, got {value}", field=key)

        if not isinstance(self.layers, (list, tuple)):
            raise InputError(f"{name['layers']}: expected a list of layer sizes, got {self.layers!r}", field="layers")
        layers = tuple(check_sizes(self.layers, name["layers"]))
        whole("epochs", self.epochs, 1, MAX_EPOCHS)
        whole("batch_size", self.batch_size, 1)
        whole("limit", self.limit, 0)
        if self.seed is not None:
            whole("seed", self.seed, 0)
        step = self.step_size
        if isinstance(step, bool) or not isinstance(step, (int, float)) or not 0 < step <= MAX_STEP_SIZE:
            raise InputError(f"{name['step_size']}: must be a number > 0 and at most {MAX_STEP_SIZE:,.0f}, got {step!r}",
                             field="step_size")
        if self.dtype not in ("float64", "float32"):
            raise InputError(f"{name['dtype']}: float64 or float32, got {self.dtype!r}", field="dtype")
        check_choice(self.cost, COSTS, name["cost"])
        check_choice(self.init, INITS, name["init"])
        lmbda = self.lmbda
        if isinstance(lmbda, bool) or not isinstance(lmbda, (int, float)) or not 0 <= lmbda <= MAX_LMBDA:
            raise InputError(f"{name['lmbda']}: must be a number from 0 (no regularisation) to {MAX_LMBDA:,.0f}, got "
                             f"{lmbda!r}", field="lmbda")
        return replace(self, layers=layers, step_size=float(step), lmbda=float(lmbda))


def check_layers(sizes, field: str = "layers", inputs: int = INPUTS, classes: int = CLASSES,
                 dataset: str | None = "MNIST") -> list[int]:
    """The layer sizes of a network for this data: valid sizes, `inputs` in (one per pixel), `classes` out (one per
    class); InputError naming `field` otherwise. Without data at hand, MNIST's 784 and 10 (`dataset` None: data not
    known yet, named in no message)."""
    sizes = check_sizes(sizes, field)
    if sizes[0] != inputs or sizes[-1] != classes:
        data = f" for {dataset}" if dataset else ""
        raise InputError(f"{field}: the first layer must be {inputs} (one per pixel) and the last {classes} (one per "
                         f"class){data}, got {sizes[0]} and {sizes[-1]}", field=field)
    return sizes


def fits(sizes, data: Mnist) -> bool:
    """Whether a network of these layer sizes reads this data's images and has one output per class."""
    return sizes[0] == data.image_size and sizes[-1] == len(data.label_names)


def check_fits(sizes, data: Mnist, field: str = "layers") -> list[int]:
    """check_layers against the data loaded: its image size and its number of classes."""
    where = data.name if data.source == BUNDLED else f"{data.name} in {data.source}"
    return check_layers(sizes, field, data.image_size, len(data.label_names), where)


@dataclass(frozen=True)
class EpochResult:
    epoch: int
    correct: int | None
    total: int
    seconds: float


@dataclass
class Run:
    """What run() trained: the network, one result per completed epoch, the images it trained on."""

    network: Network
    results: list[EpochResult]
    images: int
    config: Config

    @property
    def stopped(self) -> bool:
        return len(self.results) < self.config.epochs

    @property
    def best(self) -> float:
        return max((r.correct / r.total for r in self.results if r.total), default=0.0)


def new_network(config: Config) -> Network:
    """The network a run of `config` starts from: its layers, random weights from its seed."""
    return Network(config.layers, seed=config.seed, dtype=config.dtype, cost=config.cost, init=config.init)


def run(config: Config, data: Mnist, *, on_progress: Callable[[int, int, int], None] | None = None,
        on_epoch: Callable[[EpochResult], None] | None = None, should_stop: Callable[[], bool] | None = None,
        fields: dict[str, str] | None = None, network: Network | None = None) -> Run:
    """Train a new network as `config` says on `data` (its first `limit` training images), scoring it on the test
    images after each epoch. Callbacks as sgd's; InputError (naming the field) for settings that do not fit.
    `network`: train this one, made by new_network(config) (a caller that shows it while it trains)."""
    config = config.checked(fields)
    check_fits(config.layers, data, (fields or {}).get("layers", "layers"))
    train = data.train.head(config.limit) if config.limit else data.train
    network = network if network is not None else new_network(config)
    results = sgd(network, train.images, train.labels, config.epochs, config.batch_size, config.step_size,
                  seed=config.seed, test=(data.test.images, data.test.labels), on_progress=on_progress,
                  on_epoch=on_epoch, should_stop=should_stop, lmbda=config.lmbda)
    return Run(network, results, len(train), config)


def sgd(network: Network, images, labels, epochs: int, batch_size: int, step_size: float, seed: int | None = None,
        test: tuple | None = None, on_progress: Callable[[int, int, int], None] | None = None,
        on_epoch: Callable[[EpochResult], None] | None = None,
        should_stop: Callable[[], bool] | None = None, lmbda: float = 0.0) -> list[EpochResult]:
    """Mini-batch stochastic gradient descent of `network` over rows of images (uint8) with class labels.

    Each epoch shuffles the examples (from `seed`), then makes one update per mini-batch with the gradient
    averaged over the batch. on_progress(epoch, done, total) is called every few hundred examples and
    should_stop() is checked as often: a stop ends training after the current chunk, keeping what was learned.
    With `lmbda` > 0 (L2 regularisation), every update first shrinks the weights by 1 − η·λ/n, n the number of
    images. Returns one EpochResult per completed epoch."""
    rng = np.random.default_rng(seed)
    n, outputs = len(images), network.sizes[-1]
    decay = 1.0 - step_size * lmbda / n if lmbda else 1.0
    batch_size = max(1, min(batch_size, n))  # a batch larger than the data is all of it (buffers follow it)
    eye = np.eye(outputs, dtype=network.dtype)
    chunk = batch_size * max(1, 1000 // batch_size)
    results, workspaces = [], {}
    xs_buffer = np.empty((chunk, images.shape[1]), dtype=network.dtype)
    for epoch in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(n)
        for s in range(0, n, chunk):
            if should_stop and should_stop():
                return results
            idx = order[s: s + chunk]
            # this chunk's rows as floats in [0, 1]; images stay uint8 until a batch needs them
            xs = as_inputs(images[idx], out=xs_buffer[: len(idx)])
            ys = eye[labels[idx]]
            for j in range(0, len(idx), batch_size):
                x, y = xs[j: j + batch_size].T, ys[j: j + batch_size].T
                if x.shape[1] not in workspaces:
                    workspaces[x.shape[1]] = network.workspace(x.shape[1])
                network.train_step(x, y, step_size, workspaces[x.shape[1]], decay)
            if on_progress:
                on_progress(epoch, min(s + chunk, n), n)
        correct = evaluate(network, *test) if test is not None else None
        result = EpochResult(epoch, correct, len(test[1]) if test is not None else 0, time.perf_counter() - start)
        results.append(result)
        if on_epoch:
            on_epoch(result)
    return results


def predict(network: Network, images, chunk: int = 2000) -> np.ndarray:
    """The predicted class of each row of images (N x pixels, uint8 0-255 or floats in [0, 1])."""
    out = np.empty(len(images), dtype=np.int64)
    for s in range(0, len(images), chunk):
        x = as_inputs(images[s: s + chunk], network.dtype)
        out[s: s + chunk] = np.argmax(network.feedforward(x.T), axis=0)
    return out


def evaluate(network: Network, images, labels) -> int:
    """How many rows of images the network classifies as their label."""
    return int(np.count_nonzero(predict(network, images) == labels))


def gradient_sizes(network: Network, images, labels, count: int = 1000) -> list[float]:
    """‖∂C/∂b‖ of each hidden layer (layer 1 first), ∂C/∂b averaged over the first `count` images, as Nielsen's
    chapter 5 measures how fast each layer learns: the layers far from the output get the smaller gradients."""
    count = min(count, len(images))
    x = as_inputs(images[:count], network.dtype).T
    y = np.eye(network.sizes[-1], dtype=network.dtype)[labels[:count]].T
    grads = network.copy().backprop(x, y)
    return [float(np.linalg.norm(grads.dc_db[l] / count)) for l in range(1, network.num_layers - 1)]
