"""Trained networks saved as .npz (plain arrays, no pickle: loading never runs code)."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np

from tutor.engine.network import Network
from tutor.errors import InputError


def save_network(network: Network, path: str | Path) -> Path:
    path = Path(path)
    if not path.name:  # "." or "/": no file name to write to (nor to make the temporary file's from)
        raise InputError(f"{path}: a directory, not a file name (e.g. tutor-network.npz)")
    arrays = {"sizes": np.array(network.sizes, dtype=np.int64)}
    for i, (w, b) in enumerate(zip(network.weights, network.biases)):
        arrays[f"w{i}"], arrays[f"b{i}"] = w, b
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "wb") as f:
            np.savez(f, **arrays)
        os.replace(partial, path)  # an interrupted save never leaves a half-written network behind
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write ({e.strerror})") from None
    return path


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
