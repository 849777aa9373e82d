"""MNIST as the original IDX files: the bundled copy, or any directory holding the four files."""

from __future__ import annotations

import gzip
import hashlib
import math
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from tutor.errors import InputError

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "mnist"
FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
# each kind's magic number (data of unsigned bytes) and dimensions: images count, rows, columns; labels count
KINDS = {"images": (0x00000803, 3), "labels": (0x00000801, 1)}
# bytes of data in one file (MNIST's largest holds 45 MiB, EMNIST digits' 180 MiB): the most a file, or a gzip bomb
# whose header promises less than it holds, can make the reader allocate
MAX_PIXELS = 1 << 20  # pixels an image may have (MNIST's have 784)
MAX_DATA = 200 * 2**20
CHUNK = 2**20           # read (and decompress) this much at a time
VALIDATION_SIZE = 10_000
DIGIT_NAMES = tuple(str(d) for d in range(10))
FASHION_NAMES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                 "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


def as_inputs(images, dtype=np.float64, out=None) -> np.ndarray:
    """Pixels as the network's inputs: bytes 0-255 divided by 255, floats (already in [0, 1]) as
    they are. Every path into the network (training, prediction, the tracer) goes through here,
    so an image is the same numbers wherever it is fed."""
    scale = 255.0 if np.asarray(images).dtype == np.uint8 else 1.0
    return np.divide(images, scale, out=out, dtype=dtype if out is None else out.dtype)


@dataclass(frozen=True)
class Dataset:
    """Images as rows of 0-255 bytes (N x pixels) and their labels (N)."""

    images: np.ndarray
    labels: np.ndarray
    name: str = ""

    def __len__(self) -> int:
        return len(self.labels)

    def input(self, i: int) -> np.ndarray:
        """Image i as the network's input column, pixels scaled to [0, 1]."""
        return as_inputs(self.images[i]).reshape(-1, 1)

    def target(self, i: int, outputs: int = 10) -> np.ndarray:
        """The one-hot column the network should output for image i."""
        y = np.zeros((outputs, 1))
        y[self.labels[i]] = 1.0
        return y

    def head(self, n: int) -> "Dataset":
        return Dataset(self.images[:n], self.labels[:n], self.name)


@dataclass(frozen=True)
class Mnist:
    train: Dataset
    validation: Dataset
    test: Dataset
    source: Path
    label_names: tuple = DIGIT_NAMES

    @property
    def image_size(self) -> int:
        return self.train.images.shape[1]

    @property
    def name(self) -> str:
        """The dataset's name: MNIST, or Fashion-MNIST when its classes are kinds of clothing."""
        return "Fashion-MNIST" if self.label_names == FASHION_NAMES else "MNIST"


def read_idx(path: Path, kind: str = "images", expected_sha256: str | None = None) -> np.ndarray:
    """Read one IDX file of `kind` ("images" or "labels"; gzip-compressed or raw) into a uint8 array, checking
    everything. The header is read first and the data streamed: never more than the header promises plus one byte
    (to find excess), so a gzip bomb costs no more than the largest file allowed."""
    try:
        with open(path, "rb") as f:
            gz = f.read(2) == b"\x1f\x8b"
            f.seek(0)
            if not gz and path.suffix == ".gz":
                raise InputError(f"{path}: not a gzip file (the name ends in .gz but the data does not start "
                                 "like gzip)")
            with gzip.GzipFile(fileobj=f) if gz else f as stream:
                return _read_idx(path, stream, gz, kind, expected_sha256)
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None


def _read_idx(path: Path, stream, gz: bool, kind: str, expected_sha256: str | None) -> np.ndarray:
    digest = hashlib.sha256() if expected_sha256 else None

    def take(n: int) -> bytes:
        """Up to n more bytes of the (decompressed) data."""
        try:
            out = stream.read(n)
        except (EOFError, OSError, zlib.error) as e:
            raise InputError(f"{path}: corrupt or truncated {'gzip data' if gz else 'file'} ({e})") from None
        if digest:
            digest.update(out)
        return out

    magic_bytes = take(4)
    if len(magic_bytes) < 4:
        raise InputError(f"{path}: too short to be an IDX file ({len(magic_bytes)} bytes)")
    magic = int.from_bytes(magic_bytes, "big")
    want, ndim = KINDS[kind]
    if magic != want:
        other = {m: k for k, (m, _) in KINDS.items()}.get(magic)
        found = f"holds {other} (magic 0x{magic:08x})" if other else f"has a wrong magic number 0x{magic:08x}"
        raise InputError(f"{path}: {found}, expected {kind} (magic 0x{want:08x})")
    header = take(4 * ndim)
    if len(header) < 4 * ndim:
        raise InputError(f"{path}: truncated header")
    dims = [int.from_bytes(header[4 * i: 4 * i + 4], "big") for i in range(ndim)]
    shape = "x".join(map(str, dims))
    if ndim == 3 and 0 in dims[1:]:
        raise InputError(f"{path}: header says images of {dims[1]}x{dims[2]} pixels (no pixels)")
    size = math.prod(dims)  # a Python int: four-byte dimensions cannot overflow it
    if size > MAX_DATA:
        raise InputError(f"{path}: header says {shape} = {size:,} bytes of data, more than the {MAX_DATA:,} "
                         "allowed (not an MNIST-sized file)")
    if ndim == 3 and dims[1] * dims[2] > MAX_PIXELS:  # with 0 images the data-size check lets it through
        raise InputError(f"{path}: header says images of {dims[1]}x{dims[2]} pixels, more than the "
                         f"{MAX_PIXELS:,} an image may have")
    data = np.empty(size, dtype=np.uint8)
    got = 0
    while got < size and (chunk := take(min(CHUNK, size - got))):
        data[got: got + len(chunk)] = np.frombuffer(chunk, dtype=np.uint8)
        got += len(chunk)
    if got < size or take(1):
        has = f"{got}" if got < size else "more"
        raise InputError(f"{path}: header says {shape} = {size} bytes of data, the file has {has} "
                         "(truncated or corrupt)")
    if digest and digest.hexdigest() != expected_sha256:
        raise InputError(f"{path}: checksum does not match the original MNIST file (corrupt copy)")
    return data.reshape(dims[0], dims[1] * dims[2]) if ndim == 3 else data  # -1 cannot be worked out for 0 images


def _find(directory: Path, stem: str) -> Path:
    for name in (stem, stem + ".gz"):
        if (directory / name).is_file():
            return directory / name
    for alt in (stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
        if (directory / alt).is_file():
            return directory / alt
    raise InputError(f"{directory}: missing {stem}.gz (or {stem}); a data directory needs the four "
                     "standard MNIST files")


def _checksums(directory: Path) -> dict[str, str]:
    sums = directory / "SHA256SUMS.raw"
    if not sums.is_file():
        return {}
    return {name: digest for digest, name in (line.split() for line in sums.read_text().splitlines() if line.strip())}


@lru_cache(maxsize=4)
def load(directory: str | Path | None = None, validation_size: int = VALIDATION_SIZE) -> Mnist:
    """Load MNIST (bundled, or from a directory with the four standard files).

    The training file is split like the reference code: its last `validation_size` images become
    the validation set. The bundled copy is checked against the original files' SHA-256."""
    bundled = directory is None
    directory = BUNDLED if bundled else Path(directory).expanduser()
    if not directory.is_dir():
        raise InputError(f"{directory}: not a directory")
    sums = _checksums(directory) if bundled else {}
    arrays = {key: read_idx(_find(directory, stem), key.split("_")[1], sums.get(stem)) for key, stem in FILES.items()}
    for part in ("train", "test"):
        images, labels = arrays[f"{part}_images"], arrays[f"{part}_labels"]
        if len(images) == 0:  # nothing to train on, or to score against (every accuracy divides by the count)
            raise InputError(f"{directory}: {FILES[part + '_images']} has no images")
        if len(images) != len(labels):
            raise InputError(f"{directory}: {FILES[part + '_images']} has {len(images)} images but "
                             f"{FILES[part + '_labels']} has {len(labels)} labels")
        if labels.size and labels.max() > 9:
            raise InputError(f"{directory}: {FILES[part + '_labels']} has label {labels.max()} (labels are 0-9)")
    if arrays["train_images"].shape[1] != arrays["test_images"].shape[1]:
        raise InputError(f"{directory}: training and test images differ in size")
    n = len(arrays["train_labels"])
    v = min(validation_size, n // 6)
    train = Dataset(arrays["train_images"][: n - v], arrays["train_labels"][: n - v], "train")
    validation = Dataset(arrays["train_images"][n - v:], arrays["train_labels"][n - v:], "validation")
    test = Dataset(arrays["test_images"], arrays["test_labels"], "test")
    names = FASHION_NAMES if "fashion" in str(directory).lower() else DIGIT_NAMES
    return Mnist(train, validation, test, directory, names)
