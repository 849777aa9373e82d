"""The judge: the learner's file run in the child on the article's networks and random ones, their quantities
compared with the engine's level by level (helpers, forward pass, backward pass, update, cost after), in the
trace's order within each, stopping at the first that differs; or why the file could not be run."""

from __future__ import annotations

import os
import secrets

import numpy as np

from tutor.check import diagnose
from tutor.check.explain import SIGMOID_PRIME, failure_message, formula_with, todo_message
from tutor.check.quantities import HELPERS, helper_calls, level_names
from tutor.check.recorder import NIELSEN_BATCH
from tutor.check.report import LEVELS, Difference, Report
from tutor.check.runner import TIME_LIMIT, ChildRun, run_child
from tutor.engine.network import Network, sigmoid
from tutor.engine.spec import NetworkSpec, load_spec
from tutor.sandbox import _pack, _unpack

RANDOM_SHAPES = ((3, 4, 2), (2, 3, 3, 2))


def networks(seed: int) -> list[tuple[str, NetworkSpec]]:
    """The article's two examples, then random networks of other shapes from `seed`."""
    out = [("1-1-1 (the article's)", load_spec("one-one-one")), ("2-3-2 (the article's)", load_spec("two-three-two"))]
    rng = np.random.default_rng(seed)
    for i, sizes in enumerate(RANDOM_SHAPES):
        net = Network(sizes, seed=seed * len(RANDOM_SHAPES) + i)
        x, y = rng.uniform(0.05, 0.95, (sizes[0], 1)), rng.uniform(0.05, 0.95, (sizes[-1], 1))
        label = f"{'-'.join(map(str, sizes))} (random, seed {seed})"
        out.append((label, NetworkSpec(net, x, y, float(np.round(rng.uniform(0.2, 1.0), 2)), label)))
    return out


def expected_values(trace) -> dict:
    """The engine's quantities by trace name, and σ'(z_l) as sigmoid_prime_l for the helper check."""
    values = {e.name: e.value for e in trace.entries}
    for l in range(1, len(trace.sizes)):
        z = np.asarray(values[f"z_l{l}"])
        values[f"sigmoid_prime_l{l}"] = sigmoid(z) * (1 - sigmoid(z))
    return values


def _packed(value):
    array = np.asarray(value, dtype=float)
    return _pack(array) if array.ndim else float(array)


def request(specs: list[tuple[str, NetworkSpec]], expected: list[dict]) -> dict:
    nets = []
    for (label, spec), values in zip(specs, expected):
        nets.append({"label": label, "layers": spec.network.sizes, "step_size": spec.step_size,
                     "w": [_packed(w) for w in spec.network.weights], "b": [_packed(b) for b in spec.network.biases],
                     "x": _packed(spec.input), "y": _packed(spec.target),
                     "values": {k: _packed(v) for k, v in values.items()}})
    return {"mode": "check", "networks": nets}


def _theirs(packed: dict) -> tuple[dict, dict]:
    """The learner's values by name, and what was not numbers (name: description)."""
    values, bad = {}, {}
    for name, v in packed.items():
        if isinstance(v, dict) and "bad" in v:
            bad[name] = v["bad"]
        else:
            values[name] = _unpack(v)
    return values, bad


def check_file(path, *, seed: int | None = None, upto: str | None = None, time_limit: float = TIME_LIMIT) -> Report:
    """Check the learner's file: see the module docstring. `upto`: the last level to check (one of LEVELS);
    `time_limit`: seconds for the whole run of the learner's code."""
    path = str(path)
    report = Report(path)
    problem = not_runnable(path)
    if problem:
        report.error = problem
        return report
    seed = secrets.randbelow(10_000) if seed is None else seed
    specs = networks(seed)
    report.networks = [label for label, _ in specs]
    traces = [spec.trace() for _, spec in specs]
    expected = [expected_values(trace) for trace in traces]
    run = run_child(path, os.path.basename(path), request(specs, expected), time_limit=time_limit)
    return Judge(report, specs, traces, expected, run, upto).verdict()


def not_runnable(path: str) -> str | None:
    if not os.path.lexists(path):
        return f"{path}: no such file (`tutor check --new {path}` writes a starter there)"
    if os.path.isdir(path):
        return f"{path}: is a directory; give the .py file of your network"
    if not path.endswith(".py"):
        return f"{path}: not a Python file (.py); give the file of your network"
    if not os.access(path, os.R_OK):
        return f"{path}: cannot be read (permission denied)"
    return None


class Judge:
    """The child's replies turned into a Report."""

    def __init__(self, report: Report, specs, traces, expected, run: ChildRun, upto: str | None):
        self.report, self.specs, self.traces, self.expected, self.run = report, specs, traces, expected, run
        self.levels = LEVELS if upto is None else LEVELS[: LEVELS.index(upto) + 1]
        self.shape = next((m["shape"] for m in run.messages if "shape" in m), None)
        self.fatal = next((m["fatal"] for m in run.messages if "fatal" in m), None)
        self.helpers = {m["network"]: m["helpers"] for m in run.messages if "helpers" in m}
        self.runs = {m["network"]: m["run"] for m in run.messages if "run" in m}

    def verdict(self) -> Report:
        if not self._helpers():
            return self.report
        for level in self.levels[1:]:
            if not self._level(level):
                return self.report
        if not self.run.done or self.fatal:  # it ran over or ended after the levels asked for: still a failure
            self._stopped()
            return self.report
        self._seen()
        return self.report

    # -- helpers on their own ----------------------------------------------------------------------------------

    def _helpers(self) -> bool:
        if "helpers" not in self.levels:
            return True
        calls = [(i, entry) for i in range(len(self.specs)) for entry in self.helpers.get(i, [])]
        written = [h for h in HELPERS if any(e["helper"] in (h, "z" if h == "raw_activation" else h)
                                             for _, e in calls)]
        for helper in HELPERS:
            for i, entry in calls:
                if entry["helper"] != helper and not (helper == "raw_activation" and entry["helper"] == "z"):
                    continue
                if not self._one(i, entry["name"], entry.get("value"), entry.get("failure"), "helpers",
                                 entry["call"]):
                    return False
        if len(self.helpers) < len(self.specs):  # the child stopped before it tried them all
            self._stopped()
            return False
        names = ", ".join(written) if written else "none in your file"
        self.report.passed.append(f"helpers: {names} agree on {len(self.specs)} networks" if written else
                                  "helpers: none in your file (checked through the Network)")
        return True

    # -- the network, level by level ---------------------------------------------------------------------------

    def _level(self, level: str) -> bool:
        phases = {"forward pass": ("setup", "forward"), "backward pass": ("backward",), "update": ("update",),
                  "cost after": ("after",)}[level]
        for i, (label, spec) in enumerate(self.specs):
            if i not in self.runs:
                self._stopped()
                return False
            run = self.runs[i]
            values = run["values"]
            names = level_names(len(spec.network.sizes) - 1)[level]
            for name in names:
                if name in values and not self._one(i, name, values[name], None, level, name):
                    return False
            failure = run.get("failure")
            if failure and run.get("phase") in phases:
                failing = next((n for n in names if n not in values), names[-1])
                self._one(i, failing, None, failure, level, failing)
                return False
        self.report.passed.append(_passed_line(level, len(self.specs)))
        return True

    def _one(self, i: int, name: str, packed, failure: dict | None, level: str, quantity: str) -> bool:
        """Compare one quantity; False (and the report says why) if it differs or was not computed."""
        label, spec = self.specs[i]
        expected = self.expected[i]
        theirs, _ = _theirs(self.runs.get(i, {}).get("values", {}))
        batch = NIELSEN_BATCH if self.shape == "nielsen" and level == "update" else 1
        if failure is not None:
            if failure["kind"] == "error":
                diagnosis = diagnose.diagnose_error(name, failure["line"], expected)
                if diagnosis is not None:
                    self.report.difference = Difference(
                        level, quantity, label, spec, None, None, expected[name],
                        self._formula(i, name, quantity, level, theirs), diagnosis, theirs, name,
                        f"your code raised {failure['line']}")
                    return False
            if failure["kind"] == "todo":
                self.report.todo = failure.get("function")
                self.report.error = todo_message(failure, self.report.passed, self.report.path)
            else:
                self.report.error = failure_message(failure)
            return False
        if isinstance(packed, dict) and "bad" in packed:
            self.report.difference = Difference(level, quantity, label, spec, None, None, expected[name],
                                                self._formula(i, name, quantity, level, theirs), None,
                                                theirs, name, f"yours is {packed['bad']}")
            return False
        yours = _unpack(packed)
        if diagnose.agrees(yours, expected[name]):
            return True
        found = diagnose.first_difference(yours, expected[name])
        index = found[0] if found else None
        self.report.difference = Difference(
            level, quantity, label, spec, index, yours, expected[name],
            self._formula(i, name, quantity, level, theirs),
            diagnose.diagnose(name, yours, expected, batch_size=batch), theirs, name)
        return False

    def _formula(self, i: int, name: str, quantity: str, level: str, theirs: dict) -> str:
        if name.startswith("sigmoid_prime_l"):
            l = name.rsplit("_l", 1)[1]
            text, operands = SIGMOID_PRIME.format(l=l), (f"z_l{l}",)
        else:
            entry = self.traces[i][name]
            text, operands = entry.formula, entry.operands
        if level == "helpers":
            return formula_with(f"{text}   (your {quantity})", quantity, {o: self.expected[i][o] for o in operands},
                                {o: "the engine's, given to yours" for o in operands})
        given = {o: theirs[o] if o in theirs else self.expected[i][o] for o in operands}
        whose = {o: "yours" if o in theirs else
                 ("given" if self.traces[i][o].given else "the engine's: yours was not seen") for o in operands}
        return formula_with(text, quantity, given, whose)

    # -- how it ended ------------------------------------------------------------------------------------------

    def _stopped(self) -> None:
        run = self.run
        if self.fatal:
            self.report.error = failure_message(self.fatal)
            if self.fatal.get("kind") == "todo":
                self.report.todo = self.fatal.get("function")
                self.report.error = todo_message(self.fatal, self.report.passed, self.report.path)
            return
        calling = run.calling or "starting Python"
        at = f" (at {run.where[0]})" if run.where else ""
        if run.timed_out:
            self.report.error = (f"stopped after {run.time_limit:g} s, the time limit: your code was still running "
                                 f"{calling}{at}. An endless loop?")
        elif run.status:
            self.report.error = f"Python ended (exit status {run.status}) while running {calling}: " \
                                "os._exit() in your file? A file checked by tutor check must not end Python"
        else:
            self.report.error = f"Python ended while running {calling}, without a word (os._exit(0) in your file?)"

    def _seen(self) -> None:
        i = max(range(len(self.specs)), key=lambda k: len(self.specs[k][1].network.sizes))
        names = [n for level in self.levels[1:] for n in level_names(len(self.specs[i][1].network.sizes) - 1)[level]]
        seen = set(self.runs[i]["seen"])
        self.report.seen = [n for n in names if n in seen]
        self.report.effect_only = [n for n in names if n not in seen]


def _passed_line(level: str, count: int) -> str:
    what = {"forward pass": "z and a of every layer, and the cost", "backward pass": "∂C/∂a, ∂C/∂b, ∂C/∂w layer by "
            "layer", "update": "the updated b and w of every layer", "cost after": "the forward pass with the "
            "updated weights, and the cost after"}[level]
    return f"{level}: {what} agree on {count} networks"
