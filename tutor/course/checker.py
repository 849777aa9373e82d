"""The lesson checker: builds a Lesson from a lesson file's TOML and lists its problems as FILE:LINE messages, with
every answer computed by the engine (tutor lessons check, and every load)."""

from __future__ import annotations

import ast
import math
import re
import tomllib
from pathlib import Path

from tutor.course import computations, experiments, grading
from tutor.course.keys import step_keys
from tutor.course.model import (DEFAULT_TRIES, FORMAT_VERSION, KINDS, LESSON_FIELDS, OPTION_FIELDS, STEP_FIELDS,
                                STEP_ID, Lesson, Option, Problem, Step)
from tutor.course.params import Param
from tutor.course.placeholders import fill_placeholders
from tutor.course.problems import Checker
from tutor.course.quantities import pick
from tutor.errors import InputError
from tutor.views import LESSON_VIEWS


TOLERANCE, FIGURES, TRIES = Param("number", 0, 10**9), Param("whole", 1, grading.MAX_FIGURES), Param("whole", 1, 100)
EPSILON = Param("number", 1e-12, 0.1)


def _number_field(ck: Checker, raw: dict, key: str, n: int, param: Param):
    if key not in raw:
        return None
    try:
        return param.check(raw[key], key)
    except InputError as e:
        ck.add(str(e), key, n)
        return None


def _load_network(ck: Checker, value, lesson_dir: Path):
    from tutor.engine.spec import load_spec, parse_spec

    try:
        if isinstance(value, dict):
            try:
                return parse_spec(value, "network")
            except InputError as e:  # "network.weights[0][0][0]: ...", said where the table is
                ck.add(str(e).removeprefix("network: "), "network")
                return None
        if isinstance(value, str):
            try:
                Param("name").check(value, "network")  # a NUL or a 300-character name is no file to look for
            except InputError as e:
                ck.add(str(e), "network")
                return None
            candidate = lesson_dir / value
            return load_spec(candidate if candidate.exists() else value)
        ck.add("must be a network file name (e.g. \"one-one-one\") or a [network] table", "network")
    except InputError as e:
        ck.add(f"bad network: {e}", "network")
    return None


def _parse_step(ck: Checker, raw, n: int, values: dict | None) -> Step | None:
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

    if raw.get("start") is not None:
        s.start = need_quantity("start")
    if kind == "gradcheck":
        _parse_gradcheck(ck, raw, n, s, values, trace_needed)
    elif kind == "explain":
        if raw.get("highlight"):
            s.highlight = need_quantity("highlight")
        s.view = ck.text(raw, "view", n)
        if s.view and s.view not in LESSON_VIEWS:
            ck.add(f"unknown view '{s.view}' (views: {', '.join(LESSON_VIEWS)})", "view", n)
    elif kind == "step":
        s.until = need_quantity("until")
    elif kind == "predict":
        _parse_predict(ck, raw, n, s, values, trace_needed)
    elif kind == "code":
        _parse_code(ck, raw, n, s, values, trace_needed)
    elif kind == "choice":
        s.hint = ck.text(raw, "hint", n, required=True)
        s.tries = _number_field(ck, raw, "tries", n, TRIES) or DEFAULT_TRIES
        _parse_options(ck, raw, n, s)
    elif kind == "experiment":
        s.run = ck.text(raw, "run", n, required=True)
        s.params = _params(ck, raw, n)
        if s.run:
            try:
                experiments.check_experiment(s.run, s.params)
            except InputError as e:
                ck.add(str(e), _field(e, "params"), n)
    elif kind == "check":
        from tutor.check.report import LEVELS

        s.level = ck.text(raw, "level", n, required=True)
        if s.level and s.level not in LEVELS:
            ck.add(f"unknown level {s.level!r}: use one of {', '.join(repr(l) for l in LEVELS)}", "level", n)
    elif kind == "train":
        s.train = {key: raw[key] for key in experiments.TRAIN_DEFAULTS if key in raw}
        try:
            s.train = experiments.check_train(s.train)
        except InputError as e:
            ck.add(str(e), _field(e, "layers"), n)
    return s


def _field(e: InputError, default: str) -> str:
    """The lesson field an error is about (its line is where the checker reports it): 'params.layers' is params."""
    return (e.field or default).split(".")[0].split("[")[0]


def _parse_gradcheck(ck: Checker, raw: dict, n: int, s: Step, values: dict | None, trace_needed: str) -> None:
    """quantity: the weight or bias to nudge (w_l2, w_l2[1][2], b_l1[0]); epsilon: the nudge."""
    s.quantity = ck.text(raw, "quantity", n, required=True)
    epsilon = _number_field(ck, raw, "epsilon", n, EPSILON)
    if epsilon is not None:
        s.epsilon = float(epsilon)
    if not s.quantity:
        return
    if values is None:
        ck.add(f"names the parameter '{s.quantity}' but the lesson has no network; give it {trace_needed}",
               "quantity", n)
        return
    name = s.quantity.split("[")[0].strip()
    if not re.fullmatch(r"[wb]_l\d+", name):
        ck.add(f"'{s.quantity}' is not a weight or a bias: name one, e.g. w_l2[0][0] or b_l1[0]", "quantity", n)
        return
    try:
        pick(values, s.quantity, "the lesson's network")
    except InputError as e:
        ck.add(str(e), "quantity", n)


def _params(ck: Checker, raw: dict, n: int) -> dict:
    params = raw.get("params", {})
    if not isinstance(params, dict):
        ck.add("must be a table, e.g. params = { start = 5.0, step_size = 0.1 }", "params", n)
        return {}
    return params


def _parse_predict(ck: Checker, raw: dict, n: int, s: Step, values: dict | None, trace_needed: str):
    s.hint = ck.text(raw, "hint", n, required=True)
    s.explanation = ck.text(raw, "explanation", n)
    s.quantity = ck.text(raw, "quantity", n, required=True)
    s.compute = ck.text(raw, "compute", n)
    s.label = ck.text(raw, "label", n)
    s.params = _params(ck, raw, n)
    s.tolerance = _number_field(ck, raw, "tolerance", n, TOLERANCE)
    s.figures = _number_field(ck, raw, "figures", n, FIGURES)
    s.tries = _number_field(ck, raw, "tries", n, TRIES) or DEFAULT_TRIES
    if s.tolerance is not None and s.figures is not None:
        ck.add("give either tolerance (an absolute ±) or figures (significant figures), not both", "figures", n)
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
        ck.add(str(e), _field(e, "quantity"), n)
        return
    if not math.isfinite(s.answer):
        ck.add(f"the answer is {s.answer}, not a number a learner can type", "quantity", n)
        return
    if s.answer is not None and s.tolerance is None and s.answer == 0:
        ck.add("the answer is 0, and significant figures of 0 accept only exactly 0: give tolerance = ...",
               "quantity", n)


def _parse_code(ck: Checker, raw: dict, n: int, s: Step, values: dict | None, trace_needed: str) -> None:
    """quantity: a whole quantity of the trace; solution: the article's expression for it (run by tutor lessons check:
    tutor.course.solutions)."""
    s.hint = ck.text(raw, "hint", n, required=True)
    s.explanation = ck.text(raw, "explanation", n)
    s.label = ck.text(raw, "label", n)
    s.tries = _number_field(ck, raw, "tries", n, TRIES) or DEFAULT_TRIES
    s.solution = ck.text(raw, "solution", n, required=True).strip()
    if s.solution:
        try:
            ast.parse(s.solution, mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
            ck.add(f"{s.solution!r} is not a Python expression ({type(e).__name__}: {getattr(e, 'msg', e)}); write "
                   "what computes the quantity, e.g. solution = \"dc_dw(a_l1, dc_db_l2)\"", "solution", n)
    s.quantity = ck.text(raw, "quantity", n, required=True).strip()
    if not s.quantity:
        return
    if values is None:
        ck.add(f"names the quantity '{s.quantity}' but the lesson has no network; give it {trace_needed}", "quantity", n)
    elif s.quantity not in values:
        hint = " (a code step asks for a whole quantity: no [index])" if "[" in s.quantity else ""
        ck.add(f"the network does not produce '{s.quantity}'{hint} (it has: {', '.join(values)})", "quantity", n)
    elif s.quantity == next(iter(values)):
        ck.add(f"'{s.quantity}' is the input: nothing comes before it to compute it from", "quantity", n)
    else:
        s.expected = values[s.quantity]


def _check_grading(ck: Checker, parsed: list[tuple[int, Step]], trace) -> None:
    """The proof that grading is right: no predict step's accepted range contains one of its classic wrong answers
    (tutor.course.grading), and an exercise that needs more than the usual significant figures says so."""
    for n, step in parsed:
        if step.kind != "predict" or step.answer is None:
            continue
        if step.figures is not None:
            stated = grading.stated_figures(" ".join((step.title, step.text, step.hint)))
            figures = step.figures or grading.DEFAULT_FIGURES
            if figures != grading.DEFAULT_FIGURES and figures not in stated:
                ck.add(f"figures = {figures}: say so to the learner in the step's text (e.g. \"give "
                       f"{grading.NUMBER_WORDS.get(figures, figures)} significant figures\")", "figures", n)
        stated = grading.stated_figures(step.text) - {step.figures or grading.DEFAULT_FIGURES}
        if stated and step.tolerance is None:
            ck.add(f"the text asks for {min(stated)} significant figures but the exercise grades "
                   f"{step.figures or grading.DEFAULT_FIGURES}: give figures = {min(stated)}", "text", n)
        wrongs = grading.classic_wrong_answers(step, trace)
        caught = [w for w in wrongs if grading.accepted(w, step)]
        if not caught:
            continue
        error = grading.allowed_error(step)
        low, high = step.answer - error, step.answer + error
        if step.tolerance is not None:
            nearest = min(abs(w.value - step.answer) for w in wrongs)
            fix = f"give a tolerance below {nearest:.3g}"
        else:
            figures = grading.fewest_figures(step, wrongs)
            fix = (f"ask for figures = {figures} (and say so in the text)" if figures is not None
                   else "no number of significant figures tells them apart: ask for another quantity")
        w = caught[0]
        ck.add(f"the accepted range [{low:.10g}, {high:.10g}] for {step.quantity} = {step.answer!r} also accepts "
               f"{w.what} ({w.value!r}); {fix}", "tolerance" if step.tolerance is not None else "quantity", n)


def _parse_options(ck: Checker, raw: dict, n: int, s: Step):
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



def check_text(text: str, path: Path) -> tuple[Lesson | None, list[Problem]]:
    """Build the Lesson in `text` (the contents of `path`) and list its problems."""
    ck = Checker(path, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        return None, [Problem(str(path), int(m.group(1)) if m else None,
                              f"not valid TOML ({e}); check quotes, brackets and that the file is complete")]
    except RecursionError:  # tomllib reads nested arrays and tables recursively
        return None, [Problem(str(path), None, "not readable: arrays or tables nested hundreds of levels deep")]
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
    fill_placeholders(ck, parsed, lesson.trace, values)
    _check_grading(ck, parsed, lesson.trace)
    if steps and not any(s.is_exercise for s in lesson.steps):
        ck.add("a lesson needs at least one exercise: a predict, choice or code step", "steps", line=ck.lines.step(0))
    return lesson, ck.problems


def _check_step_ids(ck: Checker, parsed: list[tuple[int, Step]]) -> None:
    first: dict[str, int] = {}
    for n, step in parsed:
        if step.id in first:
            m = first[step.id]
            ck.add(f"duplicate step id '{step.id}', also used by steps[{m}] (line {ck.lines.key('id', m)}): "
                   "give every step its own id", "id", n)
        elif step.id:
            first[step.id] = n
