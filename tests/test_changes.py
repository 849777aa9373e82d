"""The one-change diff: after an edit, every number of the step before → after, what was set first, then the costs,
then the rest by the size of the change, each with what it is computed from that changed."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from tutor.app.app import TutorApp
from tutor.app.screens.changes import ChangesScreen
from tutor.app.screens.edit_network import EditNetworkScreen
from tutor.engine import compare
from tutor.engine.spec import NetworkSpec, load_spec


def edited(spec: NetworkSpec, j: int, k: int, value: float) -> NetworkSpec:
    network = spec.network.copy()
    network.weights[1][j, k] = value
    return NetworkSpec(network, spec.input, spec.target, spec.step_size)


def test_the_changes_of_one_weight_in_order_with_their_causes():
    spec = load_spec("two-three-two")
    found = compare.changes(spec.trace(), edited(spec, 1, 0, 0.5).trace())
    assert [c.name for c in found[:3]] == ["w_l2[1][0]", "original_cost", "updated_cost"]
    assert found[0].given and found[0].before == -0.87455946 and found[0].after == 0.5
    assert round(found[1].before, 4) == 0.2872 and round(found[1].after, 4) == 0.164
    rest = found[3:]
    assert all(abs(a.delta) >= abs(b.delta) for a, b in zip(rest, rest[1:]))
    z = next(c for c in found if c.name == "z_l2[1]")
    assert z.because == ("w_l2",) and z.delta == z.after - z.before
    assert not any(c.name.startswith(("z_l1", "a_l1", "z_l2[0]", "a_l2[0]")) for c in found)  # untouched
    assert compare.summary(found) == ("You changed w_l2[1][0] -0.8746 → 0.5: that lowers the cost C from 0.2872 "
                                      "to 0.164.")
    assert compare.changes(spec.trace(), spec.trace()) == []
    assert compare.summary([]).startswith("Nothing changed")


async def test_an_edit_shows_what_it_changed_before_the_step_starts_again():
    app = TutorApp(spec=load_spec("two-three-two"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "e")
        form = app.screen
        assert isinstance(form, EditNetworkScreen)
        row = form.query_one("#field-w2", Input).value.split(";")
        row[1] = " 0.5," + row[1].split(",", 1)[1]
        form.query_one("#field-w2", Input).value = ";".join(row)
        await pilot.press("ctrl+s")
        screen = app.screen
        assert isinstance(screen, ChangesScreen)
        assert "lowers the cost C from 0.2872 to 0.164" in str(screen.query_one("#changes-summary").render())
        table = screen.query_one(DataTable)
        assert [str(c) for c in table.get_row_at(0)] == ["w_l2[1][0]", "−0.8746", "0.5", "+1.375", "you set it"]
        assert [str(c) for c in table.get_row_at(1)][0] == "C"
        await pilot.press("escape")
        assert app.screen.stepper.index == -1 and app.screen.stepper.trace["w_l2"].value[1, 0] == 0.5
