"""Trained networks saved as .npz (plain arrays, no pickle: loading never runs code)."""

from __future__ import annotations

import math
import os
import stat
import time
import zipfile
import zlib
from pathlib import Path

import numpy as np

from tutor.engine.network import MAX_PARAMETERS, Network, check_sizes
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
    """The network saved at `path`. Every member is checked from the zip directory and its .npy header (method,
    flags, dtype, shape, within the network size limit) before anything is allocated; any fault is one InputError
    naming the file."""
    path = Path(path)
    try:
        f = _open_regular(path)
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    try:
        with f, zipfile.ZipFile(f) as zf:
            sizes = check_sizes([int(s) for s in _read_array(zf, "sizes", "iu")], "sizes")
            pairs = list(zip(sizes[:-1], sizes[1:]))
            weights = [_read_array(zf, f"w{i}", "iuf", (j, k)) for i, (k, j) in enumerate(pairs)]
            biases = [_read_array(zf, f"b{i}", "iuf", (j, 1)) for i, (_, j) in enumerate(pairs)]
    except InputError as e:
        raise InputError(f"{path}: {e}", field=e.field) from None
    except (OSError, EOFError, ValueError, NotImplementedError, zipfile.BadZipFile, zlib.error) as e:
        # ValueError: also a name not in UTF-8; NotImplementedError: a zip format version past what zipfile reads
        raise InputError(f"{path}: not a readable .npz network file ({_first_line(e)})") from None
    try:
        return Network(sizes, weights, biases)
    except InputError as e:  # values that are not finite numbers
        raise InputError(f"{path}: {e}") from None


NPY_VERSIONS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
UNREADABLE_FLAGS = 0x1 | 0x20 | 0x40  # encrypted, compressed patched data, strong encryption


def _open_regular(path: Path):
    """`path` opened for reading if it is a regular file (a FIFO would block the open, a device never end)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InputError(f"{path}: not a regular file (a FIFO, a device or a directory)")
    return os.fdopen(fd, "rb")


def _read_array(zf: zipfile.ZipFile, name: str, kinds: str, shape: tuple | None = None) -> np.ndarray:
    """Array `name` of the .npz, of a numpy dtype kind in `kinds`; of `shape` when given, else one dimension."""
    try:
        info = zf.getinfo(name + ".npy")
    except KeyError:
        raise InputError(f"missing array '{name}'" if name != "sizes" else
                         "not a tutor network file (no 'sizes' array)") from None
    if info.flag_bits & UNREADABLE_FLAGS:
        raise InputError(f"{name}: encrypted or patched zip member (flags 0x{info.flag_bits:04x}); tutor saves "
                         "plain arrays")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise InputError(f"{name}: zip compression method {info.compress_type} (only stored or deflated)")
    with zf.open(info) as f:
        version = np.lib.format.read_magic(f)
        if version not in NPY_VERSIONS:
            raise InputError(f"{name}: .npy format version {version[0]}.{version[1]} (1.0 or 2.0)")
        try:
            got, fortran, dtype = NPY_VERSIONS[version](f)
        except (ValueError, TypeError, SyntaxError, RecursionError, OverflowError) as e:
            raise InputError(f"{name}: bad .npy header ({_first_line(e)})") from None
        if dtype.kind not in kinds or dtype.fields or dtype.subdtype:
            raise InputError(f"{name}: {dtype} values (expected {'whole ' if kinds == 'iu' else ''}numbers)")
        text = "x".join(map(str, got)) or "a single number"
        if shape is not None and got != shape:
            layer = int(name[1:]) + 1
            need = f"a {shape[0]}x{shape[1]} matrix" if name[0] == "w" else f"{shape[0]} biases as a column"
            raise InputError(f"{name}: layer {layer} needs {need}, got {text}")
        if shape is None and len(got) != 1:
            raise InputError(f"{name}: expected a list of layer sizes, got {text}")
        count = math.prod(got)
        if any(d < 0 for d in got):
            raise InputError(f"{name}: bad .npy header (shape {text})")
        if count > MAX_PARAMETERS:
            raise InputError(f"{name}: {text} = {count:,} values, more than a network may have ({MAX_PARAMETERS:,})")
        data = f.read(count * dtype.itemsize)
        if len(data) < count * dtype.itemsize:
            raise InputError(f"{name}: truncated ({len(data)} of {count * dtype.itemsize} bytes)")
        if f.read(1):  # at the end, zipfile checks the member's CRC
            raise InputError(f"{name}: more data than its header says")
    return np.frombuffer(data, dtype).reshape(got, order="F" if fortran else "C")


def _first_line(e: Exception, limit: int = 200) -> str:
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    return text if len(text) <= limit else text[:limit] + "..."
