"""Messages screens post up to the app, which owns what they share: a network was trained, open a view or a trace."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class NetworkTrained(Message):
    """A training run ended (or an epoch did): the MNIST views (v in a lesson, Explore) look inside this network.
    `how`: where it was trained, as the views say it ("trained on the Train screen", "trained in lesson 10")."""

    network: object  # a tutor.engine.network.Network
    how: str


@dataclass
class OpenView(Message):
    """Open an MNIST view by the name lesson files use (tutor.views), through Explore, which prepares a network."""

    name: str


@dataclass
class OpenTrace(Message):
    """Open the stepper on a network and one example (a tutor.engine.spec.NetworkSpec); with the MNIST `data` it
    came from, the stepper can also train by mini-batch and by epoch."""

    spec: object
    data: object = None  # a tutor.engine.mnist.Mnist


@dataclass
class TrainFormChanged(Message):
    """The Train screen's fields as the learner left them (valid or not), by field, and "save": the path the
    network was saved to last. The app keeps them: the screen opens with them next time."""

    form: dict[str, str]


@dataclass
class CodePathChanged(Message):
    """The learner's own network file (the Your-code screen, a lesson's check step): the app keeps its path for
    the session, so the next screen that asks for it offers the same file."""

    path: str
