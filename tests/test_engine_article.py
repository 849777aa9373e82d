"""The article's worked example and demo network, reproduced digit for digit."""

import json

import numpy as np

from tutor.cli import main
from tutor.engine.spec import load_spec

# Every value the article's REPL session prints, as it prints them.
ARTICLE = {
    "z_l1": "1.124",
    "a_l1": "0.7547299213576082",
    "z_l2": "1.73908830732614",
    "a_l2": "0.850571226530534",
    "dc_db_l2": "-0.018992369482903983",
    "dc_dw_l2": "-0.014334109526226761",
    "dc_da_l1": "-0.04653130523311476",
    "updated_b_l2": "-0.1081007630517096",
    "updated_w_l2": "2.451433410952623",
    "dc_db_l1": "-0.008613534018377424",
    "dc_dw_l1": "-0.006890827214701939",
    "updated_b_l1": "-0.13913864659816227",
    "updated_w_l1": "1.5806890827214704",
    "updated_z_l1": "1.125412619579014",
    "updated_a_l1": "0.7549913210309638",
    "updated_z_l2": "1.7427101863028525",
    "updated_a_l2": "0.8510309824120517",
    "original_cost": "0.011164479170294499",
    "updated_cost": "0.011095884100559231",
}


def test_trace_reproduces_every_article_value():
    trace = load_spec("one-one-one").trace()
    assert len(ARTICLE) == 19
    for name, printed in ARTICLE.items():
        assert trace[name].text() == printed, name


def test_trace_command_prints_the_article_session(capsys):
    assert main(["trace", "one-one-one"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for name, printed in ARTICLE.items():
        i = lines.index(f">>> {name}")
        assert lines[i + 1] == printed
    # the article's order: forward pass first, the updated cost last
    assert lines.index(">>> z_l1") < lines.index(">>> dc_db_l2") < lines.index(">>> dc_db_l1") < lines.index(">>> updated_cost")


def test_trace_json_holds_the_same_floats(capsys):
    assert main(["trace", "one-one-one", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for name, printed in ARTICLE.items():
        value = data["values"][name]
        if name.endswith("cost"):
            assert value == float(printed)
        else:
            assert value == [[float(printed)]], name
    steps = [s["name"] for s in data["steps"]]
    assert steps.index("z_l1") < steps.index("updated_cost")
    z = data["steps"][steps.index("z_l1")]
    assert z["operands"] == ["w_l1", "a_l0", "b_l1"] and z["shape"] == [1, 1] and "w_l1" in z["formula"]


# The article's own class (ported to Python 3), as an independent reference for the 2-3-2 demo.
def _article_step(w, b, inputs, y, step_size):
    sigmoid = lambda z: 1.0 / (1.0 + np.exp(-z))
    sigmoid_prime = lambda z: sigmoid(z) * (1 - sigmoid(z))
    w, b = [None] + [m.copy() for m in w], [None] + [m.copy() for m in b]
    zs, a = [None], [np.asarray([inputs]).transpose()]
    for l in range(1, 3):
        zs.append(np.dot(w[l], a[l - 1]) + b[l])
        a.append(sigmoid(zs[-1]))
    y = np.asarray([y]).transpose()
    grad_a = a[2] - y
    grads = {}
    for l in (2, 1):
        grad_b = sigmoid_prime(zs[l]) * grad_a
        grad_w = np.dot(grad_b, a[l - 1].transpose())
        grad_a_prev = np.dot(w[l].transpose(), grad_b)
        grads[l] = (grad_b, grad_w, grad_a_prev)
        b[l] -= grad_b * step_size
        w[l] -= grad_w * step_size
        grad_a = grad_a_prev
    return zs, a, grads, w, b


def test_two_three_two_demo_matches_the_article_class_exactly():
    spec = load_spec("two-three-two")
    trace = spec.trace()
    net = spec.network
    zs, a, grads, w, b = _article_step(net.weights, net.biases, [0.8, 0.2], [0, 1], 0.1)
    for l in (1, 2):
        np.testing.assert_array_equal(trace[f"z_l{l}"].value, zs[l])
        np.testing.assert_array_equal(trace[f"a_l{l}"].value, a[l])
        np.testing.assert_array_equal(trace[f"dc_db_l{l}"].value, grads[l][0])
        np.testing.assert_array_equal(trace[f"dc_dw_l{l}"].value, grads[l][1])
        np.testing.assert_array_equal(trace[f"updated_w_l{l}"].value, w[l])
        np.testing.assert_array_equal(trace[f"updated_b_l{l}"].value, b[l])
    np.testing.assert_array_equal(trace["dc_da_l1"].value, grads[2][2])
    assert trace["updated_cost"].value < trace["original_cost"].value
    # shapes as the article states them: J x 1 and J x K
    assert trace["dc_dw_l2"].shape == (2, 3) and trace["dc_da_l1"].shape == (3, 1) and trace["z_l1"].shape == (3, 1)


def test_trace_leaves_the_network_unchanged():
    spec = load_spec("two-three-two")
    before = [w.copy() for w in spec.network.weights]
    spec.trace()
    for w0, w1 in zip(before, spec.network.weights):
        np.testing.assert_array_equal(w0, w1)
