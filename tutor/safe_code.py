"""What a learner may type when the tutor is served to a classroom (`tutor serve`): a whitelist checked on the AST
before a line runs: the namespace's names, numbers, arithmetic and comparisons, subscripts, `.T` and `.shape`, calls
of the article's helpers and of a few `np.` functions, and `name = expression`; nothing else (no other attribute, no
dunder, no import, no other statement, no lambda or comprehension, no text). No UI here.

Served, a student's browser reaches the teacher's machine: the sandbox's time and memory limits stop a loop, not
`__import__('os').system(...)`. Checked on the syntax tree, no such line is ever run; the sandbox's child checks it
again (tutor.sandbox), so a line cannot reach Python by another road."""

from __future__ import annotations

import ast

HELPERS = frozenset({"sigmoid", "sigmoid_prime", "z", "dc_db", "dc_dw", "dc_da_prev", "cost", "cross_entropy"})
NUMPY = frozenset({"dot", "transpose", "sum", "exp", "log", "multiply", "outer", "add", "subtract", "divide",
                   "matmul", "sqrt", "square", "abs", "maximum", "minimum", "mean", "max", "min", "argmax", "array",
                   "zeros_like", "ones_like", "tanh", "reshape"})
BUILTINS = frozenset({"abs", "float", "round", "len", "min", "max", "sum"})
ATTRIBUTES = frozenset({"T", "shape"})
KEYWORDS = frozenset({"axis", "keepdims"})
MAX_LENGTH = 2000   # characters of one line
MAX_NODES = 400     # syntax-tree nodes of one line: an answer is a line of the article

_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.MatMult,
              ast.UAdd, ast.USub, ast.Not, ast.And, ast.Or,
              ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_PLAIN = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.Subscript, ast.Slice, ast.Tuple,
          ast.List, ast.Load, ast.Store, *_OPERATORS)
NOTE = ("in the classroom only the article's kind of line runs: quantities, numbers, + - * / ** @, "
        "[...], .T, .shape, the article's helpers and np.dot, np.transpose, np.sum, np.exp, …")


class Refused(ValueError):
    """A line the classroom does not run; the message is one line saying what and why."""


def check(line: str, names: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """Raise Refused unless `line` is allowed with `names` (the quantities and earlier assignments) defined. Returns
    the names the line assigns (to add to `names` once it has run)."""
    if len(line) > MAX_LENGTH:
        raise Refused(f"that line is {len(line):,} characters; {MAX_LENGTH:,} at most in the classroom")
    try:
        tree = ast.parse(line, "<your code>")
    except SyntaxError as e:
        raise Refused(f"SyntaxError: {e.msg}") from None
    except (ValueError, RecursionError, MemoryError):
        raise Refused("that line cannot be read as Python") from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise Refused(f"that line is too long to check ({len(nodes)} parts; {MAX_NODES} at most)")
    known = set(names) | HELPERS | BUILTINS | {"np"}
    assigned: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.Expr):
            _expression(statement.value, known | assigned)
        elif isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                and isinstance(statement.targets[0], ast.Name):
            _expression(statement.value, known | assigned)
            target = statement.targets[0].id
            if target.startswith("_") or target in HELPERS or target in BUILTINS or target == "np":
                raise Refused(f"'{target}' cannot be assigned here: " + NOTE)
            assigned.add(target)
        else:
            raise Refused(f"{_what(statement)} is not allowed: " + NOTE)
    return assigned


def _expression(node: ast.AST, known: set[str]) -> None:
    for child in ast.walk(node):
        if isinstance(child, _PLAIN) or isinstance(child, ast.keyword):
            if isinstance(child, ast.keyword) and child.arg not in KEYWORDS:
                raise Refused(f"the keyword {child.arg or '**'}= is not allowed: " + NOTE)
            continue
        if isinstance(child, ast.Constant):
            if isinstance(child.value, bool) or not isinstance(child.value, (int, float)):
                raise Refused(f"{_what(child)} is not allowed (numbers only): " + NOTE)
        elif isinstance(child, ast.Name):
            if child.id.startswith("_"):
                raise Refused(f"the name '{child.id}' is not allowed: " + NOTE)
            if child.id not in known:
                raise Refused(f"'{child.id}' is not a quantity or helper here")
        elif isinstance(child, ast.Attribute):
            if child.attr in ATTRIBUTES:
                continue
            if not (isinstance(child.value, ast.Name) and child.value.id == "np" and child.attr in NUMPY):
                raise Refused(f"the attribute .{child.attr} is not allowed: " + NOTE)
            if not _called(node, child):
                raise Refused(f"np.{child.attr} is only allowed as a call, e.g. np.{child.attr}(…)")
        elif isinstance(child, ast.Call):
            func = child.func
            if isinstance(func, ast.Name) and func.id in HELPERS | BUILTINS:
                pass
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "np" \
                    and func.attr in NUMPY:
                pass
            else:
                raise Refused(f"calling {_short(ast.unparse(func))} is not allowed: " + NOTE)
            if any(isinstance(a, ast.Starred) for a in child.args):
                raise Refused("*arguments are not allowed: " + NOTE)
        else:
            raise Refused(f"{_what(child)} is not allowed: " + NOTE)


def _called(root: ast.AST, attribute: ast.Attribute) -> bool:
    return any(isinstance(n, ast.Call) and n.func is attribute for n in ast.walk(root))


def _what(node: ast.AST) -> str:
    if isinstance(node, ast.Constant):
        return "text" if isinstance(node.value, (str, bytes)) else f"the constant {node.value!r}"
    names = {ast.Import: "import", ast.ImportFrom: "import", ast.Lambda: "lambda", ast.ListComp: "a comprehension",
             ast.GeneratorExp: "a generator", ast.SetComp: "a comprehension", ast.DictComp: "a comprehension",
             ast.NamedExpr: "the := operator", ast.JoinedStr: "an f-string", ast.FunctionDef: "def",
             ast.AugAssign: "x += …", ast.Dict: "a dict", ast.Set: "a set", ast.IfExp: "… if … else …",
             ast.Starred: "*unpacking", ast.Await: "await"}
    return names.get(type(node), f"'{type(node).__name__}'")


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
