"""Trained networks saved as .npz (plain arrays, no pickle: loading never runs code)."""

from __future__ import annotations

import stat
import time
import zipfile
from pathlib import Path

import numpy as np

from tutor.engine.network import Network
from tutor.errors import InputError
from tutor.files import STALE_AFTER, atomic_write, check_writable


def save_network(network: Network, path: str | Path) -> Path:
    """Save the weights and biases at `path`, atomically (tutor.files.atomic_write): a failed or interrupted save
    keeps the file that was there; a symlink keeps pointing at the file saved. InputError if it cannot be written."""
    arrays = {"sizes": np.array(network.sizes, dtype=np.int64)}
    for i, (w, b) in enumerate(zip(network.weights, network.biases)):
        arrays[f"w{i}"], arrays[f"b{i}"] = w, b
    atomic_write(path, lambda f: np.savez(f, **arrays))
    _remove_old_partial(Path(path))
    return Path(path)


def check_save_path(path: str | Path) -> None:
    """InputError unless save_network(..., path) can be expected to work: checked before training, not after."""
    check_writable(path)


def _remove_old_partial(path: Path) -> None:
    """Earlier versions saved through NAME.partial; one left by a killed save, over an hour old, goes."""
    partial = path.with_name(path.name + ".partial")
    try:
        st = partial.lstat()
        if stat.S_ISREG(st.st_mode) and time.time() - st.st_mtime > STALE_AFTER:
            partial.unlink()
    except OSError:
        pass


def load_network(path: str | Path) -> Network:
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            if "sizes" not in data:
                raise InputError(f"{path}: not a tutor network file (no 'sizes' array)")
            sizes = [int(s) for s in data["sizes"]]
            layers = len(sizes) - 1
            missing = [k for i in range(layers) for k in (f"w{i}", f"b{i}") if k not in data]
            if missing:
                raise InputError(f"{path}: missing array '{missing[0]}'")
            weights = [data[f"w{i}"] for i in range(layers)]
            biases = [data[f"b{i}"] for i in range(layers)]
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except (OSError, ValueError, TypeError, zipfile.BadZipFile, EOFError) as e:  # TypeError: sizes not a list
        if isinstance(e, InputError):
            raise
        raise InputError(f"{path}: not a readable .npz network file ({e})") from None
    try:
        return Network(sizes, weights, biases)
    except (ValueError, TypeError) as e:  # InputError, or arrays numpy cannot take as numbers
        raise InputError(f"{path}: {e}") from None
