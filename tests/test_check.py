"""`tutor check FILE.py` (tutor/check/): the article's file and Nielsen's shape agree on every level; each broken
learner file stops at the right first quantity with the right diagnosis; a file that cannot be run says why in
the learner's terms (their traceback, never ours) with exit status 2."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from tutor.check import LEVELS, check_file
from tutor.check.cli import render
from tutor.check.compare import networks
from tutor.check.starter import STARTER
from tutor.cli import main

FILES = Path(__file__).parent / "check_files"
ARTICLE = (FILES / "article.py").read_text()
SEED = 7

# file: (level, quantity, network, diagnosis id) of the FIRST quantity that differs
BROKEN = {
    "broken_transposed_dc_dw": ("helpers", "dc_dw(a_l1, dc_db_l2)", "2-3-2 (the article's)", "transposed"),
    "broken_no_sigmoid_prime": ("helpers", "dc_db(z_l2, dc_da_l2)", "1-1-1 (the article's)", "no-sigmoid-prime"),
    "broken_sigmoid_prime_of_a": ("backward pass", "dc_db_l2", "1-1-1 (the article's)", "sigmoid-prime-of-a"),
    "broken_updated_weights": ("backward pass", "dc_da_l1", "1-1-1 (the article's)", "updated-weights"),
    "broken_wrong_sign": ("update", "updated_b_l2", "1-1-1 (the article's)", "sign"),
    "broken_nielsen_batch_size": ("update", "updated_b_l2", "1-1-1 (the article's)", "batch-size"),
    "broken_broadcast_dc_da_prev": ("helpers", "dc_da_prev(w_l2, dc_db_l2)", "2-3-2 (the article's)", "broadcast"),
    "broken_broadcast_dc_dw": ("helpers", "dc_dw(a_l1, dc_db_l2)", "2-3-2 (the article's)", "broadcast"),
    "broken_previous_layer": ("backward pass", "dc_dw_l2", "1-1-1 (the article's)", "previous-layer"),
    "broken_z_for_a": ("backward pass", "dc_dw_l2", "1-1-1 (the article's)", "z-for-a"),
    "broken_no_step_size": ("update", "updated_b_l2", "1-1-1 (the article's)", "no-step-size"),
    "broken_no_sigmoid": ("forward pass", "a_l1", "1-1-1 (the article's)", "no-sigmoid"),
    "broken_no_half": ("helpers", "cost(a_l2, y)", "1-1-1 (the article's)", "no-half"),
}

HELPER_BODIES = {
    "sigmoid": "return 1.0/(1.0+np.exp(-z))", "sigmoid_prime": "return sigmoid(z)*(1-sigmoid(z))",
    "raw_activation": "return np.dot(w,a) + b", "cost": "return 0.5 * np.sum((a - y)**2)",
    "dc_db": "return sigmoid_prime(z) * dc_da", "dc_dw": "return np.dot(dc_db, a_prev.transpose())",
    "dc_da_prev": "return np.dot(w.transpose(), dc_db)",
}


def _edited(text: str, *edits: tuple[str, str]) -> str:
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _made(directory: Path) -> dict[str, str]:
    """Learner files written for these tests: the starter (empty, helpers only), one that inlines the backward
    helpers, and the files that cannot be run."""
    helpers_only = STARTER
    for name, body in HELPER_BODIES.items():
        helpers_only = _edited(helpers_only, (f'raise NotImplementedError("{name}")', body))
    texts = {
        "starter": STARTER,
        "helpers_only": helpers_only,
        "inlined": _edited(ARTICLE, *[(f"{call}(z, activations_gradient)", "sigmoid_prime(z) * activations_gradient")
                                      for call in ("dc_db", "dc_db")],
                           *[("dc_dw(a_prev, biases_gradient)", "np.dot(biases_gradient, a_prev.T)")] * 2,
                           *[("dc_da_prev(w, biases_gradient)", "np.dot(w.T, biases_gradient)")] * 2),
        "error_syntax": _edited(ARTICLE, ("    def feed_forward(self, inputs):", "    def feed_forward(self, inputs)")),
        "error_missing": ARTICLE[: ARTICLE.index("    def propagate_backward")],
        "error_exception": _edited(ARTICLE, ("            self.a.append(a)", "            self.a.append(activation)")),
        "error_loop": _edited(ARTICLE, ("        self.z = [placeholder]\n",
                                        "        while True:\n            pass\n        self.z = [placeholder]\n")),
        "error_memory": _edited(ARTICLE, ("placeholder = np.array([[]])", "placeholder = np.ones(10**12)")),
        "error_exit": _edited(ARTICLE, ("        self.z = [placeholder]\n",
                                        "        import sys\n        sys.exit()\n        self.z = [placeholder]\n")),
        "error_os_exit": ARTICLE + "\nimport os\nos._exit(0)\n",
    }
    paths = {}
    for name, text in texts.items():
        path = directory / f"{name}.py"
        path.write_text(text)
        paths[name] = str(path)
    return paths


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Every file checked once, four children at a time (a child costs about 0.3-0.5 s)."""
    paths = {p.stem: str(p) for p in FILES.glob("*.py")} | _made(tmp_path_factory.mktemp("learner"))
    limits = {"error_loop": 2.0}
    with ThreadPoolExecutor(4) as pool:
        futures = {name: pool.submit(check_file, path, seed=SEED, **({"time_limit": limits[name]} if name in limits
                                                                      else {}))
                   for name, path in paths.items()}
        return {name: future.result() for name, future in futures.items()}, paths


@pytest.mark.parametrize("name", ["article", "nielsen", "inlined"])
def test_a_right_network_agrees_on_every_level(reports, name):
    report = reports[0][name]
    assert report.exit_status == 0, (report.error, report.difference)
    assert [line.split(":")[0] for line in report.passed] == list(LEVELS)
    assert report.networks[:2] == ["1-1-1 (the article's)", "2-3-2 (the article's)"]
    assert f"(random, seed {SEED})" in report.networks[2]
    shown = render(report)
    assert "All agree" in shown and shown.count("✓") == len(LEVELS)


def test_what_was_seen_and_what_only_through_its_effect(reports):
    article, nielsen, inlined = (reports[0][n] for n in ("article", "nielsen", "inlined"))
    assert article.effect_only == [] and {"z_l1", "dc_da_l3", "dc_dw_l1", "dc_da_l1", "updated_cost"} <= set(article.seen)
    # Nielsen's backprop computes the hidden errors inline and keeps no cost: seen only through ∂C/∂b
    assert {"dc_da_l2", "dc_da_l1"} <= set(nielsen.effect_only) and {"dc_db_l1", "z_l3"} <= set(nielsen.seen)
    # a learner who inlined dc_db, dc_dw, dc_da_prev: their backward pass is checked through the update
    assert {"dc_db_l3", "dc_dw_l1", "dc_da_l2"} <= set(inlined.effect_only)
    assert "checked through their effect only" in render(inlined)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_file_stops_at_its_first_wrong_quantity_with_the_right_diagnosis(reports, name):
    report = reports[0][name]
    level, quantity, network, mistake = BROKEN[name]
    d = report.difference
    assert report.exit_status == 1 and report.error is None and d is not None
    assert (d.level, d.quantity, d.network) == (level, quantity, network)
    assert d.diagnosis is not None and d.diagnosis.mistake == mistake, d.diagnosis
    assert report.passed == [line for line in report.passed if line.split(":")[0] in LEVELS[: LEVELS.index(level)]]
    shown = render(report, hint="hint: press h")
    assert f"✗ {level}: {quantity} differs" in shown and d.diagnosis.message in shown and "hint: press h" in shown
    assert d.formula.split("\n")[0] in shown


def test_the_first_differing_element_yours_and_the_engines(reports):
    d = reports[0]["broken_updated_weights"].difference
    assert d.index == (0, 0) and np.shape(d.yours) == (1, 1)
    assert float(np.ravel(d.expected)[0]) == pytest.approx(-0.04653130523311476)  # the article's dc_da_l1
    assert "dc_da_l1[0][0]: yours -0.04655" in render(reports[0]["broken_updated_weights"])
    t = reports[0]["broken_transposed_dc_dw"].difference
    assert t.index is None and np.shape(t.yours) == (3, 2) and np.shape(t.expected) == (2, 3)
    assert "shape      3x2 (the engine's is 2x3)" in render(reports[0]["broken_transposed_dc_dw"])


def test_the_unwritten_starter_says_what_to_write_next(reports):
    empty, helpers = reports[0]["starter"], reports[0]["helpers_only"]
    assert empty.exit_status == 2 and empty.todo == "sigmoid"
    assert empty.error.startswith("not written yet: sigmoid (and sigmoid_prime,")
    assert "feed_forward, propagate_backward)" in empty.error and "It must compute σ(z)" in empty.error
    assert helpers.exit_status == 2 and helpers.todo == "feed_forward"
    assert helpers.error.startswith("not written yet: feed_forward (and propagate_backward); helpers agree so far")
    assert "Traceback" not in empty.error + helpers.error


def _error(reports, name: str) -> str:
    report = reports[0][name]
    assert report.exit_status == 2 and report.difference is None and report.error
    return report.error


def test_a_syntax_error_gives_its_line_and_message(reports):
    line = ARTICLE.splitlines().index("    def feed_forward(self, inputs):") + 1
    assert _error(reports, "error_syntax").startswith(f"syntax error: error_syntax.py, line {line}: SyntaxError: "
                                                      "expected ':'")


def test_a_missing_method_says_which_and_what_it_must_do(reports):
    assert _error(reports, "error_missing").startswith("missing: Network.propagate_backward. Your file needs "
                                                       "Network.propagate_backward(self, y, step_size)")


def test_an_exception_shows_their_traceback_and_none_of_ours(reports):
    error = _error(reports, "error_exception")
    line = ARTICLE.splitlines().index("            self.a.append(a)") + 1
    assert error.startswith("your code raised NameError: name 'activation' is not defined in feed_forward(inputs) on "
                            "1-1-1 (the article's)")
    assert f'File "error_exception.py", line {line}, in feed_forward' in error
    assert not re.search(r"tutor/|recorder|child\.py|compare\.py", error)


def test_an_endless_loop_is_stopped_at_the_time_limit_saying_which_call_and_line(reports):
    error = _error(reports, "error_loop")
    line = ARTICLE.splitlines().index("        self.z = [placeholder]") + 2  # the `pass` of the loop put before it
    assert error.startswith("stopped after 2 s, the time limit: your code was still running feed_forward(inputs) on "
                            "1-1-1 (the article's)")
    assert f"line {line} in feed_forward" in error or f"line {line - 1} in feed_forward" in error


def test_the_memory_limit_says_which_call(reports):
    error = _error(reports, "error_memory")
    assert error.startswith("over the memory limit (1 GiB) in loading error_memory.py (its top-level code): "
                            "MemoryError")
    assert 'File "error_memory.py", line' in error


@pytest.mark.parametrize("name, said", [
    ("error_exit", "your file called sys.exit() (SystemExit(None)) in feed_forward(inputs) on 1-1-1"),
    ("error_os_exit", "Python ended while running loading error_os_exit.py (its top-level code), without a word "
                      "(os._exit(0) in your file?)"),
])
def test_ending_python_is_said(reports, name, said):
    assert _error(reports, name).startswith(said)


def test_random_networks_come_from_the_seed():
    a, b = networks(1), networks(2)
    assert [label for label, _ in a][2:] == ["3-4-2 (random, seed 1)", "2-3-3-2 (random, seed 1)"]
    assert not np.array_equal(a[2][1].network.weights[0], b[2][1].network.weights[0])
    assert np.array_equal(a[2][1].network.weights[0], networks(1)[2][1].network.weights[0])


# -- the command line ------------------------------------------------------------------------------------------------

def test_the_command_line_exit_statuses(reports, capsys):
    assert main(["check", str(FILES / "article.py"), "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Checking {FILES / 'article.py'} on 1-1-1 and 2-3-2 (the article's), 3-4-2 and 2-3-3-2 "
                          "(random, seed 3)") and "All agree" in out


@pytest.mark.parametrize("name, said", [
    ("missing.py", "no such file (`tutor check --new"), ("notes.txt", "not a Python file (.py)"),
    ("folder.py", "is a directory"),
])
def test_a_file_that_is_not_there_or_not_python_is_one_line(tmp_path, capsys, name, said):
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "folder.py").mkdir()
    assert main(["check", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tutor: ") and said in err and err.count("\n") == 1


def test_new_writes_the_starter_once(tmp_path, capsys):
    path = tmp_path / "my_network.py"
    assert main(["check", "--new", str(path)]) == 0 and path.read_text() == STARTER
    path.write_text(ARTICLE)
    assert main(["check", "--new", str(path)]) == 2
    assert "already exists" in capsys.readouterr().err and path.read_text() == ARTICLE
    assert main(["check", "--new", str(tmp_path / "x.txt")]) == 2 and not (tmp_path / "x.txt").exists()
