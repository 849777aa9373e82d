"""Lesson files (TOML) -> Lesson dataclasses, with a checker that reports FILE:LINE problems and engine-computed answers."""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tutor import lesson_computations as computations
from tutor.errors import InputError

FORMAT_VERSION = 1
# An installed copy has the lessons in tutor/lesson_files (built from lessons/, see pyproject.toml);
# a checkout or an editable install has only lessons/ (setuptools' editable finder does not map it).
SHIPPED = Path(__file__).resolve().parent / "lesson_files"
if not SHIPPED.is_dir():
    SHIPPED = SHIPPED.parent.parent / "lessons"
LESSON_FIELDS = {"format_version", "id", "title", "summary", "network", "steps"}
COMMON = {"kind", "title", "text", "id"}
STEP_FIELDS = {
    "explain": COMMON | {"highlight", "view"},
    "step": COMMON | {"until"},
    "predict": COMMON | {"quantity", "compute", "params", "tolerance", "relative", "hint", "tries", "explanation"},
    "choice": COMMON | {"options", "hint", "tries"},
    "experiment": COMMON | {"run", "params"},
    "train": COMMON | {"layers", "epochs", "batch_size", "step_size", "limit", "seed", "goal"},
}
KINDS = tuple(STEP_FIELDS)
EXERCISES = ("predict", "choice")
OPTION_FIELDS = {"text", "correct", "why"}
# Screens an explain step can offer with view = "..." (opened by the app; the MNIST views train a network first).
VIEW_NAMES = {"mnist-browser": "MNIST browser", "hidden": "hidden-neuron view",
              "hidden-16": "hidden neurons of 784-16-16-10", "random-pixels": "random-pixel demo",
              "draw": "draw-a-digit canvas", "confusion": "confusion matrix"}
DEFAULT_RELATIVE = 0.002  # three significant figures
DEFAULT_TRIES = 3
STEP_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
# What a step is about, for its derived key (a step without an id): e.g. "predict.z_l1.3f2a9c1b".
KEY_FIELDS = ("compute", "quantity", "until", "run", "highlight", "view")
QUANTITY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)$")
NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
# In lesson text: {{ and }} are literal braces, {name}, {name[1][2]}, {name:.6} (significant digits) or
# {name:.3f} (decimals) a number of the lesson's network (or of the predict step's computation).
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")
PLACEHOLDER_BODY = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)((?:\s*\[\s*\d+\s*\])*)\s*(?::\.(\d{1,2})(f?))?\s*$")
PLACEHOLDER_DIGITS = 4
PLACEHOLDER_HELP = ("write {name} (e.g. {a_l2}), {name[row][column]} (e.g. {dc_dw_l2[1][2]}), {name:.6} for 6 "
                    "significant digits or {name:.3f} for 3 decimals; for a literal brace write {{ or }}")


@dataclass
class Option:
    text: str
    correct: bool
    why: str


@dataclass
class Step:
    """One step of a lesson; which fields matter depends on `kind`."""

    kind: str
    text: str = ""
    title: str = ""
    line: int = 0
    id: str = ""                 # the id the lesson file gives, or ''
    key: str = ""                # what progress is saved under: the id, or derived from the step (see step_key)
    highlight: str = ""          # explain: a trace quantity to show
    view: str = ""               # explain: a screen the learner can open (e.g. "mnist-browser")
    until: str = ""              # step: the quantity to reach
    quantity: str = ""           # predict: "a_l1", "dc_dw_l2[1][2]" (or a computation's result)
    compute: str = ""            # predict: a named computation instead of the lesson's trace
    params: dict = field(default_factory=dict)
    tolerance: float | None = None
    relative: float | None = None
    hint: str = ""
    tries: int = DEFAULT_TRIES
    explanation: str = ""
    options: list[Option] = field(default_factory=list)
    run: str = ""                # experiment: a named experiment
    train: dict = field(default_factory=dict)  # train: layers, epochs, batch_size, step_size, limit, seed, goal
    answer: float | None = None  # predict: the engine's answer, filled in when the lesson is loaded
    results: dict | None = field(default=None, repr=False)  # predict with compute: the computation's results

    @property
    def is_exercise(self) -> bool:
        return self.kind in EXERCISES

    @property
    def name(self) -> str:
        """The trace entry a predict step is about (quantity without its index), or ''."""
        m = QUANTITY.match(self.quantity) if self.kind == "predict" and not self.compute else None
        return m.group(1) if m else ""

    def check(self, number: float) -> bool:
        """True when `number` is the engine's answer within this exercise's tolerance."""
        return abs(number - self.answer) <= self.allowed_error()

    def allowed_error(self) -> float:
        if self.tolerance is not None:
            return self.tolerance
        return (self.relative if self.relative is not None else DEFAULT_RELATIVE) * abs(self.answer)

    def answer_text(self) -> str:
        """The answer as the article's REPL would print it."""
        if self.kind == "choice":
            i = next(i for i, o in enumerate(self.options) if o.correct)
            return f"{i + 1}) {self.options[i].text}"
        a = self.answer
        return str(int(a)) if float(a).is_integer() and abs(a) < 1e15 else repr(float(a))


@dataclass
class Lesson:
    id: str
    title: str
    path: Path
    steps: list[Step]
    summary: str = ""
    spec: Any = None             # a tutor.engine.spec.NetworkSpec, or None
    trace: Any = None            # the spec's Trace, or None

    @property
    def exercises(self) -> int:
        return sum(s.is_exercise for s in self.steps)

    @property
    def keys(self) -> list[str]:
        return [s.key for s in self.steps]


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


# -- reading answers the learner types ---------------------------------------------------------------

def parse_number(text: str) -> float | None:
    """A number typed by a learner: 1.124, -0.0190, 1.2e-2, .5, 0,75 (decimal comma), 3/4; None if it is not one."""
    t = text.strip().replace("\u2212", "-").replace(" ", "").replace("_", "")
    if t.count(",") == 1 and "." not in t:
        t = t.replace(",", ".")
    if t.count("/") == 1:
        num, den = t.split("/")
        a, b = parse_number(num), parse_number(den)
        return a / b if a is not None and b not in (None, 0) else None
    if not NUMBER.match(t):
        return None
    value = float(t)
    return value if math.isfinite(value) else None


def parse_choice(text: str, count: int) -> int | None:
    """An option typed by a learner: 1-based number or letter a, b, c...; None if it is not one."""
    t = text.strip().rstrip(")").lower()
    if t.isdigit() and 1 <= int(t) <= count:
        return int(t) - 1
    if len(t) == 1 and "a" <= t <= chr(ord("a") + count - 1):
        return ord(t) - ord("a")
    return None


# -- quantities ----------------------------------------------------------------------------------------

def pick(values: dict, quantity: str, what: str) -> float:
    """The number `quantity` names in `values` (a trace's or a computation's results): 'a_l1',
    'dc_dw_l2[1][2]', 'y[4]' (a column's row). Raises InputError saying what is wrong."""
    m = QUANTITY.match(quantity.replace(" ", ""))
    if not m:
        raise InputError(f"'{quantity}' is not a quantity name (e.g. a_l1, dc_dw_l2[1][2])")
    name, index = m.group(1), [int(i) for i in re.findall(r"\d+", m.group(2))]
    if name not in values:
        known = ", ".join(sorted(values))
        raise InputError(f"{what} has no quantity '{name}' (it has: {known})")
    value = np.asarray(values[name], dtype=np.float64)
    if value.ndim == 2 and value.shape[1] == 1 and len(index) == 1:
        index = [index[0], 0]
    if not index:
        if value.size != 1:
            shape = "x".join(map(str, value.shape))
            example = "[0]" if value.ndim == 1 or value.shape[-1] == 1 else "[0][0]"
            raise InputError(f"'{name}' is a {shape} matrix: name one number, e.g. {name}{example}")
        return float(value.reshape(-1)[0])
    if len(index) != value.ndim or any(i >= n for i, n in zip(index, value.shape)):
        shape = "x".join(map(str, value.shape)) or "1x1"
        raise InputError(f"'{quantity}' is outside '{name}', which is {shape} (indexes start at 0)")
    return float(value[tuple(index)])


# -- step identity: progress is saved by step key, so it follows a step when others are inserted or moved ---

def step_key(raw: dict) -> str:
    """The step's id, or a key derived from the step itself: its kind, what it asks for or shows, and a short hash of
    its text as written (spaces collapsed), e.g. "predict.z_l1.3f2a9c1b". Inserting, removing or moving other steps
    does not change it; rewording the text does (a step with an id keeps its progress then)."""
    if isinstance(raw.get("id"), str) and raw["id"]:
        return raw["id"]
    text = raw.get("text") if isinstance(raw.get("text"), str) else ""
    digest = hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:8]
    about = [raw[k].strip() for k in KEY_FIELDS if isinstance(raw.get(k), str) and raw[k].strip()]
    return ".".join([str(raw.get("kind")), *about, digest])


def step_keys(steps: list) -> list[str]:
    """The keys of a lesson's steps (as read from TOML); a derived key that repeats (identical steps) gets ~2, ~3..."""
    keys, seen = [], {}
    for raw in steps:
        key = step_key(raw if isinstance(raw, dict) else {})
        seen[key] = seen.get(key, 0) + 1
        keys.append(key if seen[key] == 1 else f"{key}~{seen[key]}")
    return keys


def lesson_step_keys(paths: list[str | Path] | None = None) -> dict[str, list[str]]:
    """Each lesson's step keys by lesson id, read from the files without the engine: what saved progress needs.
    A file that cannot be read is left out (tutor lessons check reports it)."""
    found: dict[str, list[str]] = {}
    for path in lesson_files(paths):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if isinstance(data.get("id"), str) and isinstance(data.get("steps"), list):
            found.setdefault(data["id"], step_keys(data["steps"]))
    return found


# -- loading and checking ------------------------------------------------------------------------------

class _Lines:
    """Finds the line of a key or a [[steps]] table in a TOML text (tomllib gives no positions)."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.step_lines = [i + 1 for i, l in enumerate(self.lines) if re.match(r"\s*\[\[\s*steps\s*\]\]", l)]

    def step(self, n: int) -> int | None:
        return self.step_lines[n] if n < len(self.step_lines) else None

    def key(self, key: str, step: int | None = None) -> int | None:
        if step is None:
            start, end = 0, (self.step_lines[0] - 1 if self.step_lines else len(self.lines))
        else:
            start = (self.step(step) or 1) - 1
            end = self.step_lines[step + 1] - 1 if step + 1 < len(self.step_lines) else len(self.lines)
        for i in range(start, end):
            if re.match(rf"\s*{re.escape(key)}\s*=", self.lines[i]) or re.match(rf"\s*\[+\s*(steps\.)?{re.escape(key)}\s*\]+", self.lines[i]):
                return i + 1
        return self.step(step) if step is not None else None


class _Checker:
    """Collects the problems of one lesson file while building its Lesson."""

    def __init__(self, path: Path, text: str):
        self.path, self.lines, self.problems = path, _Lines(text), []

    def add(self, message: str, key: str | None = None, step: int | None = None, line: int | None = None):
        if line is None:
            line = self.lines.key(key, step) if key else (self.lines.step(step) if step is not None else None)
        if key and message.startswith(f"{key}: "):
            message = message[len(key) + 2:]
        where = f"steps[{step}]" + (f".{key}" if key else "") if step is not None else key
        self.problems.append(Problem(str(self.path), line, f"{where}: {message}" if where else message))

    def text(self, data: dict, key: str, step: int | None = None, required: bool = False) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            self.add(f"must be text (in quotes), got {value!r}", key, step)
            return ""
        if required and not value.strip():
            self.add("is missing or empty" + {"hint": ": every exercise needs a hint shown after a wrong try",
                                              "text": ": write what the learner should read or do"}.get(key, ""),
                     key, step)
        return value


def _number_field(ck: _Checker, raw: dict, key: str, n: int, minimum: float = 0.0, integer: bool = False):
    if key not in raw:
        return None
    v = raw[key]
    if isinstance(v, bool) or not isinstance(v, (int, float)) or (integer and not isinstance(v, int)):
        ck.add(f"must be a {'whole ' if integer else ''}number, got {v!r}", key, n)
        return None
    if not math.isfinite(v) or v < minimum:
        ck.add(f"must be a finite number >= {minimum}, got {v!r}", key, n)
        return None
    return v


def _load_network(ck: _Checker, value, lesson_dir: Path):
    from tutor.engine.spec import load_spec, parse_spec

    try:
        if isinstance(value, dict):
            return parse_spec(value, f"{ck.path}: network")
        if isinstance(value, str):
            candidate = lesson_dir / value
            return load_spec(candidate if candidate.exists() else value)
        ck.add("must be a network file name (e.g. \"one-one-one\") or a [network] table", "network")
    except InputError as e:
        ck.add(f"bad network: {e}", "network")
    return None


def _parse_step(ck: _Checker, raw, n: int, values: dict | None) -> Step | None:
    if not isinstance(raw, dict):
        ck.add("each step must be a [[steps]] table", step=n)
        return None
    kind = raw.get("kind")
    if kind not in STEP_FIELDS:
        ck.add(f"unknown step kind {kind!r}: use one of {', '.join(KINDS)}" if kind is not None
               else f"missing 'kind': use one of {', '.join(KINDS)}", "kind" if kind is not None else None, n)
        return None
    for key in sorted(set(raw) - STEP_FIELDS[kind]):
        ck.add(f"unknown field '{key}' in {'an' if kind[0] in 'aeiou' else 'a'} {kind} step (fields: {', '.join(sorted(STEP_FIELDS[kind]))})", key, n)
    s = Step(kind, ck.text(raw, "text", n, required=kind != "step"), ck.text(raw, "title", n), ck.lines.step(n) or 0)
    s.id = ck.text(raw, "id", n)
    if s.id and not STEP_ID.match(s.id):
        ck.add(f"{s.id!r} is not a step id: use up to 40 lower-case letters, digits and dashes (e.g. \"hidden-z\")",
               "id", n)
    trace_needed = "a network: add network = \"one-one-one\" (a shipped network file) or a [network] table"

    def need_quantity(key: str) -> str:
        q = ck.text(raw, key, n, required=True)
        if not q:
            return ""
        if values is None:
            ck.add(f"names the quantity '{q}' but the lesson has no network; give it {trace_needed}", key, n)
        elif q not in values:
            ck.add(f"the network does not produce '{q}' (it has: {', '.join(values)})", key, n)
        return q

    if kind == "explain":
        if raw.get("highlight"):
            s.highlight = need_quantity("highlight")
        s.view = ck.text(raw, "view", n)
        if s.view and s.view not in VIEW_NAMES:
            ck.add(f"unknown view '{s.view}' (views: {', '.join(VIEW_NAMES)})", "view", n)
    elif kind == "step":
        s.until = need_quantity("until")
    elif kind == "predict":
        _parse_predict(ck, raw, n, s, values, trace_needed)
    elif kind == "choice":
        s.hint = ck.text(raw, "hint", n, required=True)
        s.tries = _number_field(ck, raw, "tries", n, 1, integer=True) or DEFAULT_TRIES
        _parse_options(ck, raw, n, s)
    elif kind == "experiment":
        s.run = ck.text(raw, "run", n, required=True)
        s.params = _params(ck, raw, n)
        if s.run:
            try:
                computations.check_experiment(s.run, s.params)
            except InputError as e:
                ck.add(str(e), "run" if "experiment" in str(e).split(":")[0] else "params", n)
    elif kind == "train":
        s.train = dict(computations.TRAIN_DEFAULTS)
        for key in ("layers", "epochs", "batch_size", "step_size", "limit", "seed", "goal"):
            if key in raw:
                s.train[key] = raw[key]
        try:
            s.train = computations.check_train(s.train)
        except InputError as e:
            ck.add(str(e), str(e).split(":")[0], n)
    return s


def _params(ck: _Checker, raw: dict, n: int) -> dict:
    params = raw.get("params", {})
    if not isinstance(params, dict):
        ck.add("must be a table, e.g. params = { start = 5.0, step_size = 0.1 }", "params", n)
        return {}
    return params


def _parse_predict(ck: _Checker, raw: dict, n: int, s: Step, values: dict | None, trace_needed: str):
    s.hint = ck.text(raw, "hint", n, required=True)
    s.explanation = ck.text(raw, "explanation", n)
    s.quantity = ck.text(raw, "quantity", n, required=True)
    s.compute = ck.text(raw, "compute", n)
    s.params = _params(ck, raw, n)
    s.tolerance = _number_field(ck, raw, "tolerance", n)
    s.relative = _number_field(ck, raw, "relative", n)
    s.tries = _number_field(ck, raw, "tries", n, 1, integer=True) or DEFAULT_TRIES
    if s.tolerance is not None and s.relative is not None:
        ck.add("give either tolerance (absolute) or relative, not both", "relative", n)
    if "params" in raw and not s.compute:
        ck.add("params only go with compute = \"...\" (a trace quantity needs none)", "params", n)
    if not s.quantity:
        return
    try:
        if s.compute:
            results = s.results = computations.compute(s.compute, s.params)
            s.answer = pick(results, s.quantity, f"computation '{s.compute}'")
        elif values is None:
            ck.add(f"names the quantity '{s.quantity}' but the lesson has no network; give it {trace_needed}, "
                   "or name a computation with compute = \"...\"", "quantity", n)
            return
        else:
            s.answer = pick(values, s.quantity, "the lesson's network")
    except InputError as e:
        key = "compute" if str(e).startswith("computation") or str(e).startswith("unknown computation") else "quantity"
        ck.add(str(e), "params" if "param" in str(e).split(":")[0] else key, n)
        return
    if s.answer is not None and s.tolerance is None and s.relative is None and s.answer == 0:
        ck.add("the answer is 0, so a relative tolerance accepts only exactly 0: give tolerance = ...", "quantity", n)


def _parse_options(ck: _Checker, raw: dict, n: int, s: Step):
    options = raw.get("options")
    if not isinstance(options, list) or len(options) < 2:
        ck.add("a choice needs at least 2 options: add [[steps.options]] tables with text, correct and why", "options", n)
        return
    for i, o in enumerate(options):
        if not isinstance(o, dict):
            ck.add(f"option {i + 1} must be a table with text, correct and why", "options", n)
            continue
        for key in sorted(set(o) - OPTION_FIELDS):
            ck.add(f"option {i + 1}: unknown field '{key}' (fields: correct, text, why)", key, n)
        text, why = o.get("text", ""), o.get("why", "")
        if not isinstance(text, str) or not text.strip():
            ck.add(f"option {i + 1}: missing text", "options", n)
        if not isinstance(why, str) or not why.strip():
            ck.add(f"option {i + 1}: missing why: explain why this option is right or wrong", "options", n)
        correct = o.get("correct", False)
        if not isinstance(correct, bool):
            ck.add(f"option {i + 1}: correct must be true or false", "options", n)
        s.options.append(Option(str(text), correct is True, str(why)))
    right = sum(o.correct for o in s.options)
    if right != 1:
        ck.add(f"exactly one option must have correct = true (found {right})", "options", n)


# -- placeholders: numbers in lesson text come from the engine ------------------------------------------

def format_value(value: float, digits: int = PLACEHOLDER_DIGITS, fixed: bool = False) -> str:
    """A number as a placeholder shows it: `digits` significant digits (or decimals when `fixed`), no trailing zeros."""
    text = f"{value:.{digits}f}" if fixed else f"{value:.{digits}g}"
    return "0" if text in ("-0", "+0") else text


def placeholders(text: str) -> list[tuple[str, str | None]]:
    """The placeholders in `text` as (raw, body): body is None for a lone brace, '{{'/'}}' are left out."""
    return [(m.group(0), m.group(1)) for m in PLACEHOLDER.finditer(text) if m.group(0) not in ("{{", "}}")]


def _step_limits(parsed: list[tuple[int, Step]], trace) -> dict[int, tuple[int, int, Step]]:
    """For each step: (trace index, step number, predict step) of the first quantity the learner still has to
    predict at or after it. Placeholders there may show only quantities computed before it (or given: the
    input, the target, the parameters and the step size)."""
    limits, upcoming = {}, None
    for n, step in reversed(parsed):
        if trace is not None and step.kind == "predict" and step.name and step.name in trace.names:
            upcoming = (trace.index(step.name), n, step)
        if upcoming is not None:
            limits[n] = upcoming
    return limits


def _fill_placeholders(ck: _Checker, parsed: list[tuple[int, Step]], trace, values: dict | None) -> None:
    """Replace the placeholders in every text the learner reads with the engine's numbers (`values`: the trace's,
    by name), or report why not."""
    limits = _step_limits(parsed, trace)
    for n, step in parsed:
        def fill(text: str, key: str, guarded: bool = True) -> str:
            return _fill(ck, text, key, n, step, values, trace, limits.get(n) if guarded else None)

        step.title = fill(step.title, "title")
        step.text = fill(step.text, "text")
        step.hint = fill(step.hint, "hint")
        step.explanation = fill(step.explanation, "explanation", guarded=False)  # shown with the answer
        for o in step.options:
            o.text, o.why = fill(o.text, "options"), fill(o.why, "options")


def _placeholder_line(ck: _Checker, raw: str, key: str, n: int) -> int | None:
    """The line of the step's `key` field where `raw` is written (or the field's line)."""
    start = ck.lines.key(key, n) or ck.lines.step(n) or 1
    end = ck.lines.step_lines[n + 1] - 1 if n + 1 < len(ck.lines.step_lines) else len(ck.lines.lines)
    for i in range(start - 1, end):
        if raw in ck.lines.lines[i]:
            return i + 1
    return start


def _fill(ck: _Checker, text: str, key: str, n: int, step: Step, values: dict | None, trace, limit) -> str:
    if "{" not in text and "}" not in text:
        return text

    def problem(raw: str, message: str) -> str:
        ck.add(message, key, n, line=_placeholder_line(ck, raw, key, n))
        return raw

    def replace(m: re.Match) -> str:
        raw, body = m.group(0), m.group(1)
        if raw in ("{{", "}}"):
            return raw[0]
        if body is None:
            return problem(raw, f"a lone '{raw}': {PLACEHOLDER_HELP}")
        pm = PLACEHOLDER_BODY.match(body)
        if not pm:
            return problem(raw, f"malformed placeholder '{raw}': {PLACEHOLDER_HELP}")
        name, index = pm.group(1), pm.group(2).replace(" ", "")
        digits = int(pm.group(3)) if pm.group(3) else PLACEHOLDER_DIGITS
        if not 1 <= digits <= 17:
            return problem(raw, f"'{raw}': give 1 to 17 digits, e.g. {{{name}{index}:.6}}")
        own = step.results if step.kind == "predict" and step.results is not None else None
        if own is not None and name in own:
            source, what = own, f"computation '{step.compute}'"
        elif values is not None and name in values:
            source, what = values, "the lesson's network"
        else:
            known = sorted(set(own or {}) | set(values or {}))
            if not known:
                return problem(raw, f"unknown quantity '{name}' in '{raw}': this lesson has no network; add network = "
                                    "'one-one-one' (or a [network] table), or write the number itself")
            return problem(raw, f"unknown quantity '{name}' in '{raw}'; use one of: {', '.join(known)}")
        try:
            value = pick(source, name + index, what)
        except InputError as e:
            return problem(raw, f"'{raw}': {e}")
        if source is values and limit is not None and trace.index(name) >= limit[0] and not trace[name].given:
            asked, m_, pstep = trace.names[limit[0]], limit[1], limit[2]
            whose = "this step" if m_ == n else f"steps[{m_}]"
            how = "is the answer" if name == asked else f"is computed after {asked}, the answer"
            return problem(raw, f"'{raw}' gives the answer away: {name} {how} {whose} asks the learner to predict; "
                                f"show only quantities computed before {asked}")
        if source is own and step.kind == "predict" and key in ("title", "text", "hint"):
            asked = QUANTITY.match(step.quantity.replace(" ", ""))
            same = asked is not None and asked.group(1) == name and \
                [int(i) for i in re.findall(r"\d+", index)] >= [int(i) for i in re.findall(r"\d+", asked.group(2))]
            if same or value == step.answer:
                return problem(raw, f"'{raw}' gives the answer away: it shows {step.quantity}, which this step asks "
                                    "the learner to predict (or a value equal to it); show only the numbers that lead to it")
        return format_value(value, digits, pm.group(4) == "f")

    return PLACEHOLDER.sub(replace, text)


def check_text(text: str, path: Path) -> tuple[Lesson | None, list[Problem]]:
    """Build the Lesson in `text` (the contents of `path`) and list its problems."""
    ck = _Checker(path, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        return None, [Problem(str(path), int(m.group(1)) if m else None,
                              f"not valid TOML ({e}); check quotes, brackets and that the file is complete")]
    for key in sorted(set(data) - LESSON_FIELDS):
        ck.add(f"unknown field '{key}' (lesson fields: {', '.join(sorted(LESSON_FIELDS))})", key)
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        ck.add(f"format_version must be {FORMAT_VERSION}, got {version!r}" if version is not None
               else f"missing format_version: add format_version = {FORMAT_VERSION} at the top", "format_version", line=ck.lines.key("format_version") or 1)
    lesson_id = ck.text(data, "id", required=True)
    if lesson_id and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", lesson_id):
        ck.add(f"id {lesson_id!r} must be lower-case letters, digits and dashes (e.g. \"one-neuron\")", "id")
    lesson = Lesson(lesson_id, ck.text(data, "title", required=True), path, [], ck.text(data, "summary"))
    values = None
    if "network" in data:
        lesson.spec = _load_network(ck, data["network"], path.parent)
        if lesson.spec is not None:
            lesson.trace = lesson.spec.trace()
            values = {e.name: e.value for e in lesson.trace}
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        ck.add("a lesson needs steps: add [[steps]] tables (kind = \"explain\", text = \"...\")", "steps", line=len(ck.lines.lines) or 1)
        steps = []
    parsed = []
    for n, raw in enumerate(steps):
        step = _parse_step(ck, raw, n, values)
        if step is not None:
            lesson.steps.append(step)
            parsed.append((n, step))
    keys = step_keys(steps)
    for n, step in parsed:
        step.key = keys[n]
    _check_step_ids(ck, parsed)
    _fill_placeholders(ck, parsed, lesson.trace, values)
    if steps and not any(s.is_exercise for s in lesson.steps):
        ck.add("a lesson needs at least one exercise: a predict or choice step", "steps", line=ck.lines.step(0))
    return lesson, ck.problems


def _check_step_ids(ck: _Checker, parsed: list[tuple[int, Step]]) -> None:
    first: dict[str, int] = {}
    for n, step in parsed:
        if step.id in first:
            m = first[step.id]
            ck.add(f"duplicate step id '{step.id}', also used by steps[{m}] (line {ck.lines.key('id', m)}): "
                   "give every step its own id", "id", n)
        elif step.id:
            first[step.id] = n


def check_file(path: Path) -> tuple[Lesson | None, list[Problem]]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(str(path), None, "file not found")]
    except (OSError, UnicodeDecodeError) as e:
        return None, [Problem(str(path), None, f"cannot read ({e})")]
    return check_text(text, Path(path))


def lesson_files(paths: list[str | Path] | None = None) -> list[Path]:
    """The lesson files among `paths` (directories are searched for *.toml), or the shipped ones."""
    if not paths:
        return sorted(SHIPPED.glob("*.toml"))
    out = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("*.toml")) if p.is_dir() else [p])
    return out


def check_all(paths: list[str | Path] | None = None) -> tuple[list[Lesson], list[Problem]]:
    """Check lesson files together (duplicate ids across files are problems too)."""
    lessons, problems, seen = [], [], {}
    files = lesson_files(paths)
    if not files:
        problems.append(Problem(str(paths[0] if paths else SHIPPED), None, "no lesson files (*.toml) found"))
    for path in files:
        lesson, found = check_file(path)
        problems.extend(found)
        if lesson is None:
            continue
        if lesson.id in seen:
            line = _Lines(path.read_text(encoding="utf-8")).key("id")
            problems.append(Problem(str(path), line, f"id: duplicate id '{lesson.id}', also used by {seen[lesson.id]}; "
                                                     "give every lesson its own id"))
        seen.setdefault(lesson.id, str(path))
        lessons.append(lesson)
    return lessons, problems


def load_lessons(paths: list[str | Path] | None = None) -> list[Lesson]:
    """The lessons, in file-name order; raises InputError with the first problem."""
    lessons, problems = check_all(paths)
    if problems:
        more = f" (and {len(problems) - 1} more; run: tutor lessons check)" if len(problems) > 1 else ""
        raise InputError(f"{problems[0]}{more}")
    return lessons


def find_lesson(lessons: list[Lesson], key: str) -> Lesson:
    """A lesson by id, or by its number in the list (1-based)."""
    for lesson in lessons:
        if lesson.id == key:
            return lesson
    if key.isdigit() and 1 <= int(key) <= len(lessons):
        return lessons[int(key) - 1]
    raise InputError(f"unknown lesson '{key}' (lessons: {', '.join(l.id for l in lessons)})")
