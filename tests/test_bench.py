"""`tutor bench` says what it measured on this machine, float32 against float64 in one plain line, and the README
explains that line instead of claiming a speed-up."""

from __future__ import annotations

from argparse import Namespace
from pathlib import Path

from tutor.bench import training as bench

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_dtype_line_names_a_winner_only_when_it_won_most_epochs_side_by_side():
    faster = bench.dtype_comparison([0.48, 0.50, 0.49, 0.55, 0.40], [0.90, 0.85, 0.95, 0.50, 0.60])
    assert faster == ("float32 vs float64 on this machine: 0.490 s vs 0.850 s per epoch (median of 5 epochs each): "
                      "float32 1.73x as fast, faster in 4 of 5 epochs timed side by side")
    assert bench.dtype_comparison([0.9, 1.0], [0.5, 0.6]).endswith(
        ": float64 1.73x as fast, faster in 2 of 2 epochs timed side by side")
    same = bench.dtype_comparison([0.38, 0.56, 0.47, 0.55], [0.51, 0.51, 0.63, 0.52])  # a learner's measurements
    assert same == ("float32 vs float64 on this machine: 0.510 s vs 0.515 s per epoch (median of 4 epochs each): "
                    "no clear difference, float32 was faster in 2 of 4 epochs timed side by side")


def test_bench_prints_the_comparison(monkeypatch, capsys):
    """The whole report, its measurements replaced by fixed ones (the real run takes minutes)."""
    times = {"float64": [0.9, 0.8], "float32": [0.5, 0.45], "minibatch": [7.0], "online": [6.8]}
    monkeypatch.setattr(bench, "time_epochs", lambda fast, slow: times)
    monkeypatch.setattr(bench, "floor_epochs", lambda dtype, repeats: [0.4])
    monkeypatch.setattr(bench, "full_run", lambda epochs, dtype: ([{"seconds": 0.7, "correct": 9229,
                                                                     "total": 10000}], 125_000))
    assert bench.main(Namespace(quick=True, epochs=5)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert ("float32 vs float64 on this machine: 0.475 s vs 0.850 s per epoch (median of 2 epochs each): float32 "
            "1.79x as fast, faster in 2 of 2 epochs timed side by side") in lines


def test_the_readme_says_what_bench_measures_instead_of_claiming_float32_is_faster():
    readme = README.read_text(encoding="utf-8")
    assert "trains faster" not in readme and "faster with the same accuracy" not in readme
    assert "`tutor bench` measures it on yours" in readme
    assert "`float32 vs float64 on this machine: X s vs Y s per epoch" in readme   # the line explained


def test_the_prompt_figures_say_ok_only_when_every_target_is_met():
    """`tutor bench --ui`'s lines about the >>> prompt, from fixed measurements (the real ones start a child)."""
    from tutor.bench import repl

    figures = {"first": 0.16, "ordinary": [0.0005] * 9 + [0.2],
               "hostile": {"while True: pass": (2.2, "stopped after 2 s: the time limit", 0.15, True)}}
    lines, ok = repl.report(figures)
    assert ok and "10 ordinary lines: median 0.5 ms" in lines[0] and lines[0].endswith("ok")
    assert "'while True: pass'" in lines[1] and "answered in 2.20 s" in lines[1] and lines[1].endswith("ok")
    figures["hostile"]["import this"] = (3.5, "stopped", 0.2, True)
    lines, ok = repl.report(figures)
    assert not ok and lines[-1].endswith("SLOW (target <= 3 s, then working)")
    figures["hostile"]["import this"] = (0.01, "The Zen of Python", 0.002, False)
    assert not repl.report(figures)[1]
    figures["hostile"].pop("import this")
    figures["ordinary"] = [0.15] * 3
    lines, ok = repl.report(figures)
    assert not ok and "SLOW (target median <= 100 ms)" in lines[0]
