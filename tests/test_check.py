"""`tutor check FILE.py` (tutor/check/): the article's file and Nielsen's shape agree on every level; each broken
learner file stops at the right first quantity with the right diagnosis; a file that cannot be run says why in
the learner's terms (their traceback, never ours) with exit status 2."""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from tutor.check import LEVELS, check_file
from tutor.check.render import render
from tutor.check.compare import networks
from tutor.check.starter import STARTER
from tutor.cli import main

FILES = Path(__file__).parent / "check_files"
# on one worker of the suite's two: the module's fixture checks every file once (about 10 s), not once per worker
pytestmark = pytest.mark.xdist_group("check")
ARTICLE = (FILES / "article.py").read_text()
SEED = 7

# file: (level, quantity, network, diagnosis id) of the FIRST quantity that differs
BROKEN = {
    "broken_transposed_dc_dw": ("helpers", "dc_dw(a_l1, dc_db_l2)", "2-3-2 (the article's)", "transposed"),
    "broken_no_sigmoid_prime": ("helpers", "dc_db(z_l2, dc_da_l2)", "1-1-1 (the article's)", "no-sigmoid-prime"),
    "broken_hidden_no_sigmoid_prime": ("backward pass", "dc_db_l1", "1-1-1 (the article's)", "no-sigmoid-prime"),
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
        # 2 GB: more than the child's 1 GiB of address space, though this machine could give it
        "error_memory_limit": _edited(ARTICLE, ("            self.z.append(z)\n",
                                                "            self.z.append(z + np.zeros(250_000_000)[:1])\n")),
        "error_exit": _edited(ARTICLE, ("        self.z = [placeholder]\n",
                                        "        import sys\n        sys.exit()\n        self.z = [placeholder]\n")),
        "error_os_exit": ARTICLE + "\nimport os\nos._exit(0)\n",
        "no_return": _edited(ARTICLE, ("return 1.0/(1.0+np.exp(-z))", "1.0/(1.0+np.exp(-z))")),
        "demo_at_the_top": ARTICLE + "\nwhile True:\n    Network([2, 3, 2]).feed_forward([0.8, 0.2])\n",
        "demo_under_main": ARTICLE + "\nif __name__ == '__main__':\n    while True:\n        pass\n",
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
    limits = {"error_loop": 1.0, "demo_at_the_top": 1.0}
    with ThreadPoolExecutor(4) as pool:
        futures = {name: pool.submit(check_file, path, seed=SEED, **({"time_limit": limits[name]} if name in limits
                                                                      else {}))
                   for name, path in paths.items()}
        return {name: future.result() for name, future in futures.items()}, paths


@pytest.mark.parametrize("name", ["article", "nielsen", "inlined", "demo_under_main"])
def test_a_right_network_agrees_on_every_level(reports, name):
    report = reports[0][name]
    assert report.exit_status == 0, (report.error, report.difference)
    assert [line.split(":")[0] for line in report.passed] == list(LEVELS)
    assert report.networks[:2] == ["1-1-1 (the article's)", "2-3-2 (the article's)"]
    assert f"(random, seed {SEED})" in report.networks[2]
    shown = render(report)
    assert "All agree" in shown and shown.count("✓") == len(LEVELS)
    assert shown.endswith(f"2 of them never seen before. Well done!\nNow train it: tutor check {report.path} --train "
                          "--limit 10000 --epochs 3")


def test_what_was_seen_and_what_only_through_its_effect(reports):
    article, nielsen, inlined = (reports[0][n] for n in ("article", "nielsen", "inlined"))
    assert article.effect_only == []
    assert {"z_l1", "dc_da_l3", "dc_dw_l1", "dc_da_l1", "updated_cost"} <= set(article.seen)
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
    assert "yours      -0.0465585\n      engine's   -0.0465313" in render(reports[0]["broken_updated_weights"])
    t = reports[0]["broken_transposed_dc_dw"].difference
    assert t.index is None and np.shape(t.yours) == (3, 2) and np.shape(t.expected) == (2, 3)
    assert "shape      3x2 (the engine's is 2x3)" in render(reports[0]["broken_transposed_dc_dw"])
    assert "first " not in render(reports[0]["broken_no_sigmoid"])  # one number: yours and the engine's say it


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
    assert error.startswith("stopped after 1 s, the time limit: your code was still running feed_forward(inputs) on "
                            "1-1-1 (the article's)")
    assert f"line {line} in feed_forward" in error or f"line {line - 1} in feed_forward" in error


def test_a_demo_at_the_top_of_the_file_is_said_with_where_it_belongs(reports):
    error = _error(reports, "demo_at_the_top")
    assert error.startswith("stopped after 1 s, the time limit: your code was still running loading "
                            "demo_at_the_top.py (its top-level code) (at line")
    assert "goes under `if __name__ == \"__main__\":`" in error


def test_a_function_without_return_is_said(reports):
    report = reports[0]["no_return"]
    d = report.difference
    assert report.exit_status == 1 and (d.level, d.quantity, d.yours) == ("helpers", "sigmoid(z_l1)", None)
    assert d.note == "None (nothing returned: a missing `return`?)"
    assert "      yours      None (nothing returned: a missing `return`?)" in render(report)


def test_the_memory_limit_says_which_call(reports):
    error = _error(reports, "error_memory")
    assert error.startswith("over the memory limit (1 GiB) in loading error_memory.py (its top-level code): "
                            "MemoryError")
    assert 'File "error_memory.py", line' in error
    error = _error(reports, "error_memory_limit")
    assert error.startswith("over the memory limit (1 GiB) in feed_forward(inputs) on 1-1-1 (the article's): "
                            "MemoryError: Unable to allocate 1.86 GiB")
    assert 'File "error_memory_limit.py", line' in error


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


# -- --watch ---------------------------------------------------------------------------------------------------------

def test_watch_checks_again_when_the_file_is_saved_and_gives_hints_one_at_a_time(tmp_path):
    from tutor.check.compare import check_file as check
    from tutor.check.watch import watch

    path = tmp_path / "mine.py"
    path.write_text((FILES / "broken_no_half.py").read_text())
    said: list[str] = []
    checks: list[int] = []

    def checked(p):
        report = check(p, seed=SEED)
        checks.append(report.exit_status)
        return report

    def fixed():  # the learner saves the right cost
        path.write_text(ARTICLE)
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))

    script = iter([None, "h", "h", "h", "h", fixed, None, None, "q"])

    def keys(timeout):
        assert timeout == 0.3
        key = next(script)
        if callable(key):
            key()
            return None
        return key

    assert watch(str(path), checked, said.append, keys) == 0
    assert checks == [1, 0]  # a check at the start and one after the save; none while nothing changed
    text = "\n".join(said)
    assert "✗ helpers: cost(a_l2, y) differs" in text and "h: a hint (3), q: quit" in text
    assert [line.split(":")[0].strip() for line in said if line.startswith("  hint ")] == \
        ["hint 1 of 3", "hint 2 of 3", "hint 3 of 3"]
    assert "that was the last hint (3 of 3)" in text
    assert said[-1] == f"Watching {path}: all agree. q quits."


# -- --train ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["article", "nielsen"])
def test_train_runs_their_network_beside_the_engine_from_the_same_start(shared_data, capsys, name):
    assert main(["--data", str(shared_data), "check", str(FILES / f"{name}.py"), "--train", "--limit", "300",
                 "--epochs", "2", "--seed", "4"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"Training {FILES / f'{name}.py'} and the engine on 300 MNIST images, 2 epochs, one "
                             "example at a time, step size 0.5, 784-30-10, seed 4")
    epochs = [re.fullmatch(r"Epoch (\d): yours (\d+) / 100 · engine (\d+) / 100", line) for line in out[1:3]]
    assert [m.group(1) for m in epochs] == ["1", "2"]
    assert all(m.group(2) == m.group(3) for m in epochs)  # the same arithmetic: the same count, not just close
    assert int(epochs[-1].group(2)) > 20                   # it learned something (chance is 10; 36 here)
    assert out[3] == "Your network learned as the engine did: the same count after every epoch."


def test_train_says_why_their_code_stopped(shared_data, tmp_path, capsys):
    path = tmp_path / "mine.py"
    path.write_text(_edited(ARTICLE, ("        y = np.asarray([y]).transpose()\n",
                                      "        y = np.asarray([y]).transpose()\n        assert y.shape == (3, 1)\n")))
    assert main(["--data", str(shared_data), "check", str(path), "--train", "--limit", "10"]) == 2
    out = capsys.readouterr().out
    assert "✗ your code raised AssertionError in feed_forward and propagate_backward on training image 1, epoch 1" \
        in out and 'File "mine.py", line' in out and "tutor/" not in out


def test_upto_checks_the_levels_up_to_one(tmp_path):
    """What a lesson step asks for: "your helpers agree", before the Network is written."""
    report = check_file(_made(tmp_path)["helpers_only"], seed=SEED, upto="helpers")
    assert report.exit_status == 0 and [line.split(":")[0] for line in report.passed] == ["helpers"]


def test_the_article_in_python_2_is_told_about_range(tmp_path):
    path = tmp_path / "py2.py"
    path.write_text(ARTICLE.replace("for l in range(1, self.num_layers):", "for l in xrange(1, self.num_layers):"))
    report = check_file(path, seed=SEED, upto="forward pass")
    assert report.exit_status == 2
    assert "NameError: name 'xrange' is not defined in feed_forward(inputs) on 1-1-1 (the article's) (the " \
           "article's code is Python 2: xrange is range in Python 3)" in report.error


def test_a_difference_in_a_matrix_shows_its_first_differing_element():
    from tutor.check.diagnose import Diagnosis
    from tutor.check.report import Difference, Report

    spec = networks(1)[1][1]
    expected = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
    yours = expected.copy()
    yours[1, 0] = 0.45
    d = Difference("backward pass", "dc_dw_l2", "2-3-2 (the article's)", spec, (1, 0), yours, expected,
                   "∂C/∂w_l2 = ∂C/∂b_l2 · a_l1ᵀ", Diagnosis("neighbour", "an index slipped"), {}, "dc_dw_l2")
    text = render(Report("mine.py", difference=d))
    assert "      first      dc_dw_l2[1][0]: yours 0.45, the engine's 0.4" in text
    assert "      shape      2x3\n" in text and "diagnosis  an index slipped" in text


def test_a_difference_on_a_random_network_says_how_to_see_it_again(tmp_path):
    path = tmp_path / "four_layers.py"  # right on three layers; on four, the middle layer's ∂C/∂b is σ′-less
    path.write_text(_edited(ARTICLE, ("        for l in range(self.num_layers-2, 0, -1):\n            z = self.z[l]\n"
                                      "            biases_gradient = dc_db(z, activations_gradient)",
                                      "        for l in range(self.num_layers-2, 0, -1):\n            z = self.z[l]\n"
                                      "            biases_gradient = dc_db(z, activations_gradient) if l == 1 else "
                                      "activations_gradient")))
    report = check_file(path, seed=SEED)
    d = report.difference
    assert (d.level, d.quantity, d.network) == ("backward pass", "dc_db_l2", f"2-3-3-2 (random, seed {SEED})")
    assert d.diagnosis.mistake == "no-sigmoid-prime"
    assert f"this network again: tutor check {path} --seed {SEED}" in render(report)


def test_a_check_can_be_stopped_from_outside(reports):
    """The app's worker, cancelled: the child ends within a tenth of a second of being asked."""
    import time

    asked = []
    start = time.monotonic()
    report = check_file(reports[1]["error_loop"], seed=SEED,
                        should_stop=lambda: asked.append(1) or time.monotonic() - start > 0.8)
    assert report.exit_status == 2 and report.error == "the check was stopped before it ended"
    assert len(asked) >= 2 and time.monotonic() - start < 5
