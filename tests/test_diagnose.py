"""The diagnoses of tutor.check.diagnose: each classic mistake, made the way a learner makes it (a deliberately wrong
numpy computation written out below), is named on the article's 2-3-2 network and on random networks of other
shapes; the right value agrees and is never diagnosed; a 1x1 is never called transposed."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.check.diagnose import MISTAKES, Diagnosis, agrees, diagnose, diagnose_error, first_difference
from tutor.check.hints import hints
from tutor.engine.network import Network
from tutor.engine.spec import load_spec
from tutor.engine.trace import trace_step


def _values(trace) -> dict:
    return {e.name: e.value for e in trace}


def _random(sizes: list[int], seed: int) -> dict:
    rng = np.random.default_rng(seed)
    network = Network(sizes, seed=seed)
    return _values(trace_step(network, rng.random(sizes[0]), rng.random(sizes[-1]), 0.5))


NETWORKS = {
    "2-3-2": _values(load_spec("two-three-two").trace()),
    "3-4-4-2": _random([3, 4, 4, 2], 8123),
    "4-3-5-2": _random([4, 3, 5, 2], 77),
}
ARTICLE_1_1_1 = _values(load_spec("one-one-one").trace())


# The article's helpers, written as a learner writes them, right...
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


# ... and the ways learners get each quantity wrong. `v` holds the quantities computed so far (the engine's); in a
# name, {L} is the output layer, {H} the hidden layer before it and {P} the layer before that (the input on 2-3-2).
WRONG = {
    "transposed": [
        ("dc_dw_l{L}", lambda v, L, H, P: np.dot(v[f"a_l{H}"], v[f"dc_db_l{L}"].transpose())),
        ("dc_dw_l{H}", lambda v, L, H, P: np.dot(v[f"a_l{P}"], v[f"dc_db_l{H}"].T)),
        ("z_l{H}", lambda v, L, H, P: np.dot(v[f"a_l{P}"].T, v[f"w_l{H}"].T) + v[f"b_l{H}"].T),
        ("dc_da_l{L}", lambda v, L, H, P: (v[f"a_l{L}"] - v["y"]).T),
    ],
    "no-sigmoid-prime": [
        ("dc_db_l{L}", lambda v, L, H, P: 1 * v[f"dc_da_l{L}"]),
        ("dc_db_l{H}", lambda v, L, H, P: sigmoid(v[f"z_l{H}"]) * v[f"dc_da_l{H}"]),     # σ where σ′ was meant
        ("updated_b_l{H}", lambda v, L, H, P: v[f"b_l{H}"] - v[f"dc_da_l{H}"] * v["step_size"]),
        ("dc_dw_l{L}", lambda v, L, H, P: np.dot(v[f"dc_da_l{L}"], v[f"a_l{H}"].T)),
        ("dc_da_l{H}", lambda v, L, H, P: np.dot(v[f"w_l{L}"].T, v[f"dc_da_l{L}"])),
    ],
    "sigmoid-prime-of-a": [
        ("dc_db_l{L}", lambda v, L, H, P: sigmoid_prime(v[f"a_l{L}"]) * v[f"dc_da_l{L}"]),
        ("dc_db_l{H}", lambda v, L, H, P: sigmoid(v[f"a_l{H}"]) * (1 - sigmoid(v[f"a_l{H}"])) * v[f"dc_da_l{H}"]),
        ("sigmoid_prime_l{H}", lambda v, L, H, P: sigmoid_prime(v[f"a_l{H}"])),
    ],
    "updated-weights": [
        ("dc_da_l{H}", lambda v, L, H, P: np.dot(v[f"updated_w_l{L}"].transpose(), v[f"dc_db_l{L}"])),
        ("dc_db_l{H}", lambda v, L, H, P: sigmoid_prime(v[f"z_l{H}"]) * np.dot(v[f"updated_w_l{L}"].T,
                                                                                 v[f"dc_db_l{L}"])),
        ("updated_b_l{H}", lambda v, L, H, P: v[f"b_l{H}"] - sigmoid_prime(v[f"z_l{H}"])
         * np.dot(v[f"updated_w_l{L}"].T, v[f"dc_db_l{L}"]) * v["step_size"]),
    ],
    "sign": [
        ("updated_w_l{L}", lambda v, L, H, P: v[f"w_l{L}"] + v[f"dc_dw_l{L}"] * v["step_size"]),
        ("updated_b_l{H}", lambda v, L, H, P: v[f"b_l{H}"] + v[f"dc_db_l{H}"] * v["step_size"]),
        ("dc_da_l{L}", lambda v, L, H, P: v["y"] - v[f"a_l{L}"]),
        ("a_l{H}", lambda v, L, H, P: 1.0 / (1.0 + np.exp(v[f"z_l{H}"]))),
        ("dc_dw_l{H}", lambda v, L, H, P: -np.dot(v[f"dc_db_l{H}"], v[f"a_l{P}"].T)),
    ],
    "broadcast": [
        ("dc_da_l{H}", lambda v, L, H, P: v[f"w_l{L}"] * v[f"dc_db_l{L}"]),  # the 1-1-1 article's dc_da_prev
    ],
    "previous-layer": [
        ("dc_dw_l{H}", lambda v, L, H, P: np.dot(v[f"dc_db_l{H}"], v[f"a_l{H}"].T)),
        ("dc_dw_l{L}", lambda v, L, H, P: np.dot(v[f"dc_db_l{L}"], v[f"a_l{L}"].T)),
    ],
    "z-for-a": [
        ("dc_dw_l{L}", lambda v, L, H, P: np.dot(v[f"dc_db_l{L}"], v[f"z_l{H}"].T)),
        ("dc_da_l{L}", lambda v, L, H, P: v[f"z_l{L}"] - v["y"]),
        ("z_l{L}", lambda v, L, H, P: np.dot(v[f"w_l{L}"], v[f"z_l{H}"]) + v[f"b_l{L}"]),
        ("dc_db_l{L}", lambda v, L, H, P: v[f"z_l{L}"] * (1 - v[f"z_l{L}"]) * v[f"dc_da_l{L}"]),
        ("original_cost", lambda v, L, H, P: 0.5 * float(np.sum((v[f"z_l{L}"] - v["y"]) ** 2))),
    ],
    "no-step-size": [
        ("updated_w_l{H}", lambda v, L, H, P: v[f"w_l{H}"] - v[f"dc_dw_l{H}"]),
        ("updated_b_l{L}", lambda v, L, H, P: v[f"b_l{L}"] - v[f"dc_db_l{L}"]),
    ],
    "no-sigmoid": [
        ("a_l{L}", lambda v, L, H, P: v[f"z_l{L}"]),
        ("a_l{H}", lambda v, L, H, P: np.dot(v[f"w_l{H}"], v[f"a_l{P}"]) + v[f"b_l{H}"]),
        ("updated_a_l{L}", lambda v, L, H, P: v[f"updated_z_l{L}"]),
    ],
    "no-half": [
        ("original_cost", lambda v, L, H, P: float(np.sum((v[f"a_l{L}"] - v["y"]) ** 2))),
        ("updated_cost", lambda v, L, H, P: float(np.sum((v[f"updated_a_l{L}"] - v["y"]) ** 2))),
        ("dc_da_l{L}", lambda v, L, H, P: 2 * (v[f"a_l{L}"] - v["y"])),
    ],
}
CASES = [(network, mistake, name, make) for network in NETWORKS for mistake, cases in WRONG.items()
         for name, make in cases]


@pytest.mark.parametrize("network,mistake,name,make", CASES, ids=[f"{n}-{m}-{q}" for n, m, q, _ in CASES])
def test_each_mistake_is_named(network, mistake, name, make):
    values = NETWORKS[network]
    L = max(int(k[3:]) for k in values if k.startswith("w_l"))
    name = name.format(L=L, H=L - 1, P=L - 2)
    with np.errstate(all="ignore"):
        yours = make(values, L, L - 1, L - 2)
    assert not agrees(yours, values.get(name, np.nan))
    found = diagnose(name, yours, values)
    assert found is not None and found.mistake == mistake, (name, found)
    assert found.message


def test_the_right_values_agree_and_are_never_diagnosed():
    for values in (*NETWORKS.values(), ARTICLE_1_1_1):
        for name, value in values.items():
            assert agrees(value, value) and first_difference(value, value) is None
            assert diagnose(name, np.array(value, copy=True), values) is None
            assert diagnose(name, np.asarray(value) * (1 + 1e-9), values) is None  # another order of operations


def test_a_1x1_is_never_called_transposed():
    values = ARTICLE_1_1_1
    for name in ("dc_dw_l2", "dc_dw_l1", "dc_db_l2", "z_l1", "updated_w_l2"):
        found = diagnose(name, np.asarray(values[name]) * 1.5, values)
        assert found is None or found.mistake != "transposed"
    assert diagnose("dc_dw_l2", values["a_l1"] * values["dc_db_l2"], values) is None  # the article's own code
