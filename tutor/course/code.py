"""A code exercise graded: the learner's Python for a quantity, run in the sandbox (by the screen, in a worker), is
right when its VALUE agrees with the engine's, so `dc_db_l2 @ a_l1.T`, `np.dot(dc_db_l2, a_l1.T)` and
`dc_dw(a_l1, dc_db_l2)` all pass; a wrong value is diagnosed (tutor.check.diagnose). No UI here."""

from __future__ import annotations

import ast

import numpy as np

from tutor.check.diagnose import agrees, diagnose, diagnose_error
from tutor.course.answers import Attempts, Feedback
from tutor.course.grading import classic_wrong_answers
from tutor.course.model import Step
from tutor.sandbox import Outcome, namespace_of

MAX_CODE = 2000  # characters: an answer is a line of the article, not a program
HELPERS = "np and the article's helpers"


def quantities(step: Step, trace) -> dict:
    """What the learner's code may use: the quantities computed before the one asked (so it is not there to copy)."""
    return namespace_of(trace, trace.index(step.name) - 1)


def shape_text(value) -> str:
    array = np.asarray(value)
    return "a number" if array.size == 1 else "x".join(map(str, array.shape))


def sentence(text: str) -> str:
    """`text` as a sentence: a capital first, a full stop last."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def classic_wrongs(step: Step, trace) -> list:
    """The classic wrong answers (tutor.course.grading) of a quantity that is one number, as a predict step asking
    for it has them; none for a matrix (tutor.check.diagnose names its mistakes)."""
    expected = np.asarray(trace[step.name].value, dtype=float)
    if expected.size != 1:
        return []
    return classic_wrong_answers(Step("predict", quantity=step.name, answer=float(expected.reshape(-1)[0])), trace)


def plain(value) -> float | np.ndarray | None:
    """A value as the engine keeps it: a float, or an array of floats; None for what is not numbers."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return float(array.reshape(-1)[0]) if array.ndim == 0 else array


class CodeAttempts(Attempts):
    """A code step's tries. The screen asks `prepare(text)` what to run (or why not to), runs it in a Sandbox whose
    namespace is `quantities`, and hands the Outcome to `grade`."""

    def __init__(self, step: Step, saved: dict | None, trace) -> None:
        super().__init__(step, saved)
        self.trace = trace
        self.quantities = quantities(step, trace)
        self.values = {e.name: e.value for e in trace}
        self.classic = classic_wrongs(step, trace)

    @property
    def names(self) -> list[str]:
        return list(self.quantities)

    def you_have(self) -> str:
        return f"You have: {', '.join(self.names)}, {HELPERS}."

    def attempt(self, text: str) -> Feedback:
        prepared = self.prepare(text)
        return prepared if isinstance(prepared, Feedback) else Feedback(
            "Your code runs in the sandbox: grade(text, outcome).", counted=False)

    def prepare(self, text: str) -> str | Feedback:
        """The code to run for `text` (an assignment to the asked quantity, as the article writes it, runs its right-hand
        side), or the Feedback (not counted) saying why nothing is run."""
        if self.solved:
            return Feedback("This one is done: press n for the next step.", counted=False)
        name = self.step.name
        if not text.strip():
            return Feedback(f"✗ Type the Python that computes {name}, then Enter (F2 for a hint).", counted=False)
        if len(text) > MAX_CODE:
            return Feedback(f"✗ That is {len(text):,} characters: one line of the article's kind is enough.",
                            counted=False)
        try:
            tree = ast.parse(text, "<your code>")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return text  # the sandbox says what is wrong with it, in its one line
        last = tree.body[-1] if tree.body else None
        if isinstance(last, ast.Assign) and len(last.targets) == 1 and isinstance(last.targets[0], ast.Name) \
                and last.targets[0].id == name:
            tree.body[-1] = ast.Expr(last.value)
            text = ast.unparse(tree)
        constants = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)]
        numbers = all(isinstance(c, (int, float, complex)) and not isinstance(c, bool) for c in constants)
        if len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr) and constants and numbers and not any(
                isinstance(node, (ast.Name, ast.Attribute)) for node in ast.walk(tree)):
            return Feedback(f"✗ Write the code that computes {name} from the quantities you have, not a number "
                            "typed in.", counted=False)
        return text

    def grade(self, text: str, outcome: Outcome) -> Feedback:
        """Grade what `text` gave: an error or the time limit is said and costs no try; a value is right when it agrees
        with the engine's, else it is diagnosed."""
        if self.solved:
            return Feedback("This one is done: press n for the next step.", counted=False)
        name = self.step.name
        if outcome.stopped:
            what = (outcome.error or "stopped").split(" (the quantities")[0]
            return Feedback(f"✗ {what[0].upper()}{what[1:]}. That does not count as a try.", counted=False)
        if outcome.error and outcome.error.startswith("not run: "):  # served: outside the classroom's whitelist
            return Feedback(f"✗ Not run: {outcome.error.removeprefix('not run: ')}. That does not count as a try.",
                            counted=False)
        if outcome.error:
            said = f"✗ Your code raised {outcome.error}"
            if f"name '{name}' is not defined" in outcome.error:
                said += f" ({name} is what you are computing: it is not there yet)"
            found = diagnose_error(name, outcome.error, self.values)
            said += f". {sentence(found.message)}" if found is not None else "."
            return Feedback(f"{said} That does not count as a try.", counted=False)
        if outcome.value is None and not outcome.output:
            return Feedback(f"✗ That gives no value: end with an expression whose value is {name}.", counted=False)
        return self.counted(text, *self.verdict(outcome))

    def verdict(self, outcome: Outcome) -> tuple[bool, str]:
        """(right, what to say) of a value the learner's code gave."""
        name, expected = self.step.name, self.values[self.step.name]
        yours = None if outcome.value is None else plain(outcome.value)
        if yours is None:
            shown = outcome.output.split("\n")[0]
            shown = shown if len(shown) <= 40 else shown[:39] + "…"
            return False, f"That is {shown}, not a number: {name} is {shape_text(expected)}."
        if not np.all(np.isfinite(yours)):
            return False, "Your value has NaN or infinity in it."
        if agrees(yours, expected):
            return True, f"Your code gives the engine's {name}."
        found = diagnose(name, yours, self.values)
        if found is not None:
            return False, sentence(f"Not yet: {found.message}")
        classic = next((w.what for w in self.classic if agrees(yours, w.value)), None)
        if classic is not None:
            return False, f"Not yet: that is {classic}."
        if np.asarray(yours).size != np.asarray(expected).size or (
                np.asarray(yours).size > 1 and np.asarray(yours).shape != np.asarray(expected).shape):
            return False, f"Yours is {shape_text(yours)}, {name} is {shape_text(expected)}."
        return False, f"Your value is not {name}'s."
