"""What a lesson is once read: its steps (explain, step, predict, choice, code, experiment, train, check) and its
problems."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1
LESSON_FIELDS = {"format_version", "id", "title", "summary", "network", "steps"}
COMMON = {"kind", "title", "text", "id"}
STEPPER = {"start"}  # where the stepper stands when the step opens (a quantity of the lesson's network)
STEP_FIELDS = {
    "explain": COMMON | STEPPER | {"highlight", "view"},
    "step": COMMON | STEPPER | {"until"},
    "predict": COMMON | STEPPER | {"quantity", "label", "compute", "params", "tolerance", "figures", "hint",
                                  "tries", "explanation"},
    "choice": COMMON | STEPPER | {"options", "hint", "tries"},
    "code": COMMON | STEPPER | {"quantity", "label", "hint", "tries", "explanation", "solution"},
    "experiment": COMMON | {"run", "params"},
    "gradcheck": COMMON | {"quantity", "epsilon"},
    "train": COMMON | {"layers", "epochs", "batch_size", "step_size", "limit", "seed", "goal"},
    "check": COMMON | {"level"},  # tutor check on the learner's own file, passed when `level` and those before agree
}
KINDS = tuple(STEP_FIELDS)
EXERCISES = ("predict", "choice", "code")
ASKING = ("predict", "code")  # exercises about a quantity of the trace: the stepper stops before it
OPTION_FIELDS = {"text", "correct", "why"}
DEFAULT_TRIES = 3
STEP_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
# A quantity a predict step names: a trace entry or a computation's result, with an optional index.
QUANTITY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)$")


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
    key: str = ""                # what progress is saved under: the id, or derived from the step (see keys.step_key)
    start: str = ""              # the quantity the stepper shows when this step opens (it starts the story there)
    highlight: str = ""          # explain: a trace quantity to show
    view: str = ""               # explain: a screen the learner can open (e.g. "mnist-browser")
    until: str = ""              # step: the quantity to reach
    quantity: str = ""           # predict: "a_l1", "dc_dw_l2[1][2]" (or a computation's result)
    label: str = ""              # predict: what the quantity is, in words ("x after one step"), for the answer box
    compute: str = ""            # predict: a named computation instead of the lesson's trace
    params: dict = field(default_factory=dict)
    tolerance: float | None = None
    figures: int | None = None   # predict: the significant figures it needs (grading.DEFAULT_FIGURES if None)
    hint: str = ""
    tries: int = DEFAULT_TRIES
    explanation: str = ""
    solution: str = ""           # code: the article's code for the quantity ("dc_dw(a_l1, dc_db_l2)")
    options: list[Option] = field(default_factory=list)
    run: str = ""                # experiment: a named experiment
    epsilon: float = 1e-5        # gradcheck: the nudge (quantity: the weight or bias nudged, e.g. "w_l2[1][2]")
    train: dict = field(default_factory=dict)  # train: layers, epochs, batch_size, step_size, limit, seed, goal
    level: str = ""              # check: the last level of tutor check that must agree ("forward pass")
    answer: float | None = None  # predict: the engine's answer, filled in when the lesson is loaded
    expected: Any = None         # code: the engine's value of the quantity (a float or an array)
    results: dict | None = field(default=None, repr=False)  # predict with compute: the computation's results

    @property
    def is_exercise(self) -> bool:
        return self.kind in EXERCISES

    @property
    def shows_itself(self) -> bool:
        """Done by being shown: reading a text, watching a gradient check."""
        return self.kind in ("explain", "gradcheck")

    @property
    def name(self) -> str:
        """The trace entry a predict or code step is about (quantity without its index), or ''."""
        m = QUANTITY.match(self.quantity) if self.kind in ASKING and not self.compute else None
        return m.group(1) if m else ""

    def answer_text(self) -> str:
        """The answer: the article's line for a code step; a quantity of the network exactly as the article's REPL prints it (exactness is the point
        there), a computation's result as a person writes it (3.536, not 3.5360000000000005)."""
        if self.kind == "choice":
            i = next(i for i, o in enumerate(self.options) if o.correct)
            return f"{i + 1}) {self.options[i].text}"
        if self.kind == "code":
            return f"{self.name} = {self.solution}"
        a = self.answer
        if float(a).is_integer() and abs(a) < 1e15:
            return f"{int(a):,}" if self.compute else str(int(a))
        return f"{a:.10g}" if self.compute else repr(float(a))


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

    @property
    def uses_stepper(self) -> bool:
        """Whether a step shows, asks for or starts at a quantity of the network (else no stepper is shown)."""
        return self.trace is not None and any(s.start or s.highlight or s.until or s.name for s in self.steps)


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"
