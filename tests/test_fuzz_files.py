"""Fuzzing the file readers with generated input: a network file gives a trace or one line and exit 2; a progress file
is read, or kept aside byte for byte with a one-line notice; never another exception. FUZZ_SCALE=20 runs 20x more."""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import warnings
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from hostile import Raw, toml
from tutor.cli import main
from tutor.course.progress import Progress
from tutor.engine.spec import FIELDS

SCALE = int(os.environ.get("FUZZ_SCALE", "1"))
FUZZ = settings(max_examples=150 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BOM = b"\xef\xbb\xbf"


def as_json(value) -> str:
    """A value as JSON (with NaN and Infinity, as json.dumps writes them), or as it is for Raw."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, list):
        return "[" + ", ".join(as_json(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {as_json(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


def deep(n: int, inner: str = "1") -> Raw:
    return Raw("[" * n + inner + "]" * n)


@st.composite
def numbers(draw):
    """Mostly ordinary numbers; now and then NaN, inf, a boolean, an integer beyond 1e308 or of 4,000-5,000 digits."""
    kind = draw(st.sampled_from(["float"] * 12 + ["int"] * 6 + ["any float", "huge", "digits", "bool"]))
    if kind == "float":
        return draw(st.floats(-10, 10))
    if kind == "int":
        return draw(st.integers(-10, 10))
    if kind == "any float":
        return draw(st.floats())
    if kind == "huge":
        return draw(st.integers(-10 ** 400, 10 ** 400))
    return draw(st.booleans()) if kind == "bool" else Raw("9" * draw(st.integers(4000, 5000)))


scalars = st.one_of(numbers(), st.text(max_size=20))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                        st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                      max_leaves=15) | st.builds(deep, st.integers(1, 2000))


@st.composite
def matrices(draw, rows: int, cols: int):
    """A rows x cols list of lists of numbers; now and then ragged, a row short or long, or flat."""
    shape = draw(st.sampled_from(["right"] * 8 + ["ragged", "rows", "flat"]))
    rows += shape == "rows" and draw(st.sampled_from([-1, 1]))
    out = [[draw(numbers()) for _ in range(cols + (shape == "ragged" and r == 0))] for r in range(max(rows, 0))]
    return out[0] if shape == "flat" and out else out


@st.composite
def vectors(draw, length: int):
    """A list of `length` numbers; now and then one more, one fewer, or nested."""
    shape = draw(st.sampled_from(["right"] * 8 + ["long", "short", "nested"]))
    out = [draw(numbers()) for _ in range(length + (shape == "long") - (shape == "short"))]
    return [out] if shape == "nested" else out


@st.composite
def network_files(draw) -> bytes:
    """A network file: a plausible one (layers, weights of about the right shapes, input, target) with fields
    dropped, replaced by any value or added; or random text or bytes."""
    kind = draw(st.sampled_from(["plausible"] * 6 + ["any", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    layers = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    doc = {"layers": layers, "input": draw(vectors(layers[0])), "target": draw(vectors(layers[-1]))}
    if draw(st.booleans()):
        pairs = list(zip(layers[:-1], layers[1:]))
        doc["weights"] = [draw(matrices(j, k)) for k, j in pairs]
        doc["biases"] = [draw(vectors(j)) for _, j in pairs]
    else:
        doc["seed"] = draw(st.one_of(st.integers(0, 2 ** 64), values))
    doc["step_size"] = draw(st.one_of(st.floats(0, 10), numbers()))
    if draw(st.booleans()):
        for field in draw(st.lists(st.sampled_from(sorted(FIELDS | {"extra", ""})), max_size=2)):
            if draw(st.booleans()):
                doc.pop(field, None)
            else:
                doc[field] = draw(values)
    if kind == "any":
        doc = draw(st.dictionaries(st.sampled_from(sorted(FIELDS)), values, max_size=6))
    text = "".join(f"{json.dumps(k)} = {toml(v)}\n" for k, v in doc.items()).encode("utf-8", "surrogatepass")
    return (BOM if draw(st.booleans()) else b"") + text


def run_cli(*argv: str) -> tuple[int, str, str]:
    """main(argv): its exit status, stdout and stderr; a warning (which would go to stderr) fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        code = main(list(argv))
    assert not w, [str(warning.message) for warning in w]
    return code, out.getvalue(), err.getvalue()


@FUZZ
@given(network_files())
def test_a_network_file_gives_a_trace_or_one_line_and_exit_2(data):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "net.toml"
        path.write_bytes(data)
        code, out, err = run_cli("trace", "--json", str(path))
    if code == 0:
        trace = json.loads(out, parse_constant=lambda name: f"non-standard {name}")
        assert "non-standard" not in json.dumps(trace) and not err
    else:
        assert code == 2 and not out and err.startswith("tutor: ") and err.count("\n") == 1, (code, err)


keys = st.sampled_from(["a", "b", "c", "v1#0", "gone", ""]) | st.text(max_size=4)


def mostly(right, wrong=None):
    """Values of `right`, and one time in ten of `wrong` (any value)."""
    return st.integers(0, 9).flatmap(lambda n: (wrong if wrong is not None else values) if n == 0 else right)


def lesson_records(version: int):
    """A lesson's progress, as version 1 (by step number) or 2 (by step key) writes it, now and then wrong."""
    key = st.integers(-1, 5) if version == 1 else keys
    answer = st.fixed_dictionaries({"tries": st.lists(st.text(max_size=5), max_size=3)},
                                   optional={"correct": st.booleans(), "revealed": st.booleans()})
    return st.fixed_dictionaries({}, optional={
        "step": mostly(key), "done": mostly(st.lists(mostly(key, st.one_of(keys, key)), max_size=4)),
        "completed": mostly(st.booleans()),
        "answers": mostly(st.dictionaries(st.builds(str, key), mostly(answer), max_size=3))})


@st.composite
def progress_files(draw) -> bytes:
    """A progress file: a plausible one (a version, lessons of records with fields of the right or wrong types, any
    value anywhere), JSON nested up to 200,000 deep, random bytes; sometimes with a byte-order mark."""
    kind = draw(st.sampled_from(["plausible"] * 5 + ["deep", "bytes"]))
    if kind == "bytes":
        data = draw(st.binary(max_size=300))
    elif kind == "deep":
        n = draw(st.integers(1, 200_000))
        data = ("[" * n + "]" * n if draw(st.booleans()) else '{"a":' * n + "1" + "}" * n).encode()
    else:
        version = draw(mostly(st.sampled_from([1, 2, 2, 2]),
                              st.one_of(st.integers(-2, 4), st.integers(-10 ** 300, 10 ** 300), values)))
        records = st.dictionaries(st.sampled_from(["demo", "other", ""]), lesson_records(version), max_size=3)
        doc = {"version": version, "lessons": draw(mostly(records))}
        if draw(st.integers(0, 9)) == 0:
            doc.pop(draw(st.sampled_from(["version", "lessons"])))
        big = draw(st.sampled_from([None, "int", "version"]))
        text = as_json(doc)
        if big == "version":  # a version of 251 digits (or more), as in the issue
            text = text.replace('"version": ', f'"version": {"7" * draw(st.integers(250, 5000))}, "v": ', 1)
        data = text.encode("utf-8", "surrogatepass")
    return (BOM if draw(st.booleans()) else b"") + data


@FUZZ
@given(progress_files())
def test_a_progress_file_is_read_or_kept_aside_byte_for_byte(data):
    keys = {"demo": ["a", "b", "c"]}
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "progress.json"
        path.write_bytes(data)
        progress = Progress.load(path, lessons=keys)
        if progress.notice:
            assert "\n" not in progress.notice and not path.exists() and "starting with fresh progress" in progress.notice
            kept, = [p for p in Path(directory).iterdir() if p.name != "progress.json"]
            assert kept.read_bytes() == data and str(kept) in progress.notice
        else:
            assert path.read_bytes() == data
        record = progress.lesson("demo")  # what the app does next: show the lesson, answer, save
        record.answer(record.step)["tries"].append("0.5")
        record.done_keys.add(record.keys[record.step])
        progress.save()
        again = Progress.load(path, lessons=keys)
        assert not again.notice and again.to_dict() == progress.to_dict()
