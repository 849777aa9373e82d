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
