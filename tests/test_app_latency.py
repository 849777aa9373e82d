"""The UI benchmark's building blocks: the key plan, escape stripping, and launching tutor in a pseudo-terminal."""

from __future__ import annotations

from tutor.bench import ui as latency


def test_key_plan_moves_forward_back_and_home_within_the_step():
    plan = latency._key_plan(27, 100)
    assert len(plan) == 100
    assert plan[0] == ("space", 0) and plan[26] == ("space", 26)
    assert plan[27] == ("left", 25) and ("home", -1) in plan
    assert all(-1 <= index < 27 for _, index in plan)


def test_markers_are_found_in_output_split_by_escape_sequences():
    output = b"\x1b[1;1H\x1b[7m(3/\x1b[0m27)\x1b]0;title\x07 watch a neural\x1b[38;5;1m network learn"
    assert latency._marker(2, 27) in latency._plain(output)
    assert latency.MARKER in latency._plain(output)


def test_tutor_reaches_its_home_screen_in_a_pseudo_terminal():
    assert 0 < latency._launch_time() < 10
