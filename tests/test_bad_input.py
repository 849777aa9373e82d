"""Bad input: one short message on stderr naming the file and what is wrong, exit status 2, no traceback."""

import gzip
import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

from tutor.cli import main
from tutor.errors import InputError
from tutor.engine import mnist
from conftest import write_dataset, write_idx
from test_files import one_line, tutor

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
    # issue 10, item 6: each of these was a RecursionError, OverflowError or ValueError traceback
    "nested-500-deep": (GOOD.replace("input = [0.8, 0.2]", f"input = {'[' * 500}{']' * 500}"),
                        "lists or tables nested 500 deep (at most 8)"),
    "integer-above-1e308": (GOOD.replace("input = [0.8, 0.2]", f"input = [1{'0' * 400}, 0.2]"),
                            "input[0]: expected a finite number, got 1000"),
    "integer-of-5000-digits": (GOOD.replace("input = [0.8, 0.2]", f"input = [{'9' * 5000}, 0.2]"),
                               "not valid TOML: Exceeds the limit (4300 digits)"),
    "fractional-layer-size": (GOOD.replace("layers = [2, 3, 2]", "layers = [2, 30.5, 2]"),
                              "layers[1]: layer size must be a whole number, got 30.5"),
    "too-large-to-trace": ("layers = [999, 100000]\ninput = 0.5\ntarget = 0.5\n",
                           "layers: 100,000,000 weights and biases are too many to trace step by step (at most 250,000"),
    "too-large-a-file": (GOOD + f"description = \"{'x' * (8 << 20)}\"\n",
                         "too large for a network file (more than 8,388,608 bytes)"),
    "huge-value-quoted": (GOOD.replace("layers = [2, 3, 2]", f"layers = \"{'x' * 100_000}\""),
                          "layers: expected a list of layer sizes, got 'xxx"),
}


@pytest.mark.parametrize("case", NETWORK_CASES)
@pytest.mark.parametrize("command", ["trace", "step"])
def test_malformed_network_file(tmp_path, capsys, case, command):
    text, message = NETWORK_CASES[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(text)
    start = time.perf_counter()
    code, err = run(capsys, command, str(path))
    assert_one_line_error(code, err, str(path), message)
    assert len(err) < 400 and time.perf_counter() - start < 5  # a value is quoted cut short; refused before any work


def test_network_file_names_that_cannot_be_opened(tmp_path, capsys):
    long = tmp_path / ("n" * 300 + ".toml")
    code, err = run(capsys, "trace", str(long))
    assert_one_line_error(code, err, "cannot read (File name too long)", "…")
    assert len(err.strip()) == len("tutor: ") + 300  # the name is cut in the middle, the reason kept
    assert_one_line_error(*run(capsys, "trace", ""), "network file: expected a file name")
    assert_one_line_error(*run(capsys, "step", ""), "network file: expected a file name")
    assert_one_line_error(*run(capsys, "trace", str(tmp_path)), f"{tmp_path}: is a directory, not a network file")


def test_a_fifo_network_file_is_refused_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / "net.toml")
    for command in ("trace", "step"):
        run = tutor(command, str(tmp_path / "net.toml"))
        assert run.returncode == 2 and one_line(run.stderr) == \
            f"tutor: {tmp_path / 'net.toml'}: is a FIFO (named pipe), not a network file"


def test_trace_json_of_784_30_10_is_standard_json(tmp_path, capsys):
    path = tmp_path / "mnist.toml"
    path.write_text(f"layers = [784, 30, 10]\ninput = {[0.5] * 784}\ntarget = {[0.0] * 9 + [1.0]}\nstep_size = 3.0\n")
    assert main(["trace", "--json", str(path)]) == 0
    trace = json.loads(capsys.readouterr().out, parse_constant=lambda name: pytest.fail(f"non-standard JSON: {name}"))
    assert trace["layers"] == [784, 30, 10] and len(trace["values"]["updated_w_l1"]) == 30


def test_numbers_too_large_to_compute_with_are_refused_by_field(tmp_path, capsys):
    """A weight of 1e308 made z_l1 infinite, and a target of 1.3e154 overflowed the cost's square (found by the
    fuzz test): every number of a network file is within a million, so one traced step stays finite."""
    path = tmp_path / "overflow.toml"
    for text, field, shown in [
            ("layers = [2, 1]\nweights = [[[1e308, 1e308]]]\nbiases = [[0.0]]\ninput = [1, 1]\ntarget = [0]\n",
             "weights[0][0][0]", "1e+308"),
            ("layers = [1, 1]\ninput = [0.0]\ntarget = [1.3407807929942597e+154]\n", "target[0]", "1.34078e+154"),
            ("layers = [1, 1]\ninput = [1e10]\ntarget = [1]\n", "input[0]", "1e+10"),
            ("layers = [1, 1]\ninput = [1]\ntarget = [1]\nstep_size = 1e308\n", "step_size", "1e+308")]:
        path.write_text(text)
        for json in ([], ["--json"]):
            code, err = run(capsys, "trace", *json, str(path))
            assert_one_line_error(code, err, str(path),
                                  f"{field}: expected a number between -1,000,000 and 1,000,000, got {shown}")
    path.write_text("layers = [1, 1]\nweights = [[[-1e6]]]\nbiases = [[1e6]]\ninput = [1e6]\ntarget = [-1e6]\n"
                    "step_size = 1e6\n")
    assert main(["trace", "--json", str(path)]) == 0 and "Infinity" not in capsys.readouterr().out


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


def special_save_targets(directory: Path) -> dict[str, Path]:
    from test_files import special_files

    return {"missing directory": directory / "no" / "such" / "net.npz", **special_files(directory)}


def test_the_save_path_is_checked_before_training(tmp_path, capsys):
    for name, path in special_save_targets(tmp_path).items():
        before = os.lstat(path) if os.path.lexists(path) else None
        code, err = run(capsys, "train", "--epochs", "1", "--limit", "100", "--save", str(path))
        assert_one_line_error(code, err, str(path))
        assert "Epoch" not in capsys.readouterr().out, name  # refused before the first epoch
        if before is not None:
            assert (os.lstat(path).st_ino, os.lstat(path).st_mode) == (before.st_ino, before.st_mode), name
    assert_one_line_error(*run(capsys, "train", "--epochs", "1", "--save", ""), "--save: expected a file name")


def test_a_closed_stdout_stops_the_printing_not_the_run(tmp_path):
    reader, writer = os.pipe()
    os.close(reader)  # `| head -1` that has already gone: every line printed meets a broken pipe
    try:
        done = tutor("train", "--epochs", "2", "--limit", "300", "--seed", "1", "--save", str(tmp_path / "net.npz"),
                     stdout=writer)
    finally:
        os.close(writer)
    assert done.returncode == 0 and one_line(done.stderr) == f"Saved {tmp_path / 'net.npz'}"
    assert main(["predict", str(tmp_path / "net.npz")]) == 0


@pytest.mark.parametrize("argv,message", [
    (["train", "--seed", "-1"], "--seed: must be >= 0, got -1"),
    (["train", "--eta", "nan"], "--eta: must be a number > 0 and at most 1,000,000, got nan"),
    (["train", "--eta", "inf"], "--eta: must be a number > 0 and at most 1,000,000, got inf"),
    (["train", "--eta", "1e308"], "--eta: must be a number > 0 and at most 1,000,000, got 1e+308"),
    (["train", "--data", ""], "--data: expected a directory, got an empty name"),
    (["--data", "", "train"], "--data: expected a directory, got an empty name"),
    (["predict", "x.npz", "--data", ""], "--data: expected a directory, got an empty name"),
])
def test_impossible_options_are_one_line_errors(capsys, argv, message):
    assert_one_line_error(*run(capsys, *argv, "--epochs", "1") if argv[0] == "train" else run(capsys, *argv), message)


def test_a_layer_size_left_out_is_an_error_not_skipped(capsys):
    with pytest.raises(SystemExit) as e:
        main(["train", "--layers", "784,,10", "--epochs", "1"])
    assert e.value.code == 2 and "expected sizes separated by commas, e.g. 784,30,10; got '784,,10'" in \
        capsys.readouterr().err


@pytest.mark.parametrize("shapes,message", [
    ({"b0": (5, 6)}, "b0: layer 1 needs 30 biases as a column, got 5x6"),       # was reshaped to 30x1
    ({"w0": (30, 784, 1)}, "w0: layer 1 needs a 30x784 matrix, got 30x784x1"),  # was reported as 30x784
    ({"b1": (1, 10)}, "b1: layer 2 needs 10 biases as a column, got 1x10"),
])
def test_a_model_file_with_arrays_of_the_wrong_shape_says_their_shape(tmp_path, capsys, shapes, message):
    arrays = {"sizes": np.array([784, 30, 10]), "w0": np.zeros((30, 784)), "b0": np.zeros((30, 1)),
              "w1": np.zeros((10, 30)), "b1": np.zeros((10, 1))}
    arrays.update({name: np.zeros(shape) for name, shape in shapes.items()})
    np.savez(tmp_path / "net.npz", **arrays)
    assert_one_line_error(*run(capsys, "predict", str(tmp_path / "net.npz")), str(tmp_path / "net.npz"), message)


def test_a_network_too_large_to_trace_is_refused_wherever_it_comes_from():
    from tutor.engine.network import Network
    from tutor.engine.trace import trace_step

    net = Network([784, 400, 10], seed=0)  # 318,010 weights and biases, e.g. trained on the Train screen
    with pytest.raises(InputError, match="318,010 weights and biases are too many to trace step by step .at most 250,000"):
        trace_step(net, np.zeros(784), np.zeros(10), 3.0)


@pytest.mark.parametrize("argv, fragment", [
    (["train", "--layers", "784,,10"], "--layers: expected sizes separated by commas"),
    (["train", "--epochs", "x"], "--epochs: expected a number, got 'x'"),
    (["--bogus"], "unrecognized arguments: --bogus"),
    (["trace"], "the following arguments are required: file"),
])
def test_a_mistake_in_the_command_line_is_one_line_too(argv, fragment, capsys):
    """argparse printed its usage and then the error: two lines and more; now one, like any other bad input."""
    with pytest.raises(SystemExit) as exit:
        main(argv)
    err = capsys.readouterr().err
    assert exit.value.code == 2 and len(err.strip().splitlines()) == 1 and err.startswith("tutor: ")
    assert fragment in err and "--help lists the options" in err
