"""Messages a training worker posts to the widget that shows the run (thread-safe via post_message)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual.message import Message
from textual.message_pump import MessagePump


@dataclass
class TrainingProgress(Message):
    """How far the current epoch is; a newer one replaces one still waiting in the queue."""

    epoch: int
    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, TrainingProgress)


@dataclass
class EpochDone(Message):
    """One epoch finished: test images right and the seconds it took."""

    epoch: int
    correct: int
    total: int
    seconds: float
    network: object = None  # a copy of the network as this epoch left it, when asked for
    gradients: tuple = ()   # ‖∂C/∂b‖ of each hidden layer after this epoch, when asked for


def reporters(target: MessagePump, interval: float = 0.2, network=None, gradients_from=None):
    """on_progress and on_epoch callbacks for Network.sgd that post to `target`, progress at most
    every `interval` seconds (and always at the end of an epoch). With `network`, each EpochDone
    carries a copy of it, taken in the training thread between two epochs, so it is never torn; with
    `gradients_from` (training images, labels) too, ‖∂C/∂b‖ of its hidden layers (Nielsen's chapter 5)."""
    last = [0.0]

    def on_progress(epoch: int, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= interval or done == total:
            last[0] = now
            target.post_message(TrainingProgress(epoch, done, total))

    def on_epoch(result) -> None:
        snapshot = network.copy() if network is not None else None
        gradients = ()
        if snapshot is not None and gradients_from is not None and snapshot.num_layers > 2:
            from tutor.engine.training import gradient_sizes

            gradients = tuple(gradient_sizes(snapshot, *gradients_from))
        target.post_message(EpochDone(result.epoch, result.correct, result.total, result.seconds, snapshot,
                                      gradients))

    return on_progress, on_epoch
