"""Shared fixtures: small MNIST-format data directories written from the bundled copy."""

import asyncio
import gzip
import time
from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Input

from tutor.app.screens.train import TrainScreen


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
    """No test reads or writes the real learner's progress (~/.local/share/tutor)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))


@pytest.fixture
def small_data(tmp_path) -> Path:
    return write_dataset(tmp_path / "small")


async def open_train(pilot, **values) -> TrainScreen:
    """From the home screen, open the training screen and fill in its fields (train-images, train-epochs, ...)."""
    await pilot.press("t")
    screen = pilot.app.screen
    assert isinstance(screen, TrainScreen)
    for key, value in values.items():
        screen.query_one(f"#train-{key}", Input).value = value
    await pilot.pause()
    return screen


async def wait_until(condition, timeout: float = 30.0, poll: float = 0.02) -> None:
    """Let the app run until condition() holds; fail after `timeout` seconds."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, "timed out"
        await asyncio.sleep(poll)
