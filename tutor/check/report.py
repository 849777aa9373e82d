"""What a check found: the levels that agree, what could be seen, and the first quantity that differs or why the
file could not be run. Data only: tutor.check.compare fills it, the command line and the app show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the child process imports this package too: it needs no engine
    import numpy as np

    from tutor.engine.spec import NetworkSpec

LEVELS = ("helpers", "forward pass", "backward pass", "update", "cost after")


@dataclass
class Difference:
    """The first quantity of the learner's that differs from the engine's."""

    level: str                # one of LEVELS
    quantity: str             # trace name ("dc_dw_l2") or a helper call ("dc_db(z_l2, dc_da_l2)")
    network: str              # "2-3-2 (the article's)", "3-4-2 (random, seed 8123)"
    spec: NetworkSpec         # the network and example it happened on (the engine's trace: spec.trace())
    index: tuple[int, ...] | None
    yours: float | np.ndarray | None
    expected: float | np.ndarray
    formula: str              # the formula with the learner's own operands filled in
    diagnosis: object | None  # tutor.check.diagnose.Diagnosis
    theirs: dict[str, float | np.ndarray] = field(default_factory=dict)
    name: str = ""            # the trace name of the quantity (the same as `quantity` unless that is a helper call)
    note: str = ""            # what yours was when it was not a number, or the error your code raised computing it


@dataclass
class Report:
    """The outcome of one check of one file."""

    path: str
    passed: list[str] = field(default_factory=list)       # one line per level passed
    seen: list[str] = field(default_factory=list)         # quantities the check could see
    effect_only: list[str] = field(default_factory=list)  # quantities only checked through their effect
    difference: Difference | None = None
    error: str | None = None  # why the file could not be run (their traceback trimmed to their file)
    networks: list[str] = field(default_factory=list)     # the networks it ran on, e.g. "3-4-2 (random, seed 8123)"
    todo: str | None = None   # "feed_forward": the first function the starter left for the learner, still unwritten

    @property
    def exit_status(self) -> int:
        """0 all agree, 1 a quantity differs, 2 the file cannot be run (an unwritten body counts here: the file
        cannot be run through, as with a missing function)."""
        if self.error is not None:
            return 2
        return 1 if self.difference is not None else 0
