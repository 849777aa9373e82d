"""Lesson parameters are bounded at their schema: a lesson whose exercise cannot be answered or whose experiment
cannot run is a FILE:LINE problem on its params (or field) line; nothing crashes or hangs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tutor.course.checker import check_text
from tutor.course.computations import compute
from tutor.course.experiments import EXPERIMENTS, check_experiment, run_experiment
from tutor.errors import InputError

HEAD = textwrap.dedent('''\
    format_version = 1
    id = "demo"
    title = "Demo"
    network = "one-one-one"

    [[steps]]
    kind = "predict"
    text = "What is a_l1?"
    quantity = "a_l1"
    hint = "sigmoid of z_l1"
''')


def problems_at(step: str, key: str) -> tuple[list[str], int]:
    """The problems of HEAD plus `step`, and the line of `key` in that step."""
    text = HEAD + "\n[[steps]]\n" + textwrap.dedent(step)
    lines = text.splitlines()
    line = next(i + 1 for i, l in enumerate(lines) if i > 10 and l.startswith(f"{key} ="))
    return [str(p) for p in check_text(text, Path("demo.toml"))[1]], line


def one_problem(step: str, key: str, *fragments: str) -> str:
    found, line = problems_at(step, key)
    assert len(found) == 1, found
    assert found[0].startswith(f"demo.toml:{line}: steps[1].{key}: "), (found, line)
    for fragment in fragments:
        assert fragment in found[0], (fragment, found[0])
    return found[0]


@pytest.mark.parametrize("params, fragment", [
    ('{ network = "one-one-one", repeats = [[1]] }', "repeats[0]: must be a whole number from 0 to 10,000, got [1]"),
    ('{ network = "one-one-one", repeats = [1e12] }', "repeats[0]: must be a whole number from 0 to 10,000, got 1000000000000.0"),
    ('{ network = "one-one-one", repeats = [1000000000000] }', "repeats[0]: must be a whole number"),
    ('{ network = "one-one-one", repeats = [] }', "repeats: must be a list of 1 to 20 whole numbers, got 0 items"),
    ('{ network = "one\\u0000one" }', "network: must be a network name of 1 to 100 printable characters"),
    ('{ network = "' + "n" * 300 + '" }', "network: must be a network name of 1 to 100 printable characters"),
])
def test_broken_repeat_experiments(params, fragment):
    one_problem(f'kind = "experiment"\ntext = "x"\nrun = "repeat"\nparams = {params}\n', "params", fragment)


@pytest.mark.parametrize("run, params, fragment", [
    ("batch_sizes", "{ batch_sizes = [0] }", "batch_sizes[0]: must be a whole number from 1 to 100,000, got 0"),
    ("descent", "{ start = 1e200, step_sizes = [0.1] }", "start: must be a number from -1,000,000 to 1,000,000"),
    ("descent", "{ start = inf, step_sizes = [0.1] }", "start: must be a number from -1,000,000 to 1,000,000, got inf"),
    ("descent", "{ start = 5.0, step_sizes = [0.1], steps = -1 }", "steps: must be a whole number from 1 to 100, got -1"),
    ("descent", "{ start = 5.0, step_sizes = [nan] }", "step_sizes[0]: must be a number from 0 to 10, got nan"),
    ("random_pixels", "{ count = -1 }", "count: must be a whole number from 1 to 10,000, got -1"),
    ("train", "{ epochs = 1000000000 }", "epochs: must be a whole number from 1 to 1,000"),
    ("train", "{ step_size = 0 }", "step_size: must be a number > 0 and at most 1,000,000, got 0.0"),
    ("train", "{ layers = [784, 30, 9] }", "layers: the first layer must be 784 (one per pixel) and the last 10"),
    ("train", "{ seed = " + "9" * 400 + " }", "seed: must be a whole number from 0 to 4,294,967,295, got 999"),
])
def test_broken_experiments(run, params, fragment):
    one_problem(f'kind = "experiment"\ntext = "x"\nrun = "{run}"\nparams = {params}\n', "params", fragment)


@pytest.mark.parametrize("compute_, params, fragment", [
    ("sigmoid", "{ z = nan }", "z: must be a number from -1,000,000 to 1,000,000, got nan"),
    ("descent", "{ start = inf, step_size = 0.1, steps = 3 }", "start: must be a number"),
    ("descent", "{ start = 1e200, step_size = 0.1, steps = 3 }", "start: must be a number"),
    ("descent", "{ start = 5.0, step_size = 0.1, steps = -5 }", "steps: must be a whole number from 0 to 1,000, got -5"),
    ("descent", "{ start = 5.0, step_size = 0.1, steps = 1000000000 }", "steps: must be a whole number from 0 to 1,000"),
    ("descent", "{ start = 1e6, step_size = 100, steps = 1000 }",
     "computation 'descent' gives x = [1000000.0, -199000000.0, 39601000000..., not a finite number"),
    ("updates_per_epoch", "{ images = 50000, batch_size = 0 }", "batch_size: must be a whole number from 1 to 1,000,000,000"),
    ("neuron", '{ weights = [0.5, "a"], inputs = [1.0, 2.0], bias = 0 }', "weights[1]: must be a number"),
    ("neuron", "{ weights = [], inputs = [], bias = 0 }", "weights: must be a list of 1 to 1000 numbers, got 0 items"),
    ("cost", "{ a = [[0.5]], y = [1.0] }", "a[0]: must be a number from -1,000,000 to 1,000,000, got [0.5]"),
    ("batch", '{ network = "one-one-one", inputs = [[0.8], [0.2, 0.1]], targets = [[1.0], [0.0]], step_size = 0.1 }',
     "inputs: rows of different lengths (1, 2 ...)"),
    ("batch", '{ network = "one-one-one", inputs = [["a"]], targets = [[1.0]], step_size = 0.1 }',
     "inputs[0][0]: must be a number"),
    ("batch", '{ network = "one-one-one", inputs = [], targets = [], step_size = 0.1 }', "inputs: must be a list of 1 to 100"),
    ("batch", '{ network = "a\\u0000b", inputs = [[0.8]], targets = [[1.0]], step_size = 0.1 }', "network: must be a network name"),
    ("batch", '{ network = "' + "n" * 300 + '", inputs = [[0.8]], targets = [[1.0]], step_size = 0.1 }',
     "network: must be a network name"),
    ("pixel_index", "{ row = 0, col = 0, width = 40000 }", "width: must be a whole number from 1 to 1,000, got 40000"),
    ("one_hot", "{ digit = 1, classes = 1000000000000 }", "classes: must be a whole number from 1 to 1,000"),
    ("one_hot", "{ digit = 1, classes = 1e12 }", "classes: must be a whole number from 1 to 1,000, got 1000000000000.0"),
])
def test_exercises_that_cannot_be_answered(compute_, params, fragment):
    step = f'kind = "predict"\ntext = "x"\nhint = "h"\nquantity = "a"\ncompute = "{compute_}"\nparams = {params}\n'
    one_problem(step, "params", fragment)


@pytest.mark.parametrize("key, value, fragment", [
    ("tries", "9" * 400, "must be a whole number from 1 to 100, got 99999"),
    ("tolerance", "9" * 400, "must be a number from 0 to 1,000,000,000, got 99999"),
    ("tolerance", "nan", "must be a number from 0 to 1,000,000,000, got nan"),
    ("figures", "inf", "must be a whole number from 1 to 15, got inf"),
])
def test_exercise_settings_out_of_range(key, value, fragment):
    step = f'kind = "predict"\ntext = "x"\nhint = "h"\nquantity = "a_l2"\n{key} = {value}\n'
    assert len(one_problem(step, key, fragment)) < 200  # the 400 digits are cut


def test_a_gradient_checks_nudge_is_bounded():
    step = 'kind = "gradcheck"\ntext = "x"\nquantity = "w_l2"\nepsilon = 1e-20\n'
    one_problem(step, "epsilon", "must be a number from 1e-12 to 0.1, got 1e-20")


@pytest.mark.parametrize("key, value, fragment", [
    ("epochs", "0", "must be a whole number from 1 to 1,000, got 0"),
    ("step_size", "9" * 400, "must be a number from 0 to 100, got 99999"),
    ("batch_size", "-3", "must be a whole number from 1 to 100,000, got -3"),
    ("goal", "nan", "must be a number from 0 to 1, got nan"),
    ("layers", '[784, "30", 10]', "layers[1]: must be a whole number"),
])
def test_train_steps_out_of_range(key, value, fragment):
    one_problem(f'kind = "train"\ntext = "x"\n{key} = {value}\n', key, fragment)


def test_a_network_table_with_numbers_too_large_is_a_problem_by_field():
    """Weights of 1e308 made z = w·a + b overflow to inf: a network's numbers are within a million, and the
    checker says which (once: it said the file and "network" twice)."""
    text = (HEAD.replace('network = "one-one-one"\n', "") + textwrap.dedent('''
        [network]
        layers = [2, 1]
        weights = [[[1e308, 1e308]]]
        biases = [[0]]
        input = [1, 1]
        target = [1]
        ''')).replace("quantity = \"a_l1\"", "quantity = \"z_l1\"")
    found = [str(p) for p in check_text(text, Path("demo.toml"))[1]]
    assert found[0] == "demo.toml: network: weights[0][0][0]: expected a number between -1,000,000 and " \
                       "1,000,000, got 1e+308", found


def test_in_range_extremes_run():
    """The bounds are the runs that finish: the largest descent, a repeat of the most steps."""
    lines = []
    run_experiment("descent", {"start": -10**6, "minimum": 10**6, "step_sizes": [10] * 10, "steps": 100}, lines.append)
    assert len(lines) == 20 and all("inf" not in line and "nan" not in line for line in lines)
    run_experiment("repeat", {"network": "one-one-one", "repeats": [10_000]}, lines.append)
    assert lines[-1].startswith("after 10000 steps: cost")
    for name, (_, schema) in EXPERIMENTS.items():  # every default is in its own range
        required = {"start": 0.0, "step_sizes": [0.1], "network": "one-one-one"}
        check_experiment(name, {k: v for k, v in required.items() if k in schema})


def test_a_stopped_repeat_stops_between_steps():
    lines = []
    run_experiment("repeat", {"network": "one-one-one", "repeats": [10_000]}, lines.append, should_stop=lambda: True)
    assert lines == [lines[0]] and lines[0].startswith("cost before training")


def test_computations_take_whole_numbers_as_numbers_with_the_same_answers():
    assert compute("descent", {"start": 5, "step_size": 0.1, "steps": 1, "minimum": 2})["x"][1] == 5.0 - 0.6
    with pytest.raises(InputError) as e:  # ZeroDivisionError before
        compute("updates_per_epoch", {"images": 50000, "batch_size": 0})
    assert e.value.field == "params"


def test_a_lesson_nested_hundreds_deep_is_a_problem():
    """tomllib reads nesting recursively: 5000 levels raised RecursionError out of the checker."""
    text = HEAD + "\n[[steps]]\nkind = \"experiment\"\ntext = \"x\"\nrun = \"repeat\"\nparams = { repeats = " + \
        "[" * 5000 + "]" * 5000 + " }\n"
    lesson, found = check_text(text, Path("demo.toml"))
    assert lesson is None and [str(p) for p in found] == [
        "demo.toml: not readable: arrays or tables nested hundreds of levels deep"]


def test_a_problem_is_one_short_line_whatever_the_value():
    """A quantity with a newline split the problem over lines; a 100 KB title was echoed whole."""
    text = HEAD.replace('quantity = "a_l1"', 'quantity = "a\\nb"').replace('title = "Demo"', f'title = {[1] * 50_000}')
    found = [str(p) for p in check_text(text, Path("demo.toml"))[1]]
    assert len(found) == 2 and all("\n" not in p and len(p) < 600 for p in found), found
    assert found[0].startswith("demo.toml:3: title: must be text (in quotes), got [1, 1, 1") and found[0].endswith("...")
    assert "steps[0].quantity: 'a\\nb' is not a quantity name" in found[1]


@pytest.mark.parametrize("name", ["one\\u0000one", "n" * 300])
def test_a_lesson_network_name_that_is_no_file_name(name):
    """The lesson's own network = "..." raised ValueError (NUL) or OSError (ENAMETOOLONG) out of the checker."""
    text = HEAD.replace('network = "one-one-one"', f'network = "{name}"')
    found = [str(p) for p in check_text(text, Path("demo.toml"))[1]]
    assert found[0].startswith("demo.toml:4: network: must be a network name of 1 to 100 printable characters"), found
