"""The bundled MNIST and the IDX reader."""

import gzip
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tutor.cli import main
from tutor.engine import mnist
from tutor.engine.model_file import save_network
from tutor.engine.network import Network
from conftest import write_dataset, write_idx


def test_bundled_mnist_is_complete_and_split_like_the_reference_code():
    data = mnist.load()
    assert (len(data.train), len(data.validation), len(data.test)) == (50_000, 10_000, 10_000)
    assert data.train.images.shape == (50_000, 784) and data.train.images.dtype == np.uint8
    assert list(data.train.labels[:10]) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert list(data.test.labels[:10]) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    counts = np.bincount(np.concatenate([data.train.labels, data.validation.labels]), minlength=10)
    assert list(counts) == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert list(np.bincount(data.test.labels)) == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_inputs_are_scaled_columns_and_targets_one_hot():
    data = mnist.load()
    x, y = data.train.input(0), data.train.target(0)
    assert x.shape == (784, 1) and 0 <= x.min() and x.max() == 1.0
    assert y.shape == (10, 1) and y[5, 0] == 1 and y.sum() == 1


def test_a_directory_of_raw_or_gz_files_reads_the_same(tmp_path):
    gz = mnist.load(write_dataset(tmp_path / "gz"))
    raw = mnist.load(write_dataset(tmp_path / "raw", compress=False))
    np.testing.assert_array_equal(gz.train.images, raw.train.images)
    assert len(gz.train) + len(gz.validation) == 600 and len(gz.test) == 100
    assert gz.label_names[3] == "3"


def test_fashion_directory_gets_class_names(tmp_path):
    data = mnist.load(write_dataset(tmp_path / "fashion-mnist"))
    assert data.label_names[9] == "Ankle boot"


# -- hostile data files: one line naming the file, exit 2; bounded time and memory ----------------------------------

def header(magic: int, *dims: int) -> bytes:
    return magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in dims)


def train_error(capsys, directory) -> str:
    code = main(["train", "--data", str(directory), "--epochs", "1", "--limit", "100"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    return err


def test_an_images_file_holding_labels_is_refused(tmp_path, capsys):
    directory = write_dataset(tmp_path / "data")
    write_idx(directory / "train-images-idx3-ubyte.gz", mnist.load().train.labels[:600])
    err = train_error(capsys, directory)
    assert "train-images-idx3-ubyte.gz: holds labels (magic 0x00000801), expected images" in err


def test_labels_stored_as_one_pixel_images_are_refused(tmp_path, capsys):
    """Labels N x 1 x 1 with the images' magic were read as N x 1 and compared with every prediction (106850%)."""
    directory = write_dataset(tmp_path / "data")
    write_idx(directory / "t10k-labels-idx1-ubyte.gz", mnist.load().test.labels[:100].reshape(-1, 1, 1))
    model = save_network(Network([784, 30, 10], seed=1), tmp_path / "net.npz")
    code = main(["predict", str(model), "--data", str(directory)])
    out = capsys.readouterr()
    assert code == 2 and out.out == "", out.out
    assert out.err.strip().splitlines() == [f"tutor: {directory}/t10k-labels-idx1-ubyte.gz: holds images "
                                            "(magic 0x00000803), expected labels (magic 0x00000801)"]


@pytest.mark.parametrize("dims", [(2**31, 2**31, 4), (65536, 65536, 65536), (3201, 256, 256)])
def test_header_sizes_past_the_limit_are_refused_before_reading(tmp_path, capsys, dims):
    """(2^31)(2^31)(4) is 2^64, 0 as an int64: it passed the old size check with no data at all."""
    directory = write_dataset(tmp_path / "data", compress=False)
    (directory / "train-images-idx3-ubyte").write_bytes(header(0x803, *dims))
    err = train_error(capsys, directory)
    assert f"train-images-idx3-ubyte: header says {'x'.join(map(str, dims))} = {math.prod(dims):,} bytes" in err
    assert f"more than the {mnist.MAX_DATA:,} allowed" in err


def test_images_without_pixels_are_refused(tmp_path, capsys):
    directory = write_dataset(tmp_path / "data", compress=False)
    (directory / "train-images-idx3-ubyte").write_bytes(header(0x803, 600, 0, 28))
    assert "header says images of 0x28 pixels (no pixels)" in train_error(capsys, directory)


def test_zero_images_of_too_many_pixels_are_refused(tmp_path, capsys):
    """0 images of 4294967295x4294967295 pixels: no data, so the size check passed, then numpy could not shape it
    (ValueError: Maximum allowed dimension exceeded; found by FUZZ_SCALE=20)."""
    directory = write_dataset(tmp_path / "data", compress=False)
    (directory / "t10k-images-idx3-ubyte").write_bytes(header(0x803, 0, 2**32 - 1, 2**32 - 1))
    assert "t10k-images-idx3-ubyte: header says images of 4294967295x4294967295 pixels, more than the 1,048,576 " \
           "an image may have" in train_error(capsys, directory)


def test_more_data_than_the_header_says_is_refused(tmp_path, capsys):
    directory = write_dataset(tmp_path / "data")
    labels = directory / "train-labels-idx1-ubyte.gz"
    labels.write_bytes(gzip.compress(gzip.decompress(labels.read_bytes()) + b"\0"))
    assert "header says 600 = 600 bytes of data, the file has more" in train_error(capsys, directory)


BLOCK = 16 * 2**20


def gzip_bomb(path: Path, head: bytes, zeros: int) -> Path:
    """`head` then `zeros` zero bytes as gzip, made cheaply: one member of 16 MiB of zeros (16 KB compressed),
    written again and again (a gzip file may hold many members; readers join them)."""
    block = gzip.compress(bytes(BLOCK), 9)
    with open(path, "wb") as f:
        f.write(gzip.compress(head))
        for _ in range(zeros // BLOCK):
            f.write(block)
    return path


MEASURE = """
import json, sys, time
from tutor.cli import main
start = time.perf_counter()
code = main(["train", "--data", sys.argv[1], "--epochs", "1", "--limit", "100"])
seconds = time.perf_counter() - start
peak = next(int(line.split()[1]) * 1024 for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps([code, seconds, peak]))
"""


@pytest.mark.parametrize("dims", [(60000, 28, 28), (3200, 256, 256), (4096, 1024, 1024)])
def test_a_gzip_bomb_is_refused_quickly_in_little_memory(tmp_path, dims):
    """4 GiB of zeros in a 4 MB file, after a header that promises 47 MB or the most allowed (the file has more), or
    4 GiB (more than allowed): refused in under 5 s and 300 MB, where it was decompressed whole first (30 s, 8.4 GB).
    The peak is the process's own (VmHWM: ru_maxrss would count the parent forked from)."""
    directory = write_dataset(tmp_path / "data")
    bomb = gzip_bomb(directory / "train-images-idx3-ubyte.gz", header(0x803, *dims), 4 * 2**30)
    assert bomb.stat().st_size < 5_000_000
    env = {**os.environ, "PYTHONPATH": str(Path(mnist.__file__).parents[2])}
    done = subprocess.run([sys.executable, "-c", MEASURE, str(directory)], capture_output=True, text=True,
                          timeout=60, env=env)
    code, seconds, peak = json.loads(done.stdout.splitlines()[-1])
    assert code == 2 and done.stderr.count("\n") == 1 and "train-images-idx3-ubyte.gz: header says" in done.stderr
    assert seconds < 5 and peak < 300 * 2**20, (seconds, peak)
