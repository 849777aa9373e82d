"""The shape of the package: the engine and the course import no UI, no module imports itself back through others,
and no module grows past ~400 lines without saying why in its docstring."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import tutor

PACKAGE = Path(tutor.__file__).parent
UI_FREE = ("tutor.engine", "tutor.course", "tutor.numbers", "tutor.views", "tutor.errors", "tutor.files",
           "tutor.bench.training")


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The tutor modules `name` imports, anywhere in it (module level or inside a function)."""
    out = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(target + "."):
                out.add(target)
    return out


def test_the_engine_and_the_course_import_no_ui():
    names = [n for n in modules() if n.startswith(UI_FREE)]
    code = f"import sys, importlib\nfor n in {names!r}: importlib.import_module(n)\n" \
           "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\nassert not bad, bad"
    subprocess.run([sys.executable, "-c", code], check=True)
    assert "tutor.engine.training" in names and "tutor.course.session" in names


def test_no_import_circle():
    found = modules()
    graph = {name: imports(name, path, set(found)) for name, path in found.items()}
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def test_one_worker_style():
    """Every worker is a tutor.app.workers.background thread: none that ends the app when it fails."""
    for name, path in modules().items():
        if name != "tutor.app.workers":
            assert "@work" not in path.read_text(encoding="utf-8"), f"{name}: use @background, not @work"


def test_modules_stay_small_or_say_why():
    for name, path in modules().items():
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > 400:
            doc = ast.get_docstring(ast.parse(text)) or ""
            assert "lines" in doc, f"{name} has {lines} lines and no word in its docstring on why"
