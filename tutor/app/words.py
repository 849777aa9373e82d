"""How the texts name the data loaded: MNIST's digits, or Fashion-MNIST's kinds of clothing."""

from __future__ import annotations

from dataclasses import dataclass

from tutor.engine import mnist


@dataclass(frozen=True)
class Words:
    name: str        # the dataset
    images: str      # what its images show ("digits")
    drawing: str     # what the canvas asks for ("a digit")
    classes: str     # what its ten classes are


DIGIT_WORDS = Words("MNIST", "digits", "a digit", "digits")
FASHION_WORDS = Words("Fashion-MNIST", "images of clothing", "something", "kinds of clothing")


def words(label_names) -> Words:
    """The words for a dataset with these class names (mnist.load names Fashion-MNIST's classes)."""
    return DIGIT_WORDS if tuple(label_names) == mnist.DIGIT_NAMES else FASHION_WORDS


def network_name(network, how: str | None = None) -> str:
    """How a view names the network it shows: `how`, as Explore says it ("784-30-10 trained in lesson 10",
    "784-30-10 loaded from net.npz"), else its layer sizes ("784-30-10")."""
    return how or "-".join(map(str, network.sizes))
