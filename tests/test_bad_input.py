"""Bad input: one short message on stderr naming the file and what is wrong, exit status 2, no traceback."""

import gzip
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.engine import mnist
from conftest import write_dataset, write_idx

GOOD = """layers = [2, 3, 2]
weights = [[[-0.11, 0.45], [-0.65, 0.56], [-0.15, -0.87]], [[0.01, -0.49, -0.81], [-0.87, -0.08, -0.77]]]
biases = [[0.54, 0.75, 0.01], [-0.32, 0.06]]
input = [0.8, 0.2]
target = [0, 1]
step_size = 0.1
"""


def run(capsys, *argv):
    code = main(list(argv))
    err = capsys.readouterr().err
    return code, err


def assert_one_line_error(code, err, *fragments):
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


NETWORK_CASES = {
    "not-toml": ("layers = [2, 3\n", "not valid TOML"),
    "missing-layers": (GOOD.replace("layers = [2, 3, 2]\n", ""), "missing field 'layers'"),
    "missing-input": (GOOD.replace("input = [0.8, 0.2]\n", ""), "missing field 'input'"),
    "non-numeric-weight": (GOOD.replace("-0.11", '"x"'), "weights[0][0][0]: expected a number"),
    "nan": (GOOD.replace("0.54", "nan"), "biases[0][0]: expected a finite number"),
    "inf": (GOOD.replace("-0.11", "inf"), "expected a finite number"),
    "wrong-shape": (GOOD.replace("[[-0.11, 0.45], ", "[[-0.11], "), "weights[0][0]: expected a row of 2 numbers"),
    "wrong-rows": (GOOD.replace("[-0.15, -0.87]], [[0.01", "], [[0.01").replace("[-0.65, 0.56],", "[-0.65, 0.56]"), "weights[0]: expected a 3x2 matrix"),
    "input-length": (GOOD.replace("input = [0.8, 0.2]", "input = [0.8]"), "input: expected 2 numbers"),
    "target-length": (GOOD.replace("target = [0, 1]", "target = [0, 1, 0]"), "target: expected 2 numbers"),
    "one-layer": ("layers = [2]\ninput = [1, 2]\ntarget = [1]\n", "at least 2 layers"),
    "zero-size": ("layers = [2, 0, 1]\ninput = [1, 2]\ntarget = [1]\n", "layers[1]: layer size must be at least 1"),
    "negative-step": (GOOD.replace("step_size = 0.1", "step_size = -0.1"), "step_size must not be negative"),
    "unknown-field": (GOOD + "learning_rate = 3\n", "unknown field 'learning_rate'"),
    "weights-without-biases": (GOOD.replace(GOOD.splitlines()[2] + "\n", ""), "'weights' given without 'biases'"),
}


@pytest.mark.parametrize("case", NETWORK_CASES)
@pytest.mark.parametrize("command", ["trace", "step"])
def test_malformed_network_file(tmp_path, capsys, case, command):
    text, message = NETWORK_CASES[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(text)
    code, err = run(capsys, command, str(path))
    assert_one_line_error(code, err, str(path), message)


def test_the_good_file_is_fine(tmp_path, capsys):
    path = tmp_path / "good.toml"
    path.write_text(GOOD)
    assert main(["trace", str(path)]) == 0


def test_missing_network_file(capsys):
    assert_one_line_error(*run(capsys, "trace", "no/such/file.toml"), "no/such/file.toml", "file not found")


def corrupt(directory: Path, case: str) -> str:
    """Damage a data directory one way; return the name of the file at fault."""
    images = directory / "train-images-idx3-ubyte.gz"
    labels = directory / "train-labels-idx1-ubyte.gz"
    if case == "truncated-gz":
        images.write_bytes(images.read_bytes()[:2000])
        return images.name
    if case == "not-gzip":
        images.write_bytes(b"this is not gzip data at all")
        return images.name
    if case == "wrong-magic":
        raw = bytearray(gzip.decompress(labels.read_bytes()))
        raw[3] = 0x99
        labels.write_bytes(gzip.compress(bytes(raw)))
        return labels.name
    if case == "short-data":
        raw = gzip.decompress(images.read_bytes())
        images.write_bytes(gzip.compress(raw[:-784]))
        return images.name
    if case == "count-mismatch":
        write_idx(labels, mnist.load().train.labels[:500])
        return "train-labels-idx1-ubyte"
    if case == "missing-file":
        (directory / "t10k-labels-idx1-ubyte.gz").unlink()
        return "t10k-labels-idx1-ubyte"
    raise AssertionError(case)


DATA_CASES = ["truncated-gz", "not-gzip", "wrong-magic", "short-data", "count-mismatch", "missing-file"]


@pytest.mark.parametrize("case", DATA_CASES)
def test_corrupt_data_directory(tmp_path, capsys, case):
    directory = write_dataset(tmp_path / case)
    name = corrupt(directory, case)
    code, err = run(capsys, "train", "--data", str(directory), "--epochs", "1", "--limit", "100")
    assert_one_line_error(code, err, name)


def test_data_directory_that_does_not_exist(tmp_path, capsys):
    assert_one_line_error(*run(capsys, "train", "--data", str(tmp_path / "nope"), "--epochs", "1"), "nope", "not a directory")


def test_image_size_must_match_the_input_layer(tmp_path, capsys):
    directory = write_dataset(tmp_path / "small-images", train=(100, 20), test=(20, 20))
    code, err = run(capsys, "train", "--data", str(directory), "--epochs", "1")
    assert_one_line_error(code, err, str(directory), "first layer must be 400 (one per pixel", "got 784")


@pytest.mark.parametrize("layers,message", [("784,0,10", "--layers[1]: layer size must be at least 1"),
                                            ("784", "at least 2 layers"),
                                            ("784,30,5", "the last 10 (one per class")])
def test_impossible_layer_sizes(capsys, layers, message):
    assert_one_line_error(*run(capsys, "train", "--layers", layers, "--epochs", "1"), message)


def test_predict_with_a_broken_model_file(tmp_path, capsys):
    path = tmp_path / "model.npz"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert_one_line_error(*run(capsys, "predict", str(path)), str(path))
