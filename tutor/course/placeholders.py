"""Placeholders: numbers in lesson text come from the engine ({a_l2}, {dc_dw_l2[1][2]:.6}), never typed by authors;
one that would give away the answer of a predict step still ahead is a problem."""

from __future__ import annotations

import re

from tutor.course.model import ASKING, QUANTITY, Step
from tutor.course.problems import Checker
from tutor.course.quantities import pick
from tutor.errors import InputError

# In lesson text: {{ and }} are literal braces, {name}, {name[1][2]}, {name:.6} (significant digits) or
# {name:.3f} (decimals) a number of the lesson's network (or of the predict step's computation).
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")
PLACEHOLDER_BODY = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)((?:\s*\[\s*\d+\s*\])*)\s*(?::\.(\d{1,2})(f?))?\s*$")
PLACEHOLDER_DIGITS = 4
PLACEHOLDER_HELP = ("write {name} (e.g. {a_l2}), {name[row][column]} (e.g. {dc_dw_l2[1][2]}), {name:.6} for 6 "
                    "significant digits or {name:.3f} for 3 decimals; for a literal brace write {{ or }}")


def format_value(value: float, digits: int = PLACEHOLDER_DIGITS, fixed: bool = False) -> str:
    """A number as a placeholder shows it: `digits` significant digits (or decimals when `fixed`), no trailing zeros."""
    text = f"{value:.{digits}f}" if fixed else f"{value:.{digits}g}"
    return "0" if text in ("-0", "+0") else text


def placeholders(text: str) -> list[tuple[str, str | None]]:
    """The placeholders in `text` as (raw, body): body is None for a lone brace, '{{'/'}}' are left out."""
    return [(m.group(0), m.group(1)) for m in PLACEHOLDER.finditer(text) if m.group(0) not in ("{{", "}}")]


def _step_limits(parsed: list[tuple[int, Step]], trace) -> dict[int, tuple[int, int, Step]]:
    """For each step: (trace index, step number, predict or code step) of the first quantity the learner still has
    to predict (or write the code of) at or after it. Placeholders there may show only quantities computed before it (or given: the
    input, the target, the parameters and the step size)."""
    limits, upcoming = {}, None
    for n, step in reversed(parsed):
        if trace is not None and step.kind in ASKING and step.name and step.name in trace.names:
            upcoming = (trace.index(step.name), n, step)
        if upcoming is not None:
            limits[n] = upcoming
    return limits


def fill_placeholders(ck: Checker, parsed: list[tuple[int, Step]], trace, values: dict | None) -> None:
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


def _placeholder_line(ck: Checker, raw: str, key: str, n: int) -> int | None:
    """The line of the step's `key` field where `raw` is written (or the field's line)."""
    start = ck.lines.key(key, n) or ck.lines.step(n) or 1
    end = ck.lines.step_lines[n + 1] - 1 if n + 1 < len(ck.lines.step_lines) else len(ck.lines.lines)
    for i in range(start - 1, end):
        if raw in ck.lines.lines[i]:
            return i + 1
    return start


def _fill(ck: Checker, text: str, key: str, n: int, step: Step, values: dict | None, trace, limit) -> str:
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
            asked, m_ = trace.names[limit[0]], limit[1]
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
