"""Words for what a check found: values shown short, the formula with the learner's operands filled in, and the
messages for code that could not be run (an unwritten body, an exception, the limits, an exit)."""

from __future__ import annotations

import numpy as np

from tutor.sandbox import MEMORY_LIMIT

SIGMOID_PRIME = "σ'(z_l{l}) = σ(z_l{l}) (1 − σ(z_l{l}))"

# what each function of the starter must compute and return (said when it is missing or not written yet)
MUST = {
    "sigmoid": "σ(z) = 1 / (1 + e^-z) element by element, the shape of z",
    "sigmoid_prime": "σ'(z) = σ(z)(1 − σ(z)) element by element, the shape of z",
    "raw_activation": "z = w · a + b, a J x 1 column",
    "z": "z = w · a + b, a J x 1 column",
    "cost": "C = ½ Σ (a − y)², one number",
    "dc_db": "∂C/∂b = σ'(z) ⊙ ∂C/∂a, J x 1",
    "dc_dw": "∂C/∂w = ∂C/∂b · a_prevᵀ, J x K like w",
    "dc_da_prev": "∂C/∂a_prev = wᵀ · ∂C/∂b, K x 1",
    "feed_forward": "self.z and self.a, one J x 1 column per layer (index 0: a placeholder and the inputs)",
    "propagate_backward": "one step of gradient descent from the output layer down, updating self.b and self.w",
    "__init__": "self.b and self.w from b= and w= (index 0 a placeholder)",
}


def shown(value, digits: int = 6) -> str:
    """A number or a small matrix on one line; a large one as its shape and first numbers."""
    if value is None:
        return "—"
    array = np.asarray(value, dtype=float)
    if array.size == 1:
        return f"{float(array.reshape(-1)[0]):.{digits}g}"
    shape = "x".join(map(str, array.shape))
    if array.size > 12:
        first = ", ".join(f"{v:.4g}" for v in array.reshape(-1)[:4])
        return f"{shape} [{first}, …]"
    rows = array.reshape(array.shape[0], -1) if array.ndim else array.reshape(1, 1)
    return "[" + ", ".join("[" + ", ".join(f"{v:.4g}" for v in row) + "]" for row in rows) + "]" + \
        (f" ({shape})" if array.ndim == 2 else "")


def formula_with(entry, quantity: str, operands: dict, given_by: dict) -> str:
    """The quantity's formula, then each operand's value and whose it is ("yours" or "the engine's")."""
    lines = [entry]
    width = max((len(n) for n in operands), default=0)
    for name, value in operands.items():
        lines.append(f"    {name.ljust(width)} = {shown(value)}  ({given_by[name]})")
    return "\n".join(lines)


def unwritten(path: str) -> list[str]:
    """The functions of the learner's file whose body is still only `raise NotImplementedError(...)` (read with
    ast, never run), in the file's order."""
    import ast

    try:
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read())
    except (OSError, ValueError, SyntaxError, RecursionError):
        return []
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            if len(body) == 1 and isinstance(body[0], ast.Raise) and "NotImplementedError" in ast.dump(body[0]):
                out.append((node.lineno, node.name))
    return [name for _, name in sorted(out)]


def todo_message(failure: dict, passed: list[str], path: str = "") -> str:
    function = failure.get("function") or failure.get("what", "?")
    rest = [name for name in unwritten(path) if name != function] if path else []
    more = f" (and {', '.join(rest)})" if rest else ""
    must = MUST.get(function)
    so_far = f"; {', '.join(p.split(':')[0] for p in passed)} agree so far" if passed else ""
    said = f"It must compute {must}" if must else f"NotImplementedError in {failure.get('what', 'it')}"
    return f"not written yet: {function}{more}{so_far}. Next: {function}. {said}."


def failure_message(failure: dict) -> str:
    """Why the file could not be run, in the learner's terms, with their traceback when there is one."""
    kind, what, line = failure["kind"], failure.get("what", ""), failure.get("line", "")
    trace = failure.get("traceback")
    if kind == "syntax":
        return f"syntax error: {line}"
    if kind == "missing":
        return f"missing: {line}. Your file needs {what}"
    if kind == "setup":
        return line
    if kind == "memory":
        text = f"over the memory limit ({MEMORY_LIMIT >> 30} GiB) in {what}: {line}"
    elif kind == "exit":
        text = f"your file called sys.exit() ({line}) in {what}: a file tutor check runs must not end Python"
    else:
        text = f"your code raised {line} in {what}"
    return f"{text}\n{trace}" if trace and trace.count("\n") >= 1 else text
