"""Python the learner types, run in a child process with a time and a memory limit: the REPL over a trace's
quantities (issue 12) and what checks a learner's own code build on this. The parent never waits longer than
the time limit: past it the child is killed and a new one takes its place, with the namespace it had (the
starting quantities and every statement that completed since, replayed).

The child's namespace holds the quantities given (a_l0, w_l1, …, as a trace names them), `np`, and the article's
helpers with the article's signatures (sigmoid, sigmoid_prime, z, dc_db(z, dc_da), dc_dw, dc_da_prev, cost), so
each line of `tutor trace`'s transcript typed here gives the tracer's number exactly. Values cross the pipe as
JSON, arrays as .npy bytes without pickle: nothing the learner's code returns is ever unpickled here.

`python -m tutor.sandbox MEMORY_BYTES` is the child."""

from __future__ import annotations

import ast
import base64
import io
import json
import os
import selectors
import subprocess
import sys
from dataclasses import dataclass, field

import numpy as np

from tutor.classroom import served

TIME_LIMIT = 2.0              # seconds a line may run
MEMORY_LIMIT = 1 << 30        # bytes of address space the child may have (numpy itself takes about 200 MB)
SHOWN_LINES, SHOWN_CHARS = 12, 1200  # output longer than this is summarised


@dataclass
class Outcome:
    """What one line did: `output` as the article's REPL prints it (the value of an expression, what was
    printed), `value` (a float or an array, for an expression that gave a number), or a one-line `error`."""

    output: str = ""
    value: float | np.ndarray | None = None
    error: str | None = None
    stopped: bool = False  # killed at the time limit (or the child died): the namespace was rebuilt


def summarise(text: str) -> str:
    """Output cut to what fits a panel, saying how much was left out."""
    lines = text.split("\n")
    cut = "\n".join(lines[:SHOWN_LINES])
    if len(cut) > SHOWN_CHARS:
        cut = cut[:SHOWN_CHARS]
    left = len(text) - len(cut)
    return cut if not left else f"{cut}\n… ({left:,} more characters, {len(lines) - cut.count(chr(10)) - 1:,} " \
                                f"more lines)"


def _pack(value) -> object:
    if isinstance(value, np.ndarray):
        buffer = io.BytesIO()
        np.save(buffer, value, allow_pickle=False)
        return {"array": base64.b64encode(buffer.getvalue()).decode("ascii")}
    return float(value)


def _unpack(value) -> float | np.ndarray:
    if isinstance(value, dict):
        return np.load(io.BytesIO(base64.b64decode(value["array"])), allow_pickle=False)
    return float(value)


def namespace_of(trace, upto: int | None = None) -> dict[str, float | np.ndarray]:
    """The quantities of `trace` through entry `upto` (all of them by default) as the transcript shows them: a
    number where it prints a number (the article's 1-1-1 session has floats), an array otherwise."""
    entries = trace.entries if upto is None else trace.entries[:upto + 1]
    return {e.name: e.scalar if e.is_scalar else np.asarray(e.value, dtype=float) for e in entries}


@dataclass
class Sandbox:
    """A REPL session in a child process. `run(line)` never takes much longer than `time_limit`."""

    quantities: dict[str, float | np.ndarray] = field(default_factory=dict)
    time_limit: float = TIME_LIMIT
    memory_limit: int = MEMORY_LIMIT
    history: list[str] = field(default_factory=list)  # statements that completed: replayed in a new child
    restricted: bool = field(default_factory=served)  # the classroom's whitelist (tutor.safe_code) applies
    _child: subprocess.Popen | None = None
    _ended: bool = False  # kill() was called: no new child

    def run(self, line: str) -> Outcome:
        if not line.strip():
            return Outcome()
        if self.restricted:
            from tutor.safe_code import Refused, check

            try:
                check(line, set(self.quantities) | self._assigned())
            except Refused as e:
                return Outcome(error=f"not run: {e}")
        child = self._ready()
        if child is None:
            return Outcome(error="could not start Python for your code (see the error log)", stopped=True)
        reply = self._ask(child, {"run": line}, self.time_limit)
        if reply is None:
            try:
                status = child.wait(0.2)  # it ended on its own (os._exit, a crash), or it is still running
            except subprocess.TimeoutExpired:
                status = None
            self.close()
            what = f"stopped after {self.time_limit:g} s: the time limit for one line" if status is None else \
                f"your code ended Python (exit status {status})"
            return Outcome(error=f"{what} (the quantities and your earlier lines are kept)", stopped=True)
        if reply.get("ok"):
            self.history.append(line)
        value = reply.get("value")
        return Outcome(summarise(reply.get("output", "")), None if value is None else _unpack(value),
                       reply.get("error"))

    def _assigned(self) -> set[str]:
        """The names the lines that ran assigned (each was checked before it ran)."""
        from tutor.safe_code import check

        names: set[str] = set()
        for past in self.history:
            names |= check(past, set(self.quantities) | names)
        return names

    def reset(self, quantities: dict[str, float | np.ndarray]) -> bool:
        """A fresh namespace holding `quantities` (and np and the helpers), in the child already running if there is
        one (kept warm: a lesson's code steps share it), else in a new one; False if Python could not be started."""
        self.quantities, self.history = dict(quantities), []
        child = self._child
        if child is not None and child.poll() is None:
            if self._ask(child, self._start(), 30.0) is not None:
                return True
            self.close()
        return self._ready() is not None

    def _start(self) -> dict:
        return {"start": {name: _pack(np.asarray(v) if not np.isscalar(v) else v)
                          for name, v in self.quantities.items()}, "replay": self.history}

    def kill(self) -> None:
        """End the child now, from any thread, and start no other (a line it is running answers as stopped): the
        owner is closing while a worker still uses the sandbox, and that worker's close() tidies up."""
        self._ended = True
        child = self._child
        if child is not None:
            try:
                child.kill()
            except OSError:
                pass

    def close(self) -> None:
        if self._child is not None:
            self._child.kill()
            self._child.wait()
            for pipe in (self._child.stdin, self._child.stdout):
                pipe.close()
            self._child = None

    def __del__(self) -> None:  # pragma: no cover - a safety net; callers close()
        try:
            self.close()
        except Exception:
            pass

    # -- the child -------------------------------------------------------------------------------------------

    def _ready(self) -> subprocess.Popen | None:
        if self._child is not None and self._child.poll() is None:
            return self._child
        self.close()
        if self._ended:
            return None
        command = [sys.executable, "-m", "tutor.sandbox", str(self.memory_limit)]
        child = subprocess.Popen(command + (["--classroom"] if self.restricted else []),
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 env=os.environ | {"PYTHONDONTWRITEBYTECODE": "1"}, cwd=os.path.expanduser("~"))
        self._child = child
        if self._ask(child, self._start(), 30.0) is None:  # numpy's import, then the replay: each line ran in time before
            self.close()
            self.history.clear()
            return None
        return child

    @staticmethod
    def _ask(child: subprocess.Popen, request: dict, seconds: float) -> dict | None:
        """Send one request, wait at most `seconds` for its one-line reply; None if none came."""
        try:  # ValueError: the pipes were closed meanwhile (the screen closed the sandbox while a line ran)
            child.stdin.write(json.dumps(request).encode() + b"\n")
            child.stdin.flush()
            with selectors.DefaultSelector() as selector:
                selector.register(child.stdout, selectors.EVENT_READ)
                if not selector.select(seconds):
                    return None
            line = child.stdout.readline()
            return json.loads(line) if line else None
        except (OSError, ValueError):
            return None


# -- in the child ----------------------------------------------------------------------------------------------

def _article_namespace() -> dict:
    """np and the article's helpers, with its signatures: the engine's sigmoid and z; dc_db takes z, as the
    transcript calls it (the engine's takes a); dc_dw and dc_da_prev transpose floats too (1-1-1 has floats)."""
    from tutor.engine.network import cross_entropy, sigmoid, z

    def sigmoid_prime(z):
        return sigmoid(z) * (1 - sigmoid(z))

    def dc_db(z, dc_da):
        return sigmoid_prime(z) * dc_da

    def dc_dw(a_prev, dc_db):
        return np.dot(dc_db, np.transpose(a_prev))

    def dc_da_prev(w, dc_db):
        return np.dot(np.transpose(w), dc_db)

    def cost(a, y):
        return 0.5 * float(np.sum((a - y) ** 2))

    return {"np": np, "sigmoid": sigmoid, "sigmoid_prime": sigmoid_prime, "z": z, "dc_db": dc_db, "dc_dw": dc_dw,
            "dc_da_prev": dc_da_prev, "cost": cost, "cross_entropy": cross_entropy}


def _shown(value) -> str:
    """As the article's REPL shows a value: a numpy float as a plain float (numpy 2 says np.float64(…))."""
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value)


def _one_line(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}".split("\n")[0]
    return text if len(text) <= 300 else text[:299] + "…"


def _execute(line: str, namespace: dict, restricted: bool = False) -> dict:
    import contextlib

    printed = io.StringIO()
    reply: dict = {"ok": False}
    if restricted:  # checked again here: the parent's check is the message, this one the guarantee
        from tutor.safe_code import Refused, check

        try:
            check(line, set(namespace))
        except Refused as e:
            return reply | {"error": f"not run: {e}", "output": ""}
    try:
        tree = ast.parse(line, "<your code>")
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        with contextlib.redirect_stdout(printed), np.errstate(all="ignore"):
            exec(compile(tree, "<your code>", "exec"), namespace)
            # the value of a last expression is shown, as Python's REPL does (`print(x); x * 2` shows both)
            result = None if last is None else eval(compile(ast.Expression(last.value), "<your code>", "eval"),
                                                     namespace)
        reply["ok"] = True
        if result is not None:
            namespace["_"] = result
            printed.write(_shown(result))
            if isinstance(result, (int, float, np.number, np.ndarray)) and not isinstance(result, bool):
                array = np.asarray(result, dtype=float) if not isinstance(result, np.ndarray) else result
                if array.dtype.kind in "iuf" and array.size <= 1_000_000:
                    reply["value"] = _pack(array.astype(float) if array.ndim else float(array))
    except BaseException as error:  # the learner's code: anything it raises is said in one line
        if isinstance(error, (SystemExit, KeyboardInterrupt)):
            error = RuntimeError(f"{type(error).__name__} is not allowed here")
        reply["error"] = _one_line(error)
    reply["output"] = printed.getvalue().rstrip("\n")
    return reply


def main(memory: int, restricted: bool = False) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    out = sys.stdout.buffer
    sys.stdout = io.StringIO()  # nothing but replies on the pipe
    namespace: dict = {}
    for raw in sys.stdin.buffer:
        request = json.loads(raw)
        if "start" in request:
            namespace = _article_namespace()
            namespace.update({name: _unpack(v) for name, v in request["start"].items()})
            for line in request.get("replay", []):
                _execute(line, namespace, restricted)
            reply = {"ok": True}
        else:
            reply = _execute(request["run"], namespace, restricted)
        out.write(json.dumps(reply).encode() + b"\n")
        out.flush()


if __name__ == "__main__":
    from tutor.classroom import served as _served

    main(int(sys.argv[1]), "--classroom" in sys.argv[2:] or _served())
