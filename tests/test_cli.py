"""The command line: train, predict, and the engine's independence from the UI."""

import json
import subprocess
import sys

from tutor.cli import main


def test_train_json_lines_then_predict_the_saved_network(tmp_path, capsys):
    model = tmp_path / "net.npz"
    code = main(["train", "--epochs", "2", "--limit", "3000", "--seed", "1", "--json", "--save", str(model)])
    assert code == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["epoch"] for line in lines] == [0, 1]
    assert all(line["total"] == 10_000 and line["seconds"] > 0 for line in lines)
    assert lines[-1]["correct"] > 7000  # 3,000 images, two epochs: already far above chance
    assert main(["predict", str(model)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{lines[-1]['correct']} / 10000")


def test_train_prints_the_articles_epoch_lines(capsys):
    assert main(["train", "--epochs", "1", "--limit", "500", "--seed", "2", "--layers", "784,10"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("Epoch 0: ") and out.endswith(" / 10000")


def test_training_is_reproducible_from_the_seed(capsys):
    runs = []
    for _ in range(2):
        main(["train", "--epochs", "1", "--limit", "1000", "--seed", "5", "--json"])
        runs.append(json.loads(capsys.readouterr().out)["correct"])
    assert runs[0] == runs[1]


def test_python_dash_m():
    out = subprocess.run([sys.executable, "-m", "tutor", "trace", "one-one-one"], capture_output=True, text=True, check=True)
    assert "0.011095884100559231" in out.stdout


def test_train_with_chapter_3_settings_and_per_layer_gradient_sizes(shared_data, capsys):
    """--cost, --init, --lmbda train; --gradients prints ‖∂C/∂b‖ per hidden layer at the start and after each epoch,
    falling layer by layer towards the input at initialisation (the vanishing gradient, Nielsen's chapter 5)."""
    args = ["train", "--data", str(shared_data), "--layers", "784,30,30,30,10", "--epochs", "2", "--seed", "1",
            "--cost", "cross-entropy", "--init", "scaled", "--lmbda", "0.5", "--eta", "0.5", "--gradients"]
    assert main([*args, "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["epoch"] for line in lines] == [0, 1] and all(len(line["gradients"]) == 3 for line in lines)
    start = lines[0]["gradients_at_start"]
    assert start[0] < start[1] < start[2]
    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Start: ‖∂C/∂b‖ of hidden layers 1 to 3: " + ", ".join(f"{g:.4g}" for g in start)
    assert out[1].startswith("Epoch 0: ") and out[2].startswith("  after epoch 0: ‖∂C/∂b‖ of hidden layers 1 to 3: ")


def test_bad_chapter_3_settings_are_one_line_and_exit_2(capsys):
    assert main(["train", "--lmbda", "-0.5"]) == 2
    assert capsys.readouterr().err == "tutor: --lmbda: must be a number from 0 (no regularisation) to 1,000,000, " \
                                      "got -0.5\n"
    for option, value in (("--cost", "log-likelihood"), ("--init", "xavier")):
        try:
            main(["train", option, value])
        except SystemExit as e:
            assert e.code == 2
        err = capsys.readouterr().err
        assert err.startswith(f"tutor: argument {option}: invalid choice: '{value}'") and err.count("\n") == 1
    assert main(["train", "--layers", "784,10", "--gradients", "--limit", "10", "--epochs", "1"]) == 2
    assert "no hidden layer" in capsys.readouterr().err
