"""Model files (.npz) for predict and Explore: hostile ones are one line naming the file, checked before allocating."""

import io
import os
import threading
import zipfile

import numpy as np
import pytest

from tutor.cli import main
from tutor.engine.model_file import load_network, save_network
from tutor.engine.network import MAX_PARAMETERS, Network
from tutor.errors import InputError
from hostile import network_members, npy_bytes, patch_zip, zip_bytes


def predict_error(capsys, path) -> str:
    code = main(["predict", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert str(path) in err
    return err


def test_a_saved_network_loads_as_it_was(tmp_path):
    net = Network([784, 30, 10], seed=3)
    loaded = load_network(save_network(net, tmp_path / "net.npz"))
    assert loaded.sizes == net.sizes and np.array_equal(loaded.params, net.params)
    compressed = tmp_path / "compressed.npz"
    compressed.write_bytes(zip_bytes(network_members(net), zipfile.ZIP_DEFLATED))
    assert np.array_equal(load_network(compressed).params, net.params)


def test_a_corrupt_deflate_stream(tmp_path, capsys):
    """zlib.error escaped np.load's handler."""
    raw = bytearray(zip_bytes(network_members(), zipfile.ZIP_DEFLATED))
    start = zipfile.ZipFile(io.BytesIO(raw)).getinfo("w0.npy").header_offset + 30 + len("w0.npy")
    raw[start] = 0b111  # the last deflate block, of type 3: there is no such type
    (tmp_path / "net.npz").write_bytes(bytes(raw))
    err = predict_error(capsys, tmp_path / "net.npz")
    assert "not a readable .npz network file (Error -3 while decompressing data: invalid block type)" in err


@pytest.mark.parametrize("patch, message", [
    (dict(method=99), "w0: zip compression method 99 (only stored or deflated)"),  # NotImplementedError
    (dict(method=9), "w0: zip compression method 9"),                              # deflate64: NotImplementedError
    (dict(flags=0x1), "w0: encrypted or patched zip member (flags 0x0001)"),      # RuntimeError: password required
    (dict(flags=0x40), "w0: encrypted or patched zip member (flags 0x0040)"),     # NotImplementedError
])
def test_zip_members_tutor_cannot_read(tmp_path, capsys, patch, message):
    path = tmp_path / "net.npz"
    path.write_bytes(patch_zip(zip_bytes(network_members()), "w0.npy", **patch))
    assert message in predict_error(capsys, path)


def test_sizes_that_are_not_whole_numbers(tmp_path, capsys):
    """sizes = [784, inf, 10] raised OverflowError; 30.5 was truncated to 30."""
    for sizes in ([784.0, np.inf, 10.0], [784.0, 30.5, 10.0]):
        path = tmp_path / "net.npz"
        path.write_bytes(zip_bytes({**network_members(), "sizes.npy": npy_bytes(np.array(sizes))}))
        assert "sizes: float64 values (expected whole numbers)" in predict_error(capsys, path)


@pytest.mark.parametrize("member, shape, message", [
    ("w0.npy", (100_000, 100_000), "w0: layer 1 needs a 4x3 matrix, got 100000x100000"),        # 74.5 GiB
    ("sizes.npy", (10**12,), f"sizes: 1000000000000 = 1,000,000,000,000 values, more than a network may have "
                             f"({MAX_PARAMETERS:,})"),                                         # 7.3 TiB
    ("b0.npy", (5, 6), "b0: layer 1 needs 4 biases as a column, got 5x6"),
    ("w0.npy", (4, 3, 1), "w0: layer 1 needs a 4x3 matrix, got 4x3x1"),
])
def test_declared_shapes_are_checked_before_allocating(tmp_path, capsys, member, shape, message):
    """The arrays were allocated as their headers declared (MemoryError for 74 GiB and 7 TiB)."""
    path = tmp_path / "net.npz"
    descr = "<i8" if member == "sizes.npy" else "<f8"
    path.write_bytes(zip_bytes({**network_members(), member: npy_bytes(descr=descr, shape=shape)}))
    assert message in predict_error(capsys, path)


@pytest.mark.parametrize("descr", ["|O", "<U3", "<c16", "|b1", [("a", "<f8")]])
def test_arrays_of_other_kinds(tmp_path, descr):
    path = tmp_path / "net.npz"
    path.write_bytes(zip_bytes({**network_members(), "w1.npy": npy_bytes(descr=descr, shape=(2, 4))}))
    with pytest.raises(InputError, match=r"net.npz: w1: .* values \(expected numbers\)"):
        load_network(path)


def test_truncated_data_and_missing_arrays(tmp_path):
    path = tmp_path / "net.npz"
    members = network_members()
    path.write_bytes(zip_bytes({**members, "w0.npy": members["w0.npy"][:-8]}))
    with pytest.raises(InputError, match=r"net.npz: w0: truncated \(88 of 96 bytes\)"):
        load_network(path)
    del members["b1.npy"]
    path.write_bytes(zip_bytes(members))
    with pytest.raises(InputError, match=r"net.npz: missing array 'b1'"):
        load_network(path)


def test_a_fifo_is_not_opened(tmp_path):
    """Opening a FIFO blocks until something writes to it: the loader checks the file's type first. It runs in a
    thread so that a regression fails the test (after 30 s) instead of hanging the suite."""
    os.mkfifo(tmp_path / "net.npz")
    outcome = []

    def load():
        try:
            load_network(tmp_path / "net.npz")
        except InputError as e:
            outcome.append(str(e))

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(timeout=30)
    assert outcome == [f"{tmp_path / 'net.npz'}: not a regular file (a FIFO, a device or a directory)"]


def test_a_zip_version_zipfile_cannot_read(tmp_path):
    """Found by the fuzz test: a central directory asking for zip version 8.4 raised NotImplementedError."""
    raw = bytearray(zip_bytes(network_members()))
    central = zipfile.ZipFile(io.BytesIO(raw)).start_dir
    raw[central + 6] = 84  # version needed to extract
    (tmp_path / "net.npz").write_bytes(bytes(raw))
    with pytest.raises(InputError, match=r"net.npz: not a readable .npz network file \(zip file version 8.4\)"):
        load_network(tmp_path / "net.npz")
