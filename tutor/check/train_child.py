"""In the child: MNIST trained with the learner's own Network, one example at a time as the article does, from the
engine's initial weights and in the engine's example order (the same seeded permutation per epoch as
tutor.engine.training.sgd), each epoch scored on the test images by their own forward pass."""

from __future__ import annotations

import time

import numpy as np

from tutor.check.child import CallFailed, Child, unpacked
from tutor.check.recorder import shape_of

PROGRESS = 1000  # examples between two words to the parent (which call runs, for a time-limit message)


def train(child: Child, request: dict) -> None:
    from tutor.engine import mnist

    shape = shape_of(child)
    data = mnist.load(request["data"])
    train_set = data.train.head(request["limit"]) if request["limit"] else data.train
    layers = request["layers"]
    w = [np.array(v) for v in unpacked(dict(enumerate(request["w"]))).values()]
    b = [np.array(v) for v in unpacked(dict(enumerate(request["b"]))).values()]
    eta = float(request["eta"])
    net = _network(child, shape, layers, w, b)
    step, guess = (_article_step, _article_guess) if shape == "article" else (_nielsen_step, _nielsen_guess)
    eye = np.eye(layers[-1])
    rng = np.random.default_rng(request["seed"])
    n = len(train_set)
    for epoch in range(request["epochs"]):
        start = time.perf_counter()
        order = rng.permutation(n)
        for done in range(0, n, PROGRESS):
            idx = order[done: done + PROGRESS]
            what = "feed_forward and propagate_backward" if shape == "article" else "update_mini_batch"
            child.announce(f"{what} on training images {done + 1}-{done + len(idx)} of {n}, epoch {epoch + 1}")
            xs = mnist.as_inputs(train_set.images[idx])
            for j, (x, label) in enumerate(zip(xs, train_set.labels[idx])):
                child.guarded(f"{what} on training image {done + j + 1}, epoch {epoch + 1}", step, net, x,
                              eye[label], eta, announce=False)
        what = "feed_forward" if shape == "article" else "feedforward"
        child.announce(f"{what} on the {len(data.test):,} test images, epoch {epoch + 1}")
        correct = 0
        for s in range(0, len(data.test), PROGRESS):
            xs = mnist.as_inputs(data.test.images[s: s + PROGRESS])
            for j, (x, label) in enumerate(zip(xs, data.test.labels[s: s + PROGRESS])):
                correct += int(child.guarded(f"{what} on test image {s + j + 1}", guess, net, x, announce=False)
                               == label)
        child.say(epoch=epoch + 1, correct=correct, total=len(data.test), seconds=time.perf_counter() - start)


def _network(child: Child, shape: str, layers, w, b):
    if shape == "article":
        return child.guarded(f"Network({layers}, b=…, w=…)", child.module.Network, list(layers),
                             b=[v.copy() for v in b], w=[v.copy() for v in w])
    net = child.guarded(f"Network({layers})", child.module.Network, list(layers))
    net.biases, net.weights = [v.copy() for v in b], [v.copy() for v in w]
    return net


def _article_step(net, x, y, eta) -> None:
    net.feed_forward(x)
    net.propagate_backward(y, eta)


def _article_guess(net, x) -> int:
    net.feed_forward(x)
    return int(np.argmax(net.a[-1]))


def _nielsen_step(net, x, y, eta) -> None:
    net.update_mini_batch([(x.reshape(-1, 1), y.reshape(-1, 1))], eta)


def _nielsen_guess(net, x) -> int:
    return int(np.argmax(net.feedforward(x.reshape(-1, 1))))


__all__ = ["train", "CallFailed"]
