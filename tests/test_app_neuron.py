"""Pilot tests of the neuron inspector: a neuron's numbers so far and its whole incoming row, exactly."""

from __future__ import annotations

import numpy as np
import pytest
from textual.widgets import DataTable, Static

from conftest import until
from tutor.app.app import TutorApp
from tutor.app.screens.neuron import NeuronScreen
from tutor.app.screens.stepper import StepperScreen
from tutor.app.widgets.digit import DigitImage
from tutor.app.widgets.stepper import Stepper
from tutor.engine import mnist
from tutor.engine.network import Network
from tutor.engine.spec import NetworkSpec, load_spec

SIZE = (100, 30)


def exact(value) -> str:
    return repr(float(value))


@pytest.fixture(scope="module")
def mnist_spec() -> NetworkSpec:
    test = mnist.load().test
    i = 8
    return NetworkSpec(Network([784, 30, 10], seed=5), test.input(i), test.target(i), 3.0,
                       title=f"MNIST test image {i}, label {int(test.labels[i])}")


async def inspect(app, pilot) -> NeuronScreen:
    """Press i in the stepper and wait until the inspector's table holds every incoming row."""
    await pilot.press("i")
    screen = app.screen
    assert isinstance(screen, NeuronScreen)
    await until(pilot, lambda: screen.filled)
    return screen


def column(table: DataTable, key: str) -> list[str]:
    return [str(cell) for cell in table.get_column(key)]


async def test_mnist_hidden_neuron_shows_all_784_incoming_rows_exactly_and_never_the_future(mnist_spec):
    trace = mnist_spec.trace()
    j = 3
    app = TutorApp(spec=mnist_spec)
    async with app.run_test(size=SIZE) as pilot:
        stepper = app.screen.query_one(Stepper)
        assert mnist_spec.title in str(stepper.query_one("#network").border_title)
        # before ∂C/∂w_l1: its column, its image and its values are not there; ∂C/∂b is
        stepper.goto("dc_db_l1")
        await pilot.press(*["down"] * j)
        screen = await inspect(app, pilot)
        table = screen.query_one(DataTable)
        keys = [c.key.value for c in table.ordered_columns]
        assert keys == ["k", "a_l0", "w_l1"]
        assert table.row_count == 784
        scalars = str(screen.query_one("#neuron-scalars", Static).render())
        assert f"∂C/∂b_l1[{j}] = {exact(trace['dc_db_l1'].value[j, 0])}" in scalars
        assert exact(trace["updated_b_l1"].value[j, 0]) not in scalars
        assert "not computed yet: b_l1', z_l1', a_l1'" in scalars
        assert len(screen.query(DigitImage)) == 1  # w only
        await pilot.press("s")  # nothing to sort by yet: the order stays
        assert column(table, "k")[:3] == ["0", "1", "2"]
        await pilot.press("escape")
        assert isinstance(app.screen, StepperScreen) and stepper.index == trace.index("dc_db_l1")

        # after ∂C/∂w_l1: every one of the 784 rows, each number the tracer's repr
        await pilot.press("right")
        assert stepper.entry.name == "dc_dw_l1"
        screen = await inspect(app, pilot)
        table = screen.query_one(DataTable)
        assert [c.key.value for c in table.ordered_columns] == ["k", "a_l0", "dc_dw_l1", "w_l1"]
        assert table.row_count == 784
        dc_dw, w, a = trace["dc_dw_l1"].value, trace["w_l1"].value, trace["a_l0"].value
        gradient, weights, inputs = column(table, "dc_dw_l1"), column(table, "w_l1"), column(table, "a_l0")
        for k in (0, 100, 350, 406, 783):
            assert gradient[k] == exact(dc_dw[j, k])
            assert weights[k] == exact(w[j, k])
            assert inputs[k] == exact(a[k, 0])
        assert gradient == [exact(v) for v in dc_dw[j]]
        assert len(screen.query(DigitImage)) == 2  # ∂C/∂w and w as 28 x 28
        width = table.size.width
        await pilot.press("v")  # the images make way for the table
        await until(pilot, lambda: table.size.width > width)
        assert not screen.query_one("#neuron-images").display
        await pilot.press("s")
        order = np.argsort(-np.abs(dc_dw[j]), kind="stable")
        assert column(table, "k")[0] == str(order[0])
        assert column(table, "dc_dw_l1")[0] == exact(dc_dw[j, order[0]])
        await pilot.press("s")
        assert column(table, "k")[:3] == ["0", "1", "2"]
        await pilot.press("escape")
        assert isinstance(app.screen, StepperScreen)


async def test_two_three_two_output_neuron_in_full_from_the_command_palette():
    spec = load_spec("two-three-two")
    trace = spec.trace()
    app = TutorApp(spec=spec)
    async with app.run_test(size=(80, 24)) as pilot:
        stepper = app.screen.query_one(Stepper)
        assert spec.title[:20] in str(stepper.query_one("#network").border_title)
        await pilot.press("i")  # nothing computed yet: a message, no inspector
        assert isinstance(app.screen, StepperScreen)
        stepper.goto("updated_w_l2")
        await pilot.press("down")
        await pilot.press("ctrl+p")
        await pilot.press(*"Inspect")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NeuronScreen) and screen.filled
        table = screen.query_one(DataTable)
        assert [c.key.value for c in table.ordered_columns] == ["k", "a_l1", "dc_dw_l2", "w_l2", "updated_w_l2"]
        for key, values in (("a_l1", trace["a_l1"].value[:, 0]), ("dc_dw_l2", trace["dc_dw_l2"].value[1]),
                            ("w_l2", trace["w_l2"].value[1]), ("updated_w_l2", trace["updated_w_l2"].value[1])):
            assert column(table, key) == [exact(v) for v in values]
        scalars = str(screen.query_one("#neuron-scalars", Static).render())
        for name in ("z_l2", "a_l2", "dc_da_l2", "b_l2", "dc_db_l2", "updated_b_l2"):
            assert exact(trace[name].value[1, 0]) in scalars
        assert "not computed yet: z_l2', a_l2'" in scalars
        assert not screen.query(DigitImage)
        await pilot.press("escape")
        assert isinstance(app.screen, StepperScreen) and stepper.entry.name == "updated_w_l2"
