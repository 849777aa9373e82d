"""Fuzzing the readers of hostile input with structured inputs: IDX data files, model (.npz) files, lesson files.

Each property is "success, or one line naming the file (InputError) / a list of one-line Problems": never another
exception, never a hang. The suite runs a bounded number of examples; FUZZ_SCALE=20 runs twenty times as many.
"""

from __future__ import annotations

import gzip
import math
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tutor.course.checker import FIGURES, TOLERANCE, TRIES, check_text
from tutor.course.computations import COMPUTATIONS
from tutor.course.experiments import EXPERIMENTS, TRAIN, run_experiment
from tutor.course.model import KINDS, Problem
from tutor.course.params import REQUIRED, Param
from tutor.engine import mnist
from tutor.engine.model_file import load_network
from tutor.engine.network import Network
from tutor.errors import InputError
from conftest import write_idx
from hostile import Deep, network_members, npy_bytes, patch_zip, toml, zip_bytes

SCALE = int(os.environ.get("FUZZ_SCALE", "1"))
FUZZ = settings(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def one_line(e: InputError, path: Path) -> None:
    text = str(e)
    assert "\n" not in text and str(path) in text and len(text) < 600, text
    event(outcome(text.split(str(path), 1)[1]))


def outcome(message: str) -> str:
    """What a message is about, for hypothesis' statistics (pytest --hypothesis-show-statistics)."""
    return " ".join(word for word in message.split()[:4] if not any(c.isdigit() for c in word))


# -- IDX files ------------------------------------------------------------------------------------------------------

DIM = st.one_of(st.integers(0, 12), st.integers(0, 12), st.sampled_from([2**31, 2**32 - 1, 60000, 65536]))


def mostly(usual, *odd):
    """`usual` four times in five, else one of `odd` (one_of would pick each branch alike; hypothesis favours the
    ends of a range, so the odd ones are in its middle)."""
    return st.integers(0, 9).flatmap(lambda i: st.one_of(*odd) if i in (4, 5) else usual)


@st.composite
def idx_files(draw, kind: str, gz: bool, count: int) -> bytes:
    """An IDX file's bytes for a file of `kind`: a header that may lie about the kind, the dimensions and the size,
    then data that may be short or long, gzip-compressed (as its name says, or not) and the stream cut or damaged.
    Mostly the header is right: `count` images of 4x4 pixels (labels 0-9), as the other files of the directory."""
    right, other = mnist.KINDS[kind][0], mnist.KINDS["labels" if kind == "images" else "images"][0]
    magic = draw(mostly(st.just(right), st.just(other), st.sampled_from([0x802, 0x0C03, 0x0D01, 0x08030000]),
                        st.integers(0, 2**32 - 1)))
    ndim = magic & 0xFF if magic in (0x801, 0x803) else draw(st.integers(0, 4))
    dims = draw(mostly(st.just([count, 4, 4][:ndim]), st.lists(DIM, min_size=ndim, max_size=ndim),
                       st.lists(DIM, max_size=4)))
    size = math.prod(dims) if dims else 0
    length = max(0, min(size, 3000) + draw(mostly(st.just(0), st.integers(-40, 40))))
    body = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in dims)
    body = body[: draw(st.integers(0, len(body)))] if draw(st.integers(0, 9)) == 0 else body
    start = draw(st.lists(st.integers(0, 9 if kind == "labels" else 255), min_size=min(length, 64),
                          max_size=min(length, 64)) if draw(mostly(st.just(True), st.just(False))) else
                 st.binary(min_size=min(length, 64), max_size=min(length, 64)))
    raw = body + bytes(start) + bytes(max(0, length - 64))
    if draw(mostly(st.just(gz), st.just(not gz))):
        raw = gzip.compress(raw, compresslevel=1)
        how = draw(mostly(st.just("whole"), st.sampled_from(["cut", "flip", "twice", "garbage after"])))
        if how == "cut":
            raw = raw[: draw(st.integers(0, len(raw)))]
        elif how == "flip":
            at = draw(st.integers(0, len(raw) - 1))
            raw = raw[:at] + bytes([raw[at] ^ draw(st.integers(1, 255))]) + raw[at + 1:]
        elif how == "twice":
            raw += gzip.compress(draw(st.binary(max_size=20)))
        elif how == "garbage after":
            raw += draw(st.binary(min_size=1, max_size=20))
    return raw


def small_dataset(directory: Path, gz: bool) -> Path:
    rng = np.random.default_rng(0)
    for stem, n in (("train", 12), ("t10k", 3)):
        write_idx(directory / f"{stem}-images-idx3-ubyte{'.gz' if gz else ''}", rng.integers(0, 256, (n, 4, 4)), gz)
        write_idx(directory / f"{stem}-labels-idx1-ubyte{'.gz' if gz else ''}", rng.integers(0, 10, n), gz)
    return directory


@settings(FUZZ, max_examples=150 * SCALE)
@given(which=st.sampled_from(sorted(mnist.FILES)), gz=st.booleans(), data=st.data())
def test_fuzz_idx_reader(which, gz, data):
    content = data.draw(idx_files(which.split("_")[1], gz, 12 if which.startswith("train") else 3))
    with tempfile.TemporaryDirectory() as d:
        directory = small_dataset(Path(d), gz)
        path = directory / (mnist.FILES[which] + (".gz" if gz else ""))
        path.write_bytes(content)
        try:
            loaded = mnist.load(directory)
        except InputError as e:
            assert "\n" not in str(e) and str(directory) in str(e), str(e)
            event(outcome(str(e).split(str(directory), 1)[1]))
        else:
            event("loaded")
            assert loaded.train.images.dtype == np.uint8 and loaded.train.images.ndim == 2
            assert len(loaded.test.labels) == len(loaded.test.images) > 0
            assert loaded.test.labels.ndim == 1 and loaded.test.labels.max() <= 9
        mnist.load.cache_clear()


# -- model files (.npz) ---------------------------------------------------------------------------------------------

DESCR = st.one_of(st.sampled_from(["<f8", ">f8", "<f4", "<f2", "<i8", ">i4", "|u1", "<u8", "|b1", "<c16", "|O",
                                   "<U5", "|S3", "|V8", "<M8[s]", "<m8[D]", "<f16"]),
                  st.just([("a", "<f8")]), st.just(("<f8", (2,))))
SMALL_SHAPE = st.lists(st.integers(0, 6), max_size=3).map(tuple)
SHAPE = st.one_of(SMALL_SHAPE, st.lists(st.one_of(st.integers(0, 6), st.sampled_from([-1, 10**5, 2**40, 2**63 - 1])),
                                        max_size=3).map(tuple))


@st.composite
def npz_files(draw) -> bytes:
    """A tutor network file with a few of its members replaced by hand-made .npy files (dtype, shape, data), missing,
    or given odd zip flags and compression methods; the archive perhaps cut or damaged."""
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    members = network_members(Network(sizes, seed=draw(st.integers(0, 3))))
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(sorted(members) + ["extra.npy"]))
        change = draw(st.sampled_from(["header", "drop", "truncate", "values", "garbage"]))
        if change == "header":
            data = draw(st.binary(max_size=48))
            members[name] = npy_bytes(descr=draw(DESCR), shape=draw(SHAPE), fortran=draw(st.booleans()), data=data)
        elif change == "drop":
            members.pop(name, None)
        elif change == "truncate" and name in members:
            members[name] = members[name][: draw(st.integers(0, len(members[name])))]
        elif change == "values":
            values = draw(st.sampled_from([np.nan, np.inf, 1e308, -0.0, 30.5, 2**62]))
            members[name] = npy_bytes(np.full(draw(SMALL_SHAPE), values))
        else:
            members[name] = draw(st.binary(max_size=64))
    raw = zip_bytes(members, draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])))
    if members and draw(st.booleans()):
        name = draw(st.sampled_from(sorted(members)))
        patch = draw(st.sampled_from(["method", "flags"]))
        value = draw(st.one_of(st.sampled_from([0, 8, 9, 12, 14, 99, 0x1, 0x8, 0x20, 0x40, 0x800]),
                               st.integers(0, 0xFFFF)))
        raw = patch_zip(raw, name, **{patch: value})
    how = draw(st.sampled_from(["whole", "whole", "cut", "flip"]))
    if how == "cut":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif how == "flip":
        at = draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + bytes([raw[at] ^ draw(st.integers(1, 255))]) + raw[at + 1:]
    return raw


@settings(FUZZ, max_examples=150 * SCALE)
@given(data=npz_files())
def test_fuzz_model_reader(data):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "net.npz"
        path.write_bytes(data)
        try:
            network = load_network(path)
        except InputError as e:
            one_line(e, path)
        else:
            event("loaded")
            assert all(np.isfinite(network.params)) and len(network.weights) == len(network.sizes) - 1


# -- lesson files ---------------------------------------------------------------------------------------------------

def nested(depth: int) -> Deep:
    return Deep(depth)


NAMES = ["one-one-one", "two-three-two", "a\x00b", "n" * 300, "", "..", "/", "lessons", "no-such-net"]
TEXTS = ["x", "{a_l1}", "{x[1]}", "{", "}", "{{}}", "{a_l1:.40}", "{dc_dw_l2[9][9]}", "a\nb", "{" + "9" * 40 + "}"]
NUMBERS = [0, 1, -1, 0.5, 3.0, 1e6, -1e6, 1e200, 10**400, -(10**400), 2**63, math.nan, math.inf, -math.inf, 5e-324]
ANY = st.recursive(
    st.one_of(st.booleans(), st.integers(-5, 30), st.sampled_from(NUMBERS), st.floats(), st.text(max_size=8),
              st.sampled_from(NAMES + TEXTS), st.integers(0, 40).map(nested), st.sampled_from([300, 600, 5000]).map(nested)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(["a", "y", "z"]), inner,
                                                                         max_size=2)),
    max_leaves=8)


def near(param: Param, junk: bool = True):
    """Values for `param`: mostly of its kind within its bounds, else past them or anything (each number of a list
    too, when `junk`)."""
    low, high = param.low, param.high
    inside = st.floats(low, high) if param.kind in ("number", "numbers", "rows") else st.integers(int(low),
                                                                                                  int(min(high, 10**6)))
    outside = mostly(inside, st.floats(low * 2 - 1, high * 2 + 1), st.sampled_from(NUMBERS + [low, high]),
                     st.integers(int(low) - 2, int(low) + 2))
    scalar = outside if junk else inside
    few, many = (param.items[0], min(param.items[1], 12)) if param.kind in ("numbers", "wholes", "rows") else (0, 0)
    kinds = {"number": outside, "whole": outside, "numbers": st.lists(scalar, min_size=few, max_size=many),
             "wholes": st.lists(scalar, min_size=few, max_size=many),
             "rows": st.integers(1, 3).flatmap(lambda n: st.lists(st.lists(scalar, min_size=n, max_size=n),
                                                                  min_size=1, max_size=4)),
             "name": st.sampled_from(["one-one-one", "two-three-two"]),
             "choice": st.sampled_from([*param.choices, "", "x"]),
             "choices": st.lists(st.sampled_from([*param.choices, "x"]), max_size=3)}
    return mostly(kinds[param.kind], st.lists(outside, max_size=14), st.sampled_from(NAMES), ANY)


@st.composite
def params_for(draw, schema: dict[str, Param], junk: bool) -> dict:
    """Params for a computation or experiment of `schema`, each near its range; when `junk`, a required one may be
    missing and an unknown one there."""
    required = [k for k, p in schema.items() if p.default is REQUIRED]
    optional = sorted(set(schema) - set(required))
    if junk:
        required = [k for k in required if draw(mostly(st.just(True), st.just(False)))]
        optional.append("speed")
    keys = required + (draw(st.lists(st.sampled_from(optional), unique=True, max_size=len(optional))) if optional else [])
    return {k: draw(near(schema.get(k, Param("number")), junk)) for k in keys}


# a quantity each computation gives (and that of the lesson's network), for lessons that may pass
QUANTITIES = {"sigmoid": ["a", "slope"], "neuron": ["z", "a"], "descent": ["x[1]", "slope[0]", "x_final", "f_final"],
              "cost": ["cost"], "batch": ["avg_dc_db_l2", "cost_after", "updated_b_l2"], "parameters": ["total"],
              "pixel_index": ["index"], "one_hot": ["ones"], "updates_per_epoch": ["updates"],
              "neuron_gradient": ["dc_db", "slope"],
              "": ["a_l1", "z_l2", "dc_db_l2", "updated_cost"]}
ODD_QUANTITIES = ["a_l9", "x[99]", "dc_dw_l2", "(", "", "y[3]", "weights", "a\nb", "q" * 100_000]
SAFE_TEXTS = ["x", "Where is x?", "{a_l0}", "{y}", "{{literal}}"]


@st.composite
def steps(draw, junk: bool) -> dict:
    """A step of every kind; its fields right unless `junk` (then mostly), its params near their ranges."""
    def maybe(usual, *odd):
        return mostly(usual, *odd) if junk else usual

    def text_field():
        return maybe(st.sampled_from(SAFE_TEXTS), st.sampled_from(TEXTS), ANY)

    kind = draw(maybe(st.sampled_from(KINDS), st.sampled_from(["lecture", 3])))
    step = {"kind": kind, "text": draw(text_field())}
    if kind == "predict":
        compute = draw(maybe(st.sampled_from(sorted(COMPUTATIONS) + [""]), st.just("nonsense")))
        schema = COMPUTATIONS.get(compute, (None, {}))[1]
        step |= {"quantity": draw(maybe(st.sampled_from(QUANTITIES.get(compute, ["a"])), st.sampled_from(ODD_QUANTITIES))),
                 "hint": draw(text_field()), "explanation": draw(text_field()), "tolerance": 0.001}
        if compute:
            step |= {"compute": compute, "params": draw(params_for(schema, junk)) if schema else draw(ANY)}
        for key, param in (("tolerance", TOLERANCE), ("figures", FIGURES), ("tries", TRIES)):
            if draw(st.integers(0, 3)) == 0:
                step[key] = draw(near(param))
        if "figures" in step and junk is False:
            del step["tolerance"]
    elif kind == "experiment":
        run = draw(maybe(st.sampled_from(sorted(EXPERIMENTS)), st.just("nonsense")))
        step |= {"run": run, "params": draw(params_for(EXPERIMENTS.get(run, (None, {}))[1], junk))}
    elif kind == "train":
        step |= draw(params_for(TRAIN, junk))
    elif kind == "choice":
        option = st.fixed_dictionaries({"text": text_field(), "correct": maybe(st.booleans(), ANY),
                                        "why": text_field()})
        options = draw(st.lists(option, max_size=3))
        if not junk:
            options = [{"text": "yes", "correct": True, "why": "w"}, {"text": "no", "correct": False, "why": "w"}]
        step |= {"hint": "h", "options": options}
        if draw(st.booleans()):
            step["tries"] = draw(near(TRIES))
    elif kind == "step":
        step["until"] = draw(maybe(st.sampled_from(["a_l1", "z_l2"]), st.sampled_from(["nothing", ""]), ANY))
    elif kind == "explain":
        key = draw(st.sampled_from(["highlight", "view"]))
        step[key] = draw(maybe(st.sampled_from(["a_l1", "z_l2"] if key == "highlight" else ["draw", "hidden"]),
                               st.sampled_from(["nothing", ""]), ANY))
    return step


@st.composite
def lessons(draw) -> str:
    """A lesson file: valid TOML whose fields may have wrong types, huge numbers, NaN, deep nesting, unknown
    computations or experiments and parameters in and out of range."""
    junk = draw(st.booleans())
    head = {"format_version": 1, "id": "demo", "title": "T"}
    if junk:
        head |= {"format_version": draw(mostly(st.just(1), st.sampled_from([2, "1"]))),
                 "id": draw(mostly(st.just("demo"), st.just("Demo!"), ANY)), "title": draw(mostly(st.just("T"), ANY))}
    network = draw(st.sampled_from(["one-one-one", "one-one-one", "two-three-two", None, "inline"] +
                                   ["junk", "name"] * junk))
    if network == "inline":
        numbers = st.lists(st.floats(), max_size=5)  # the network file's own fuzz test gives it huge integers
        head["network"] = {"layers": draw(near(Param("wholes", 1, 5, items=(2, 4)))), "input": draw(numbers),
                           "target": draw(numbers)}
    elif network == "junk":
        head["network"] = draw(ANY)
    elif network == "name":
        head["network"] = draw(st.sampled_from(NAMES) | st.text(max_size=300))
    elif network:
        head["network"] = network
    lines = [f"{k} = {toml(v, ascii_only=False)}" for k, v in head.items()]
    for n, step in enumerate(draw(st.lists(steps(junk), min_size=1, max_size=4))):
        if draw(st.booleans()):
            step["id"] = draw(mostly(st.just(f"step-{n}"), st.sampled_from(["step-0", "Bad Id", "x" * 50]), ANY)
                              if junk else st.just(f"step-{n}"))
        lines.append("\n[[steps]]")
        lines.extend(f"{k} = {toml(v, ascii_only=False)}" for k, v in step.items())
    return "\n".join(lines) + "\n"


@settings(FUZZ, max_examples=100 * SCALE)
@given(text=lessons())
def test_fuzz_lesson_checker(text):
    lesson, problems = check_text(text, Path("fuzz.toml"))
    assert all(isinstance(p, Problem) and "\n" not in str(p) and str(p).startswith("fuzz.toml") and len(str(p)) < 1000
               for p in problems), problems
    event(outcome(problems[0].message.split(": ", 1)[-1]) if problems else "passes the check")
    if problems:
        return
    for step in lesson.steps:  # a lesson that passes can be taken: its answers are numbers, its experiments run
        if step.kind == "predict":
            assert math.isfinite(step.answer)
        if step.kind == "experiment" and step.run in ("descent", "repeat"):
            calls = iter(range(1000))  # stop a long repeat after a thousand steps: it is bounded, not slow to test
            run_experiment(step.run, step.params, lambda line: None, lambda: next(calls, None) is None)
