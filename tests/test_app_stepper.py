"""Pilot tests of the stepper: the article's values in turn, back restores the screen, edits, saves, big networks."""

from __future__ import annotations

import json

import numpy as np
from textual.app import App
from textual.widgets import Input, Static

from conftest import text, until
from tutor.app.app import TutorApp
from tutor.app.screens.edit_network import SEPARATORS, EditNetworkScreen, parse_numbers, show_numbers
from tutor.app.screens.stepper import StepperScreen
from tutor.app.widgets.formula_panel import FormulaPanel
from tutor.app.widgets.network_view import NetworkView
from tutor.app.widgets.phase_bar import PhaseBar
from tutor.app.widgets.quantities_table import QuantitiesTable
from tutor.app.widgets.stepper import Stepper
from tutor.app.widgets.transcript_view import TranscriptView
from tutor.engine.network import Network
from tutor.engine.spec import NetworkSpec, load_spec

SIZE = (100, 30)


def shown(stepper: Stepper) -> dict:
    """What the stepper shows, widget by widget, as plain text."""
    table = stepper.query_one(QuantitiesTable)
    return {
        "phase": text(stepper.query_one(PhaseBar)),
        "network": text(stepper.query_one(NetworkView)),
        "formula": stepper.query_one(FormulaPanel).text,
        "transcript": stepper.query_one(TranscriptView).text,
        "table": table.shown_rows,
        "scroll": (table.scroll_offset, stepper.query_one(TranscriptView).scroll_offset),
    }


async def test_one_one_one_shows_every_article_value_in_turn_then_back():
    spec = load_spec("one-one-one")
    trace = spec.trace()
    app = TutorApp(spec=spec)
    async with app.run_test(size=SIZE) as pilot:
        stepper = app.screen.query_one(Stepper)
        assert stepper.index == -1 and stepper.query_one(TranscriptView).text == ""
        for i, entry in enumerate(trace):
            await pilot.press("space")
            view = shown(stepper)
            assert stepper.index == i
            assert view["transcript"] == trace.transcript(upto=i)
            assert entry.text() in view["formula"]  # the tracer's value, full repr
            assert len(view["table"]) == i + 1
        assert "= 0.011095884100559231" in view["formula"]
        assert "0.011095884100559231" in str(app.screen.query_one("#cost-label", Static).render())
        assert "z_l1 = 1.58×0.8 + (−0.14) = 1.124" in trace_formula(stepper, "z_l1")  # the shown numbers add up
        assert "z_l2 = 2.45×0.7547 + (−0.11) = 1.739" in trace_formula(stepper, "z_l2")
        assert "a_l1' = σ(1.125) ≈ 0.755" in trace_formula(stepper, "updated_a_l1")  # they do not: ≈
        await pilot.press("space")  # past the end: stays
        assert stepper.index == len(trace) - 1
        for i in range(len(trace) - 2, -2, -1):
            await pilot.press("left")
            assert stepper.index == i
            assert stepper.query_one(TranscriptView).text == trace.transcript(upto=i) if i >= 0 else True


def trace_formula(stepper: Stepper, name: str) -> str:
    f = stepper.prepared.formulas[stepper.trace.index(name)]
    return f.numbers


async def test_back_then_forward_restores_the_same_screen_on_both_examples():
    for example in ("one-one-one", "two-three-two"):
        app = TutorApp(spec=load_spec(example))
        async with app.run_test(size=SIZE) as pilot:
            stepper = app.screen.query_one(Stepper)
            for _ in range(12):
                await pilot.press("right")
            before, picture = shown(stepper), app.export_screenshot()
            await pilot.press("left", "left", "left")
            assert shown(stepper) != before
            await pilot.press("space", "space", "space")
            assert shown(stepper) == before
            assert app.export_screenshot() == picture
            await pilot.press("end")
            assert stepper.index == len(stepper.trace) - 1
            await pilot.press("home")
            assert stepper.index == -1 and shown(stepper)["table"] == []


async def test_two_three_two_shows_shapes_hadamard_transpose_and_exact_values():
    spec = load_spec("two-three-two")
    trace = spec.trace()
    app = TutorApp(spec=spec)
    async with app.run_test(size=SIZE) as pilot:
        stepper = app.screen.query_one(Stepper)
        stepper.goto("z_l1")
        await pilot.pause()
        formula = shown(stepper)["formula"]
        assert "z_l1 = 3x2 · 2x1 + 3x1" in formula and "→ 3x1" in formula
        assert trace["z_l1"].text() in formula
        stepper.goto("dc_db_l2")
        await pilot.pause()
        assert "σ'(2x1) ⊙ 2x1" in shown(stepper)["formula"]
        stepper.goto("dc_da_l1")
        await pilot.pause()
        assert "2x3ᵀ · 2x1" in shown(stepper)["formula"]
        # the selected neuron's quantities, exactly
        await pilot.press("down")
        view = shown(stepper)
        assert "neuron 1 of layer 1" in view["formula"]
        assert f"∂C/∂a_l1[1] = {float(trace['dc_da_l1'].value[1, 0])!r}" in view["formula"]
        assert "›" in view["network"] and "▶" in view["phase"]  # markers, not colour alone
        assert "−0.115 0.455 ─▶" in view["network"]  # small networks: the weights on the edges
        await pilot.press("end")
        view = shown(stepper)
        assert view["transcript"] == trace.transcript()
        assert ("C'", "scalar", repr(trace["updated_cost"].value)) in view["table"]


async def test_stepper_widget_works_without_the_screen():
    trace = load_spec("two-three-two").trace()
    moves = []

    class Host(App):
        def compose(self):
            yield Stepper(trace)

        def on_stepper_moved(self, message: Stepper.Moved) -> None:
            moves.append((message.index, message.entry.name if message.entry else None))

    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        stepper = app.query_one(Stepper)
        stepper.forward()
        stepper.forward()
        stepper.back()
        stepper.goto("original_cost")
        stepper.end()
        stepper.home()
        await pilot.pause()
        assert moves == [(0, "a_l0"), (1, "w_l1"), (0, "a_l0"), (trace.index("original_cost"), "original_cost"),
                         (len(trace) - 1, "updated_cost"), (-1, None)]
        other = load_spec("one-one-one").trace()
        stepper.set_trace(other, index=3)
        await pilot.pause()
        assert stepper.entry.name == "z_l1" and stepper.query_one(TranscriptView).text == other.transcript(upto=3)


async def test_next_step_uses_the_updated_parameters_and_charts_the_cost(tmp_path):
    spec = load_spec("one-one-one")
    trace = spec.trace()
    app = TutorApp(spec=spec)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("enter", "n")
        stepper = screen.query_one(Stepper)
        assert stepper.trace["original_cost"].value == trace["updated_cost"].value
        assert stepper.trace["w_l1"].value[0, 0] == trace["updated_w_l1"].value[0, 0]
        assert screen.costs == [trace["original_cost"].value, trace["updated_cost"].value]
        await pilot.press("r")
        assert screen.costs == [trace["original_cost"].value] and stepper.index == -1
        screen.save_dir = tmp_path
        await pilot.press("s")
        md = tmp_path / "tutor-one-one-one-step1-1.md"
        assert trace.transcript() in md.read_text()
        data = json.loads((tmp_path / "tutor-one-one-one-step1-1.json").read_text())
        assert data["values"]["updated_cost"] == 0.011095884100559231
        await pilot.press("s")
        assert (tmp_path / "tutor-one-one-one-step1-2.md").exists()  # never overwrites


async def test_edit_form_rejects_bad_input_with_a_message_and_applies_good_input():
    app = TutorApp(spec=load_spec("two-three-two"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "e")
        form = app.screen
        assert isinstance(form, EditNetworkScreen)
        bad = {"input": ("0.8, abc", "'abc' is not a number"), "target": ("1", "expected 2 numbers"),
               "step_size": ("-0.5", "must not be negative"), "w1": ("1, 2; 3, nan; 5, 6", "finite"),
               "b2": ("inf, 1", "finite")}
        for key, (value, _) in bad.items():
            form.query_one(f"#field-{key}", Input).value = value
        await pilot.pause()
        await pilot.press("ctrl+s")
        assert app.screen is form  # nothing applied, nothing crashed
        for key, (_, message) in bad.items():
            assert message in text(form.query_one(f"#error-{key}", Static)), key
        for key, value in {"input": "0.5, 0.25", "target": "1, 0", "step_size": "0.5",
                           "w1": "1, 2; 3, 4; 5, 6", "b2": "0.1, -0.2"}.items():
            form.query_one(f"#field-{key}", Input).value = value
        await pilot.pause()
        assert all(text(form.query_one(f"#error-{key}", Static)) == "" for key in bad)
        await pilot.press("ctrl+s", "escape")      # applied: what the change did is shown, then the stepper
        assert isinstance(app.screen, StepperScreen)
        trace = app.screen.query_one(Stepper).trace
        assert trace.step_size == 0.5 and trace["a_l0"].value.ravel().tolist() == [0.5, 0.25]
        assert trace["w_l1"].value.tolist() == [[1, 2], [3, 4], [5, 6]]
        await pilot.press("e", "escape")  # cancel changes nothing
        assert app.screen.query_one(Stepper).trace is trace


def test_the_edit_forms_help_names_the_separators_it_reads_and_shows():
    """The help said "numbers separated by commas" while the form showed vectors with ';' and read spaces too:
    it says commas or spaces, and ';' between a matrix's rows, which is what the form reads and how it shows them."""
    assert "numbers separated by commas or spaces, a matrix's rows by ';'" in SEPARATORS
    assert parse_numbers("1, 2 3", 3, 1).ravel().tolist() == [1, 2, 3]
    assert parse_numbers("1 2; 3, 4; 5,6", 3, 2).tolist() == [[1, 2], [3, 4], [5, 6]]
    assert show_numbers(np.array([[0.8], [0.2]])) == "0.8, 0.2"                     # a vector: commas
    assert show_numbers(np.array([[1.0, 2.0], [3.0, 4.0]])) == "1.0, 2.0; 3.0, 4.0"  # a matrix: rows by ';'
    form = EditNetworkScreen(load_spec("two-three-two"))
    assert SEPARATORS in form.title_text


async def test_mnist_sized_network_is_summarised_and_a_neuron_can_be_inspected():
    rng = np.random.default_rng(0)
    x = rng.random((784, 1))
    y = np.zeros((10, 1))
    y[3] = 1
    spec = NetworkSpec(Network([784, 30, 10], seed=2), x, y, 3.0, title="784-30-10")
    trace = spec.trace()
    app = TutorApp(spec=spec)
    async with app.run_test(size=SIZE) as pilot:
        stepper = app.screen.query_one(Stepper)
        stepper.goto("dc_dw_l1")
        await pilot.pause()
        await pilot.press("down", "down")
        view = shown(stepper)
        assert "⋮" in view["network"] and "30x784" in view["network"]
        assert "30x784 (23520 numbers, not shown in full)" in view["formula"]
        assert len(view["formula"].splitlines()) < 30
        assert f"∂C/∂b_l1[2] = {float(trace['dc_db_l1'].value[2, 0])!r}" in view["formula"]
        assert view["transcript"] == trace.transcript(upto=trace.index("dc_dw_l1"))
        await pilot.resize_terminal(80, 24)
        await pilot.press("end", "left")
        assert stepper.index == len(trace) - 2
        await pilot.resize_terminal(100, 30)
        assert shown(stepper)["transcript"] == trace.transcript(upto=len(trace) - 2)


async def test_keys_help_panel_command_palette_and_small_terminal():
    app = TutorApp(spec=load_spec("one-one-one"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert app.screen.query("HelpPanel")
        await pilot.press("question_mark")
        assert not app.screen.query("HelpPanel")
        assert all(b.description for b in StepperScreen.BINDINGS)
        await pilot.press("ctrl+p")
        await pilot.press(*"Finish")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        stepper = app.screen.query_one(Stepper)
        assert stepper.index == len(stepper.trace) - 1
        await pilot.press("escape")
        assert app.screen.__class__.__name__ == "HomeScreen"


def test_each_number_of_a_matrix_network_is_written_out_with_its_operands():
    """On 2-3-2 the current operation read `σ'(2x1) ⊙ 2x1` and the numbers sat in a 'where' block; the selected
    neuron now has its own line with numbers, and "≈" where the rounded operands do not give the shown result."""
    from tutor.app.element_formula import line

    trace = load_spec("two-three-two").trace()
    assert line(trace, trace["z_l1"], 0) == "z_l1[0] = −0.115×0.8 + 0.4546×0.2 + 0.54 = 0.5389"
    assert line(trace, trace["dc_db_l2"], 1) == "∂C/∂b_l2[1] = 0.2944×(1 − 0.2944)×(−0.7056) = −0.1466"
    assert line(trace, trace["dc_dw_l2"], 1, 2) == ("∂C/∂w_l2[1][2] = ∂C/∂b_l2[1] × a_l1[2] = (−0.1466)×0.43 "
                                                    "≈ −0.06303")  # −0.1466×0.43 = −0.06304
    assert line(trace, trace["z_l2"], 0).endswith("≈ −0.9606")
    assert line(trace, trace["a_l0"], 0) == ""  # given: no formula


async def test_the_selected_neuron_has_its_line_with_numbers_in_the_stepper():
    app = TutorApp(spec=load_spec("two-three-two"))
    async with app.run_test(size=(100, 30)) as pilot:
        stepper = app.screen.query_one(Stepper)
        stepper.goto("dc_db_l2")
        await pilot.press("down")
        assert "∂C/∂b_l2[1] = 0.2944×(1 − 0.2944)×(−0.7056) = −0.1466" in shown(stepper)["formula"]


async def test_stepping_a_layer_at_a_time():
    app = TutorApp(spec=load_spec("two-three-two"))
    async with app.run_test(size=(100, 30)) as pilot:
        stepper = app.screen.query_one(Stepper)
        trace = stepper.trace
        await pilot.press("right_square_bracket")  # the input layer
        assert trace[stepper.index].name == "a_l0"
        await pilot.press("right_square_bracket")  # layer 1's weights, biases, z and a
        assert trace[stepper.index].name == "a_l1"
        await pilot.press("right_square_bracket")
        assert trace[stepper.index].name == "a_l2"
        await pilot.press("left_square_bracket")
        assert trace[stepper.index].name == "a_l1"
        keys = [b.binding.key_display or b.binding.key for b in app.screen.active_bindings.values()
                if b.binding.show and b.enabled and b.node is app.screen]
        assert "]" in keys and "b" not in keys  # no MNIST data: no mini-batch or epoch


async def test_on_an_mnist_image_b_trains_a_mini_batch_and_e_an_epoch(shared_data, net):
    from tutor.engine import mnist, training

    data = mnist.load(shared_data)
    test = data.test
    spec = NetworkSpec(net.copy(), test.input(0), test.target(0), 3.0, title="MNIST test image 0")
    app = TutorApp()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_stepper(spec, data)
        await pilot.pause()
        screen = app.screen
        before = screen.stepper.trace["original_cost"].value
        await pilot.press("b")
        assert screen.trained_on == 10 and screen.stepper.trace["original_cost"].value != before
        assert len(screen.costs) == 2 and "after 10 MNIST images" in text(screen.query_one("#cost-label"))
        await pilot.press("E")
        await until(pilot, lambda: screen.accuracy is not None)
        assert screen.trained_on == 10 + len(data.train)
        expected = training.evaluate(screen.spec.network, test.images, test.labels) / len(test)
        assert screen.accuracy == expected and f"test accuracy {expected:.2%}" in text(screen.query_one("#cost-label"))
        assert np.array_equal(net.weights[0], spec.network.weights[0])  # the explored network is not changed
