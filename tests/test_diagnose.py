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
    assert diagnose(name, np.asarray(yours) * (1 + 1e-5) + 1e-9, values) is None  # near a mistake is not the mistake


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


# -- on the article's 1-1-1 network every number is a 1x1: the same mistakes, but never "transposed" ---------------

def test_on_1_1_1_a_transpose_is_never_claimed():
    values = ARTICLE_1_1_1
    for mistake, cases in WRONG.items():
        for name, make in cases:
            name = name.format(L=2, H=1, P=0)
            with np.errstate(all="ignore"):
                yours = make(values, 2, 1, 0)
            found = diagnose(name, yours, values)
            if agrees(yours, values.get(name, np.nan)):  # a 1x1 transposed, w * a for a 1x1 w: right there
                assert found is None
            else:
                assert found is not None and found.mistake == mistake, (name, found)


def test_the_article_s_1_1_1_code_is_right_there():
    v = ARTICLE_1_1_1
    assert diagnose("dc_dw_l2", v["a_l1"] * v["dc_db_l2"], v) is None
    assert diagnose("dc_da_l1", v["w_l2"] * v["dc_db_l2"], v) is None
    assert diagnose("z_l1", v["w_l1"] * v["a_l0"] + v["b_l1"], v) is None
    for name in ("dc_dw_l2", "dc_db_l2", "z_l1", "updated_w_l2", "original_cost"):
        assert diagnose(name, v[name] * 1.5, v) is None  # a wrong number matching no mistake is not diagnosed


# -- square matrices (3-4-4-2: w_l2 is 4x4): a transpose has the right shape and is still named ---------------------

def test_square_matrices():
    v = NETWORKS["3-4-4-2"]
    assert v["w_l2"].shape == (4, 4)
    cases = {
        "transposed": [("dc_dw_l2", np.dot(v["a_l1"], v["dc_db_l2"].T)),
                       ("dc_da_l1", np.dot(v["w_l2"], v["dc_db_l2"])),          # w without its transpose
                       ("updated_w_l2", (v["w_l2"] - v["dc_dw_l2"] * v["step_size"]).T),
                       ("updated_w_l2", v["w_l2"] - v["dc_dw_l2"].T * v["step_size"]),     # the gradient turned
                       ("z_l2", np.dot(v["w_l2"].T, v["a_l1"]) + v["b_l2"])],
        "broadcast": [("z_l2", v["w_l2"] * v["a_l1"] + v["b_l2"])],            # a 4x4 where 4x1 was meant
        "previous-layer": [("dc_dw_l2", np.dot(v["dc_db_l2"], v["a_l2"].T)),
                           ("z_l2", np.dot(v["w_l2"], v["a_l2"]) + v["b_l2"])],
    }
    for mistake, found in cases.items():
        for name, yours in found:
            got = diagnose(name, yours, v)
            assert got is not None and got.mistake == mistake, (name, got)
    assert "(yours is 4x4, z_l2 is 4x1)" in diagnose("z_l2", v["w_l2"] * v["a_l1"] + v["b_l2"], v).message


# -- a learner's whole backward pass, the hidden error taken after the update at every layer -------------------------

def test_updated_weights_at_every_layer_of_a_deeper_network():
    v = NETWORKS["3-4-4-2"]
    L, eta = 3, v["step_size"]
    w = {l: v[f"w_l{l}"].copy() for l in range(1, L + 1)}
    b = {l: v[f"b_l{l}"].copy() for l in range(1, L + 1)}
    theirs = {f"dc_da_l{L}": v[f"a_l{L}"] - v["y"]}
    for l in range(L, 0, -1):
        delta = theirs[f"dc_db_l{l}"] = sigmoid_prime(v[f"z_l{l}"]) * theirs[f"dc_da_l{l}"]
        dw = theirs[f"dc_dw_l{l}"] = np.dot(delta, v[f"a_l{l - 1}"].T)
        w[l] -= eta * dw
        b[l] -= eta * delta
        theirs[f"dc_da_l{l - 1}"] = np.dot(w[l].T, delta)  # too late: w[l] is already updated
    assert agrees(w[3], v["updated_w_l3"]) and agrees(b[3], v["updated_b_l3"])
    hidden = [(f"{q}_l{l}", theirs[f"{q}_l{l}"]) for l in (2, 1) for q in ("dc_da", "dc_db", "dc_dw")]
    for name, yours in (*hidden, ("updated_w_l2", w[2]), ("updated_b_l2", b[2]), ("updated_w_l1", w[1]),
                        ("updated_b_l1", b[1])):
        got = diagnose(name, yours, v)
        assert got is not None and got.mistake == "updated-weights", (name, got)
    a = v["a_l0"]
    for l in range(1, L + 1):
        a = sigmoid(np.dot(w[l], a) + b[l])
    assert diagnose("updated_cost", 0.5 * float(np.sum((a - v["y"]) ** 2)), v).mistake == "updated-weights"


# -- the batch size: the update m times too large (the sum, not the mean) or too small ------------------------------

@pytest.mark.parametrize("m", [4, 10])
def test_off_by_the_batch_size(m):
    v = NETWORKS["2-3-2"]
    summed = m * v["dc_dw_l2"]  # the batch's summed gradient (m copies of this example), the update wants its mean
    too_large = v["w_l2"] - v["step_size"] * summed
    too_small = v["w_l2"] - v["step_size"] / m * v["dc_dw_l2"]
    for yours in (too_large, too_small):
        got = diagnose("updated_w_l2", yours, v, batch_size=m)
        assert got is not None and got.mistake == "batch-size"
        if m * v["step_size"] != 1:  # else it is also the update without η
            assert diagnose("updated_w_l2", yours, v) is None  # one example: no batch to be off by
    assert diagnose("updated_w_l2", v["updated_w_l2"], v, batch_size=m) is None


# -- an index slip: each wrong element is a neighbouring one --------------------------------------------------------

def test_a_neighbouring_element():
    v = NETWORKS["4-3-5-2"]
    slipped = v["dc_dw_l2"].copy()
    slipped[2, 1] = v["dc_dw_l2"][2, 2]  # out[j][k] = ...[j][k + 1]
    got = diagnose("dc_dw_l2", slipped, v)
    assert got is not None and got.mistake == "neighbour" and "[2][1]" in got.message and "[2][2]" in got.message
    swapped = v["updated_b_l3"][::-1].copy()
    assert diagnose("updated_b_l3", swapped, v).mistake == "neighbour"
    far = v["dc_dw_l2"].copy()
    far[2, 1] = v["dc_dw_l2"][0, 2]
    assert diagnose("dc_dw_l2", far, v) is None


# -- errors the learner's code raised -----------------------------------------------------------------------------

def _error(compute) -> str:
    try:
        compute()
    except ValueError as e:
        return f"ValueError: {e}"
    raise AssertionError("no error")


def test_errors_are_diagnosed():
    v = NETWORKS["2-3-2"]
    cases = [
        ("z_l1", lambda: v["w_l1"] * v["a_l0"] + v["b_l1"], "broadcast"),
        ("dc_da_l1", lambda: v["w_l2"].T * v["dc_db_l2"], "broadcast"),
        ("dc_dw_l2", lambda: np.dot(v["dc_db_l2"], v["a_l1"]), "transposed"),        # a_prev not transposed
        ("dc_da_l1", lambda: np.dot(v["w_l2"], v["dc_db_l2"]), "transposed"),        # w not transposed
        ("dc_da_l1", lambda: v["w_l2"] @ v["dc_db_l2"], "transposed"),
        ("z_l2", lambda: np.dot(v["a_l1"], v["w_l2"]) + v["b_l2"], "transposed"),    # the order turned round
        ("dc_db_l2", lambda: np.dot(sigmoid_prime(v["z_l2"]), v["dc_da_l2"]), "broadcast"),  # np.dot for `*`
        ("updated_w_l2", lambda: v["w_l2"] - v["dc_dw_l2"].T * v["step_size"], "transposed"),
    ]
    for name, compute, mistake in cases:
        got = diagnose_error(name, _error(compute), v)
        assert got is not None and got.mistake == mistake, (name, got)
    assert diagnose_error("z_l1", "NameError: name 'x' is not defined", v) is None
    assert diagnose_error("updated_b_l2", _error(lambda: v["b_l2"] - np.ones((3, 1))), v) is None


# -- agreeing ----------------------------------------------------------------------------------------------------------

def test_agrees():
    one = np.array([[0.25]])
    assert agrees(0.25, one) and agrees(one, 0.25) and agrees(np.float64(0.25), one) and agrees([0.25], one)
    assert agrees(np.array(0.25), one) and agrees([[0.25]], 0.25)
    column = np.array([[1.0], [2.0], [3.0]])
    assert not agrees(np.array([1.0, 2.0, 3.0]), column) and not agrees(column.T, column)
    assert agrees(column * (1 + 5e-8), column) and not agrees(column * (1 + 1e-6), column)
    assert agrees(np.zeros((3, 1)) + 1e-13, np.zeros((3, 1))) and not agrees(np.zeros((3, 1)) + 1e-9, np.zeros((3, 1)))
    assert not agrees(np.nan, np.nan) and not agrees(column, np.full((3, 1), np.nan))
    assert not agrees("0.25", one) and not agrees(None, one) and not agrees([[0.25], [1]], one)
    assert agrees(column.astype(int), column)


def test_first_difference():
    v = NETWORKS["2-3-2"]
    right = v["dc_dw_l2"]
    wrong = right.copy()
    wrong[1, 2] += 0.5
    wrong[1, 0] += 0.25
    assert first_difference(wrong, right) == ((1, 0), float(wrong[1, 0]), float(right[1, 0]))
    assert first_difference(right.T, right) == (None, None, None)
    assert first_difference(None, right) == (None, None, None)
    assert first_difference(0.5, v["original_cost"]) == ((), 0.5, v["original_cost"])
    assert first_difference(right * (1 + 1e-9), right) is None


# -- the hints -----------------------------------------------------------------------------------------------------

def test_three_hints_for_every_quantity_and_helper():
    for values in (NETWORKS["2-3-2"], NETWORKS["3-4-4-2"]):
        L = max(int(k[3:]) for k in values if k.startswith("w_l"))
        sizes = [np.shape(values["a_l0"])[0]] + [np.shape(values[f"b_l{l}"])[0] for l in range(1, L + 1)]
        for name in [*values, *(f"sigmoid_prime_l{l}" for l in range(1, L + 1))]:
            for given in (sizes, None):
                found = hints(name, sizes=given)
                assert len(found) == 3 and all(isinstance(h, str) and len(h) > 10 for h in found), name
    for helper in ("sigmoid", "sigmoid_prime", "raw_activation", "z", "dc_db", "dc_dw", "dc_da_prev", "cost"):
        assert len(hints(helper)) == 3
    gentle, formula, code = hints("dc_dw_l2", sizes=[2, 3, 2])
    assert "∂C/∂w_l2 = ∂C/∂b_l2 · a_l1ᵀ: a 2x1 column times a 1x3 row" in formula
    assert "np.dot(dc_db, a_prev.transpose())" in code
    assert "a_l2 − y" in hints("dc_da_l2", sizes=[2, 3, 2])[1]
    assert "w_l2ᵀ · ∂C/∂b_l2" in hints("dc_da_l1", sizes=[2, 3, 2])[1]
    with pytest.raises(ValueError):
        hints("nonsense")


def test_every_mistake_is_tested():
    named = set(WRONG) | {"batch-size", "neighbour", "transposed", "broadcast", "previous-layer"}
    assert named == set(MISTAKES)
    assert Diagnosis("sign", "x").mistake == "sign"


def test_anything_the_learner_s_code_returns_is_answered_without_an_error():
    values = NETWORKS["2-3-2"]
    as_lists = {k: np.asarray(v).tolist() for k, v in values.items()}  # values as JSON gives them
    junk = [None, "0.5", [1, [2]], np.nan, np.inf, np.zeros(0), np.ones((2, 3, 4)), 1j, {}, np.full((2, 1), np.nan)]
    for name in (*values, "sigmoid_prime_l1", "nonsense", "dc_da_l0"):
        for yours in junk:
            assert diagnose(name, yours, values, batch_size=3) is None
            first_difference(yours, values.get(name, 0.0))
        assert diagnose(name, junk[2], as_lists) is None and diagnose(name, 0.5, {}) is None
        assert diagnose_error(name, "garbage (((", values) is None
    assert diagnose("dc_dw_l2", np.asarray(values["dc_dw_l2"]).T, as_lists).mistake == "transposed"
