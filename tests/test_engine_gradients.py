"""Every traced quantity against central finite differences, on random networks of several shapes."""

import warnings

import numpy as np
import pytest

from tutor.engine.network import Network, cost, sigmoid
from tutor.engine.trace import trace_step

SHAPES = [[1, 1, 1], [2, 3, 2], [4, 6, 5, 3, 2], [3, 1, 4]]
H = 1e-6


def rel_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12)


def cost_from(net, l, a, y):
    """The cost when layer l's activations are a and the rest of the network runs forward from there."""
    for w, b in zip(net.weights[l:], net.biases[l:]):
        a = sigmoid(np.dot(w, a) + b)
    return cost(a, y)


def numeric_gradient(f, x):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + H
        up = f()
        x[i] = old - H
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * H)
    return g


@pytest.mark.parametrize("sizes", SHAPES, ids=lambda s: "-".join(map(str, s)))
@pytest.mark.parametrize("seed", [0, 1])
def test_traced_gradients_match_finite_differences(sizes, seed):
    rng = np.random.default_rng(100 + seed)
    net = Network(sizes, seed=seed)
    x = rng.uniform(0, 1, (sizes[0], 1))
    y = rng.uniform(0, 1, (sizes[-1], 1))
    trace = trace_step(net, x, y, 0.5)
    L = len(sizes) - 1
    f = lambda: cost(net.feedforward(x), y)
    for l in range(1, L + 1):
        assert rel_error(trace[f"dc_dw_l{l}"].value, numeric_gradient(f, net.weights[l - 1])) < 1e-6
        assert rel_error(trace[f"dc_db_l{l}"].value, numeric_gradient(f, net.biases[l - 1])) < 1e-6
    for l in range(1, L + 1):
        a = trace[f"a_l{l}"].value.copy()
        g = numeric_gradient(lambda: cost_from(net, l, a, y), a)
        assert rel_error(trace[f"dc_da_l{l}"].value, g) < 1e-6
    # the forward quantities and the costs are what a plain forward pass gives
    assert trace["original_cost"].value == pytest.approx(f(), rel=1e-15)
    for l in range(1, L + 1):
        w, b = trace[f"w_l{l}"].value, trace[f"b_l{l}"].value
        expected_w = w - trace[f"dc_dw_l{l}"].value * 0.5
        np.testing.assert_array_equal(trace[f"updated_w_l{l}"].value, expected_w)
        np.testing.assert_array_equal(trace[f"updated_b_l{l}"].value, b - trace[f"dc_db_l{l}"].value * 0.5)
    updated = Network(sizes, [trace[f"updated_w_l{l}"].value for l in range(1, L + 1)],
                      [trace[f"updated_b_l{l}"].value for l in range(1, L + 1)])
    assert trace["updated_cost"].value == cost(updated.feedforward(x), y)
    np.testing.assert_array_equal(trace[f"updated_a_l{L}"].value, updated.feedforward(x))


def test_trace_names_in_the_articles_order():
    trace = trace_step(Network([2, 3, 4, 2], seed=3), [0.1, 0.9], [1, 0], 0.1)
    names = [n for n in trace.names if not trace[n].given]
    assert names == [
        "z_l1", "a_l1", "z_l2", "a_l2", "z_l3", "a_l3", "original_cost", "dc_da_l3",
        "dc_db_l3", "dc_dw_l3", "dc_da_l2", "updated_b_l3", "updated_w_l3",
        "dc_db_l2", "dc_dw_l2", "dc_da_l1", "updated_b_l2", "updated_w_l2",
        "dc_db_l1", "dc_dw_l1", "updated_b_l1", "updated_w_l1",
        "updated_z_l1", "updated_a_l1", "updated_z_l2", "updated_a_l2", "updated_z_l3", "updated_a_l3",
        "updated_cost",
    ]
    for entry in trace:
        assert all(trace.index(op) < trace.index(entry.name) for op in entry.operands), entry.name


def test_batch_gradient_is_the_sum_of_per_example_gradients():
    rng = np.random.default_rng(7)
    net = Network([5, 4, 3], seed=7)
    x, y = rng.uniform(size=(5, 6)), rng.uniform(size=(3, 6))
    batch = net.backprop(x, y)
    singles = [net.backprop(x[:, [i]], y[:, [i]]) for i in range(6)]
    for l in (1, 2):
        np.testing.assert_allclose(batch.dc_dw[l], sum(s.dc_dw[l] for s in singles), rtol=1e-12)
        np.testing.assert_allclose(batch.dc_db[l], sum(s.dc_db[l] for s in singles), rtol=1e-12)


def test_update_steps_by_the_batch_average():
    rng = np.random.default_rng(8)
    net = Network([3, 2, 2], seed=8)
    x, y = rng.uniform(size=(3, 4)), rng.uniform(size=(2, 4))
    before = net.copy()
    grads = net.train_step(x, y, 2.0)
    np.testing.assert_allclose(net.weights[0], before.weights[0] - 2.0 * grads.dc_dw[1] / 4, rtol=1e-14)


def test_sigmoid_saturates_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = sigmoid(np.array([-1000.0, -710.0, 0.0, 710.0, 1000.0]))
    np.testing.assert_array_equal(values, [0.0, 0.0, 0.5, 1.0, 1.0])
