"""Shared fixtures: small MNIST-format data directories written from the bundled copy."""

import tutor  # noqa: F401  first: it sets numpy's BLAS threads before numpy is imported

import asyncio
import os
import functools
import gc
import gzip
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings
import textual._wait
import textual.app
import textual.constants
import textual.pilot
from textual import events
from textual.geometry import Size
from textual.widgets import Input
from textual.worker import WorkerCancelled, WorkerFailed

from tutor.app.screens.train import TrainScreen

REAL_WAIT_FOR_IDLE = textual._wait.wait_for_idle

# A Textual app makes and drops many small objects on every frame; collecting cycles every 700 allocations (the
# default) took about a sixth of an app test's time. Every 100,000 is plenty for a test process.
gc.set_threshold(100_000, 50, 100)

# The fuzz tests (tests/test_fuzz_*.py) try the same examples on every run of the suite, so it passes or fails the
# same way each time; FUZZ_SCALE=20 (say) searches wider with fresh random examples, to find what is still wrong.
settings.register_profile("suite", derandomize=True, database=None)
settings.register_profile("search", derandomize=False, database=None)
settings.load_profile("suite" if os.environ.get("FUZZ_SCALE", "1") == "1" else "search")
# No animation in tests (as under TEXTUAL_ANIMATIONS=none): a scroll or a fade lands at once instead of drawing
# frames for a fifth of a second while a test waits; what is on the screen afterwards is the same.
textual.constants.TEXTUAL_ANIMATIONS = "none"


def write_idx(path: Path, array: np.ndarray, compress: bool = True) -> Path:
    array = np.ascontiguousarray(array, dtype=np.uint8)
    magic = 0x00000803 if array.ndim == 3 else 0x00000801
    header = magic.to_bytes(4, "big") + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    data = header + array.tobytes()
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


def write_dataset(directory: Path, train=(600, 28), test=(100, 28), compress=True) -> Path:
    """A directory with the four standard files: the first images of the bundled MNIST."""
    from tutor.engine import mnist

    data = mnist.load()
    directory.mkdir(parents=True, exist_ok=True)
    ext = ".gz" if compress else ""
    for (n, side), images, labels, stem in (
        (train, data.train.images, data.train.labels, "train"),
        (test, data.test.images, data.test.labels, "t10k"),
    ):
        imgs = images[:n].reshape(n, 28, 28)[:, :side, :side]
        write_idx(directory / f"{stem}-images-idx3-ubyte{ext}", imgs, compress)
        write_idx(directory / f"{stem}-labels-idx1-ubyte{ext}", labels[:n], compress)
    return directory


@pytest.fixture(autouse=True)
def private_progress(tmp_path_factory, monkeypatch):
    """No test reads or writes the real learner's progress (~/.local/share/tutor) or error log (~/.local/state)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("xdg-state")))


@pytest.fixture(autouse=True)
def quick_idle(monkeypatch):
    """Pilot's pause() (and each key it presses) waits for the app to go idle, which Textual measures in 20 ms
    windows; 5 ms ones make every app test faster, and the timing of presses closer to a quick typist's (the neuron
    inspector's crash showed up only so). Textual tells idle by the process's CPU time, which a worker thread that
    trains keeps advancing: then every pause lasted its full second; 0.2 s is plenty for the UI thread to handle
    what is queued (tests wait on conditions for what a worker sends)."""
    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.005)
    monkeypatch.setattr(textual._wait, "SLEEP_IDLE", 0.00025)
    quick = functools.partial(REAL_WAIT_FOR_IDLE, max_sleep=0.2)
    monkeypatch.setattr(textual.pilot, "wait_for_idle", lambda min_sleep=0.005, max_sleep=0.2: quick(min_sleep))
    monkeypatch.setattr(textual.app, "wait_for_idle", lambda min_sleep=0.005, max_sleep=0.2: quick(min_sleep))
    monkeypatch.setattr(textual.pilot.Pilot, "pause", pause_for_new_screens)


REAL_PAUSE = textual.pilot.Pilot.pause


async def pause_for_new_screens(pilot, delay: float | None = None) -> None:
    """Pilot.pause, and when a screen opened or closed meanwhile, until the new top screen has handled what it was
    sent (composed its widgets): a pause that ended on a busy machine before that left a test to query a dialog
    with no fields yet."""
    screen = pilot.app.screen
    await REAL_PAUSE(pilot, delay)
    if pilot.app.is_running and pilot.app.screen is not screen:
        await pilot._wait_for_screen()


@pytest.fixture
def small_data(tmp_path) -> Path:
    return write_dataset(tmp_path / "small")


@pytest.fixture(scope="session")
def shared_data(tmp_path_factory) -> Path:
    """600 training and 100 test images of MNIST, written once for the whole run (read-only: do not change)."""
    return write_dataset(tmp_path_factory.mktemp("shared") / "mnist")


@pytest.fixture(scope="session")
def net():
    """784-30-10 trained briefly on 3,000 MNIST images: right often, wrong often enough to find mistakes."""
    from tutor.engine import mnist, training
    from tutor.engine.network import Network

    data = mnist.load()
    network = Network([784, 30, 10], seed=1)
    training.sgd(network, data.train.images[:3000], data.train.labels[:3000], 2, 10, 3.0, seed=1)
    return network


# -- driving the app ------------------------------------------------------------------------------------------

CHARACTERS = {"space": " ", "question_mark": "?", "full_stop": ".", "minus": "-", "greater_than_sign": ">"}


def check(app) -> None:
    """The app is still running with nothing raised."""
    assert app._exception is None, f"the app raised {app._exception!r}"
    assert app.is_running, "the app has stopped"


def post(app, *keys) -> None:
    """Keys (and sizes, as (width, height)) queued at once, as fast as a typist or a terminal being resized:
    none of them waits for what the one before it set off."""
    for key in keys:
        if isinstance(key, tuple):
            app.post_message(events.Resize(Size(*key), Size(*key)))
        else:
            app.post_message(events.Key(key, key if len(key) == 1 else CHARACTERS.get(key)))


async def until(pilot, condition, seconds: float = 20.0) -> None:
    """Let the app run until condition() holds, checking it is still running; fail after `seconds`."""
    for _ in range(int(seconds / 0.02)):
        check(pilot.app)
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("timed out waiting for the app")


async def wait_until(condition, timeout: float = 30.0, poll: float = 0.02) -> None:
    """Let the app run until condition() holds, without waiting for it to go idle; fail after `timeout` seconds."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, "timed out"
        await asyncio.sleep(poll)


async def settle(pilot, seconds: float = 0.3) -> None:
    """Let the app run a while (late worker results, refreshes after a resize), checking it all along."""
    for _ in range(int(seconds / 0.05)):
        await pilot.pause(0.05)
        check(pilot.app)


async def workers_done(pilot) -> None:
    """Wait for the app's background work (loading, training, classifying) and for what it sets off (a screen
    that opens when a network is ready starts work of its own), then for the screen to update."""
    for _ in range(100):
        await pilot.pause()
        running = [worker for worker in pilot.app.workers if not worker.is_finished]
        if not running:
            return
        for worker in running:
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):
                pass
    raise AssertionError("the app's workers never finished")


def text(node, selector: str | None = None) -> str:
    """What a widget shows (or the widget `selector` finds in `node`), as plain text."""
    return str((node.query_one(selector) if selector else node).render())


async def open_train(pilot, **values) -> TrainScreen:
    """From the home screen, open the training screen and fill in its fields (train-images, train-epochs, ...)."""
    await pilot.press("t")
    screen = pilot.app.screen
    assert isinstance(screen, TrainScreen)
    for key, value in values.items():
        screen.query_one(f"#train-{key}", Input).value = value
    await pilot.pause()
    return screen
