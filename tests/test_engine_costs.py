"""Beyond the article (issue 13): the cross-entropy cost, scaled initialisation and L2 regularisation, each against
central finite differences on several shapes, and their traces typed line by line into the >>> prompt."""

import numpy as np
import pytest

from tutor.engine.network import Network, cross_entropy, sigmoid
from tutor.engine.spec import parse_spec
from tutor.engine.trace import trace_step
from tutor.errors import InputError
from test_engine_gradients import numeric_gradient, rel_error

SHAPES = [[1, 1, 1], [2, 3, 2], [4, 6, 5, 3, 2], [3, 1, 4], [5, 4, 3]]


def forward_z(net, x):
    """The output layer's raw activations."""
    a = x
    for w, b in zip(net.weights[:-1], net.biases[:-1]):
        a = sigmoid(np.dot(w, a) + b)
    return np.dot(net.weights[-1], a) + net.biases[-1]


def example(sizes, seed, binary=False):
    rng = np.random.default_rng(200 + seed)
    x = rng.uniform(0, 1, (sizes[0], 1))
    y = rng.integers(0, 2, (sizes[-1], 1)).astype(float) if binary else rng.uniform(0, 1, (sizes[-1], 1))
    return x, y


@pytest.mark.parametrize("sizes", SHAPES, ids=lambda s: "-".join(map(str, s)))
@pytest.mark.parametrize("seed", [0, 1])
def test_cross_entropy_gradients_match_finite_differences(sizes, seed):
    net = Network(sizes, seed=seed, cost="cross-entropy")
    x, y = example(sizes, seed, binary=seed == 1)
    trace = trace_step(net, x, y, 0.5)
    L = len(sizes) - 1
    f = lambda: cross_entropy(forward_z(net, x), y)  # noqa: E731
    assert trace["original_cost"].value == pytest.approx(f(), rel=1e-15)
    for l in range(1, L + 1):
        assert rel_error(trace[f"dc_dw_l{l}"].value, numeric_gradient(f, net.weights[l - 1])) < 1e-6
        assert rel_error(trace[f"dc_db_l{l}"].value, numeric_gradient(f, net.biases[l - 1])) < 1e-6
    a = trace[f"a_l{L}"].value.copy()
    with np.errstate(divide="ignore"):
        g = numeric_gradient(lambda: float(np.sum(-y * np.log(a) - (1 - y) * np.log(1 - a))), a)
    assert rel_error(trace[f"dc_da_l{L}"].value, g) < 1e-6
    # σ′ cancelled: ∂C/∂b of the output layer is a − y exactly, and the trace says so
    np.testing.assert_array_equal(trace[f"dc_db_l{L}"].value, trace[f"a_l{L}"].value - y)
    assert "cancelled" in trace[f"dc_db_l{L}"].formula and trace[f"dc_db_l{L}"].code == f"a_l{L} - y"


def test_cross_entropy_is_finite_and_right_where_the_output_saturates():
    z = np.array([[40.0], [-800.0], [800.0]])
    y = np.array([[0.0], [1.0], [1.0]])
    # a = σ(40) rounds to 1.0, so ln(1 − a) would be ln 0; from z: ln(1 + e^40) ≈ 40, ln(1 + e^800) ≈ 800
    assert cross_entropy(z, y) == pytest.approx(40.0 + 800.0 + 0.0, rel=1e-12)
    net = Network([1, 1], [[[100.0]]], [[0.0]], cost="cross-entropy")
    trace = trace_step(net, [1.0], [0.0], 0.1)
    assert trace["original_cost"].value == pytest.approx(100.0)
    assert trace["dc_db_l1"].value[0, 0] == 1.0  # a − y: the neuron learns fast, although it has saturated


@pytest.mark.parametrize("sizes", SHAPES[1:], ids=lambda s: "-".join(map(str, s)))
@pytest.mark.parametrize("kind", ["quadratic", "cross-entropy"])
def test_the_regularised_update_is_a_step_down_the_regularised_cost(sizes, kind):
    """w' = (1 − ηλ/n)·w − η·∂C₀/∂w is w − η·∂C/∂w for C = C₀ + λ/2n Σ w² (biases are not regularised)."""
    net = Network(sizes, seed=3, cost=kind)
    x, y = example(sizes, 3)
    eta, lmbda, n = 0.5, 5.0, 40
    trace = trace_step(net, x, y, eta, lmbda, n)
    C0 = (lambda: cross_entropy(forward_z(net, x), y)) if kind == "cross-entropy" else \
        (lambda: 0.5 * float(np.sum((sigmoid(forward_z(net, x)) - y) ** 2)))
    f = lambda: C0() + lmbda / (2 * n) * sum(float(np.sum(w ** 2)) for w in net.weights)  # noqa: E731
    assert trace["weight_decay"].value == 1 - eta * lmbda / n
    for l in range(1, len(sizes)):
        w, b = net.weights[l - 1].copy(), net.biases[l - 1].copy()
        assert rel_error((w - trace[f"updated_w_l{l}"].value) / eta, numeric_gradient(f, net.weights[l - 1])) < 1e-6
        assert rel_error((b - trace[f"updated_b_l{l}"].value) / eta, numeric_gradient(f, net.biases[l - 1])) < 1e-6
        np.testing.assert_array_equal(trace[f"updated_w_l{l}"].value,
                                      trace["weight_decay"].value * w - trace[f"dc_dw_l{l}"].value * eta)


def test_training_with_weight_decay_shrinks_weights_by_the_factor_every_step():
    net = Network([3, 2], seed=0)
    before = net.weights[0].copy()
    zero = net.workspace(1)
    zero.flat[:] = 0
    net.update(zero, 0.5, 1, decay=0.9)  # no gradient: only the decay
    np.testing.assert_array_equal(net.weights[0], before * 0.9)
    assert np.all(net.biases[0] == Network([3, 2], seed=0).biases[0])


def test_scaled_initialisation_divides_the_same_draws_by_the_square_root_of_the_inputs():
    standard, scaled = Network([784, 30, 10], seed=5), Network([784, 30, 10], seed=5, init="scaled")
    np.testing.assert_allclose(scaled.weights[0], standard.weights[0] / np.sqrt(784))
    np.testing.assert_allclose(scaled.weights[1], standard.weights[1] / np.sqrt(30))
    np.testing.assert_array_equal(scaled.biases[1], standard.biases[1])
    assert 0.02 < scaled.weights[0].std() < 0.05  # 1/√784 ≈ 0.036


@pytest.mark.parametrize("kind,lmbda", [("cross-entropy", 0.0), ("quadratic", 5.0), ("cross-entropy", 0.1)])
def test_every_transcript_line_typed_at_the_prompt_gives_the_tracers_value(kind, lmbda):
    """The trace's code is what computes its numbers: each line, typed into the sandbox, gives the value exactly."""
    from tutor.sandbox import Sandbox, namespace_of

    spec = parse_spec({"layers": [2, 3, 2], "seed": 4, "input": [0.8, 0.2], "target": [0, 1], "step_size": 0.5,
                       "cost": kind, "lmbda": lmbda, "n": 50}, "f.toml")
    trace = spec.trace()
    sandbox = Sandbox({e.name: v for e, v in zip(trace, namespace_of(trace).values()) if e.given})
    try:
        for entry in trace:
            if entry.given:
                continue
            outcome = sandbox.run(f"{entry.name} = {entry.code}; {entry.name}")
            assert outcome.error is None, (entry.name, outcome.error)
            assert outcome.output == entry.text(), entry.name
    finally:
        sandbox.close()


@pytest.mark.parametrize("fields,message", [
    ({"cost": "log-likelihood"}, "f.toml: cost: expected 'quadratic' or 'cross-entropy', got 'log-likelihood'"),
    ({"init": "xavier"}, "f.toml: init: expected 'standard' or 'scaled', got 'xavier'"),
    ({"lmbda": -1.0, "n": 10}, "f.toml: lmbda must not be negative"),
    ({"lmbda": 5.0}, "f.toml: lmbda needs n, the number of training images"),
    ({"lmbda": 5.0, "n": 0}, "f.toml: n must be a whole number from 1 to 1,000,000,000, got 0"),
    ({"lmbda": "a lot", "n": 10}, "f.toml: lmbda: expected a number, got 'a lot'"),
])
def test_bad_cost_init_and_lmbda_are_named_in_one_line(fields, message):
    with pytest.raises(InputError) as e:
        parse_spec({"layers": [2, 2], "seed": 0, "input": [0, 1], "target": [1, 0], **fields}, "f.toml")
    assert str(e.value).startswith(message) and "\n" not in str(e.value)


def test_the_books_saturated_neuron_learns_slowly_with_the_quadratic_cost_and_at_once_with_cross_entropy():
    """Nielsen's chapter 3: x = 1, y = 0, η = 0.15. From output 0.82 ∂C/∂b is 0.122; from 0.98 only 0.0174, seven
    times smaller although the neuron is more wrong, and the quadratic cost barely moves for ~150 epochs;
    cross-entropy's ∂C/∂b is a − y, so both starts fall at once."""
    from tutor.bench.book import one_neuron

    costs_good, db_good = one_neuron(0.6, 0.9, "quadratic")
    costs_bad, db_bad = one_neuron(2.0, 2.0, "quadratic")
    assert round(db_good, 3) == 0.122 and round(db_bad, 4) == 0.0173 and db_good / db_bad > 7
    assert costs_bad[100] > 0.95 * costs_bad[0] and costs_good[100] < 0.1 * costs_good[0]
    for w, b in ((0.6, 0.9), (2.0, 2.0)):
        costs, db = one_neuron(w, b, "cross-entropy")
        assert db == pytest.approx(1 / (1 + np.exp(-(w + b))))  # a − y with y = 0
        assert costs[50] < 0.1 * costs[0]


def test_lesson_15s_choice_is_what_the_engine_measures():
    """The vanishing-gradients lesson says hidden layer 1 of 784-30-30-30-10 learns about 20 times slower than layer 3
    (its experiment's settings, on the bundled MNIST): the engine's own figures must say so."""
    from tutor.course.experiments import run_experiment
    from tutor.course.reader import find_lesson, load_lessons

    lesson = find_lesson(load_lessons(), "vanishing-gradients")
    step = next(s for s in lesson.steps if s.kind == "experiment")
    lines = []
    run_experiment(step.run, step.params, lines.append)
    times = float(lines[-1].split(" learns ")[1].split(" times")[0])
    choice = next(s for s in lesson.steps if s.kind == "choice")
    assert next(o.text for o in choice.options if o.correct) == "About 20 times" and 12 <= times <= 35


def test_a_curve_is_a_row_of_bars_from_low_to_high():
    from tutor.course.experiments import curve

    assert curve([0, 1, 2, 3, 4, 5, 6, 7]) == "▁▂▃▄▅▆▇█"
    assert curve([1.0, 1.0]) == "▁▁" and curve([0.5], 0.0, 1.0) == "▄"
    assert len(curve(range(1000), width=40)) == 40 and curve(range(1000), width=40)[-1] == "█"
