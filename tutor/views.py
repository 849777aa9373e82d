"""The views inside a trained MNIST network, in one registry: the Explore screen's keys and menu, the names lesson
files use (view = "..."), the network each needs and the screen that shows it. Adding a view is one row here and
its screen. No UI is imported: the lesson checker reads the names, the app opens the screens."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class View:
    name: str                 # what a lesson writes: view = "mnist-browser"
    title: str                # what it is, in a few words: "MNIST browser"
    screen: str               # "module:Class", built as Class(network, data)
    key: str = ""             # its key and entry on the Explore screen ('': lessons only, a variant of another)
    short: str = ""           # its key's name in the footer
    label: str = ""           # the Explore menu's text
    network: tuple[int, ...] | None = None  # the architecture it needs trained; None: the one being explored

    @property
    def id(self) -> str:
        """The view's screen, named for the Explore screen's bindings ("browser", "hidden", ...)."""
        return self.screen.rsplit(".", 1)[-1].split(":")[0]


VIEWS = (
    View("mnist-browser", "MNIST browser", "tutor.app.screens.browser:BrowserScreen", "b", "Browse",
         "Browse the images: label, the ten output activations, trace any image"),
    View("hidden", "hidden-neuron view", "tutor.app.screens.hidden:HiddenScreen", "h", "Hidden",
         "What the hidden neurons look at: their incoming weights as images"),
    View("hidden-16", "hidden neurons of 784-16-16-10", "tutor.app.screens.hidden:HiddenScreen",
         network=(784, 16, 16, 10)),
    View("random-pixels", "random-pixel demo", "tutor.app.screens.noise:NoiseScreen", "r", "Noise",
         "Random pixels: how sure is the network about noise?"),
    View("draw", "draw-a-digit canvas", "tutor.app.screens.draw:DrawScreen", "d", "Draw",
         "Draw on a canvas and watch the answer change"),
    View("confusion", "confusion matrix", "tutor.app.screens.confusion:ConfusionScreen", "c", "Confusion",
         "Confusion matrix of the test set"),
)
LESSON_VIEWS = {view.name: view for view in VIEWS}
MENU = tuple(view for view in VIEWS if view.key)  # the Explore screen's entries, in order
