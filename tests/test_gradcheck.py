"""The gradient check (engine, the stepper's g, the lesson step): the slope of the cost from nudging a parameter
agrees with backprop's derivative, and the app shows both, digit by digit."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import until
from tutor.app.app import TutorApp
from tutor.app.screens.gradcheck import GradientCheckScreen
from tutor.app.widgets.gradcheck_view import agreeing
from tutor.engine import gradcheck
from tutor.engine.network import Network, cost
from tutor.engine.spec import load_spec
from tutor.engine.trace import trace_step


@pytest.mark.parametrize("sizes", [[1, 1, 1], [2, 3, 2], [4, 6, 5, 3, 2]], ids=lambda s: "-".join(map(str, s)))
def test_every_parameter_agrees_with_backprop(sizes):
    rng = np.random.default_rng(3)
    net = Network(sizes, seed=7)
    x, y = rng.random((sizes[0], 1)), rng.random((sizes[-1], 1))
    trace = trace_step(net, x, y, 0.5)
    for layer in range(1, len(sizes)):
        for j in range(sizes[layer]):
            for check in gradcheck.neuron_checks(net, x, y, layer, j):
                name, _, index = check.name.partition("[")
                at = tuple(int(i) for i in index.rstrip("]").split("][")) if index else (0, 0)
                gradient = trace.value(f"dc_d{name}")[at + ((0,) if len(at) == 1 else ())]
                assert check.backprop == gradient  # backprop's number is the tracer's, exactly
                assert abs(check.numeric - check.backprop) <= 1e-7 * max(1.0, abs(check.backprop)), check
                assert check.agreeing_figures >= 6
    before = [w.copy() for w in net.weights]
    gradcheck.check(net, x, y, "w", 1, 0, 0)
    assert all(np.array_equal(a, b) for a, b in zip(before, net.weights))  # the network is left as it was


def test_the_costs_are_the_network_run_forward_with_the_nudged_weight():
    spec = load_spec("one-one-one")
    check = gradcheck.check(spec.network, spec.input, spec.target, "w", 2, 0, 0)
    nudged = spec.network.copy()
    nudged.weights[1][0, 0] = 2.45 + 1e-5
    assert check.cost_plus == cost(nudged.feedforward(spec.input), spec.target)
    assert check.name == "w_l2" and check.backprop == -0.014334109526226761  # a 1x1 matrix: named as the article
    assert check.numeric == (check.cost_plus - check.cost_minus) / 2e-5 and check.agreeing_figures == 10


def test_shared_digits_are_marked():
    left, right = agreeing(-0.014334109526593917, -0.014334109526226761)
    assert left.plain == "-0.014334109526593917" and left.spans[0].end == len("-0.014334109526")


async def test_g_in_the_stepper_checks_the_selected_neuron():
    app = TutorApp(spec=load_spec("two-three-two"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*["space"] * 14, "down", "g")
        screen = app.screen
        assert isinstance(screen, GradientCheckScreen) and (screen.neuron_layer, screen.neuron) == (2, 1)
        view = screen.query_one("#gradcheck-table")
        shown = "\n".join(view.render_line(y).text for y in range(view.size.height))
        for name in ("b_l2[1]", "w_l2[1][0]", "w_l2[1][1]", "w_l2[1][2]"):
            assert name in shown
        assert "figures" in shown
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, GradientCheckScreen))
