"""`tutor bench` says what it measured on this machine, float32 against float64 in one plain line, and the README
explains that line instead of claiming a speed-up."""

from __future__ import annotations

from argparse import Namespace
from pathlib import Path

from tutor.bench import training as bench

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_dtype_line_names_a_winner_only_when_every_epoch_says_so():
    faster = bench.dtype_comparison([0.48, 0.50, 0.49], [0.90, 0.85, 0.95])
    assert faster == ("float32 vs float64 on this machine: 0.490 s vs 0.900 s per epoch (median of 3 and 3 "
                      "epochs): float32 1.84x as fast, in every epoch timed")
    assert bench.dtype_comparison([0.9, 1.0], [0.5, 0.6]).endswith("float64 1.73x as fast, in every epoch timed")
    same = bench.dtype_comparison([0.38, 0.47, 0.56], [0.51, 0.57, 0.63])   # a learner's measurements
    assert same == ("float32 vs float64 on this machine: 0.470 s vs 0.570 s per epoch (median of 3 and 3 epochs): "
                    "no clear difference, their epochs overlap (float32 0.380-0.560 s, float64 0.510-0.630 s)")


def test_bench_prints_the_comparison(monkeypatch, capsys):
    """The whole report, its measurements replaced by fixed ones (the real run takes minutes)."""
    times = {"float64": [0.9, 0.8], "float32": [0.5, 0.45], "minibatch": [7.0], "online": [6.8]}
    monkeypatch.setattr(bench, "time_epochs", lambda fast, slow: times)
    monkeypatch.setattr(bench, "floor_epochs", lambda dtype, repeats: [0.4])
    monkeypatch.setattr(bench, "full_run", lambda epochs, dtype: ([{"seconds": 0.7, "correct": 9229,
                                                                     "total": 10000}], 125_000))
    assert bench.main(Namespace(quick=True, epochs=5)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert ("float32 vs float64 on this machine: 0.475 s vs 0.850 s per epoch (median of 2 and 2 epochs): float32 "
            "1.79x as fast, in every epoch timed") in lines


def test_the_readme_says_what_bench_measures_instead_of_claiming_float32_is_faster():
    readme = README.read_text(encoding="utf-8")
    assert "trains faster" not in readme and "faster with the same accuracy" not in readme
    assert "`tutor bench` measures it on yours" in readme
    assert "`float32 vs float64 on this machine: X s vs Y s per epoch" in readme   # the line explained
