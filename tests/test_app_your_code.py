"""The Your-code screen (c on the home screen, or the palette): the learner's own file made from the starter,
checked by `tutor check` in a worker (the real check, on files of tests/check_files), the first difference opened
in the stepper with the learner's values beside the engine's; and that two-column stepper on its own."""

from __future__ import annotations

import numpy as np
import pytest
from textual.widgets import Input

import shutil
from pathlib import Path

from conftest import text, until
from fit import cut
from tutor.app import your_file
from tutor.app.app import TutorApp
from tutor.app.screens.home import HomeScreen
from tutor.app.screens.stepper import StepperScreen
from tutor.app.screens.your_code import YourCodeScreen
from tutor.app.widgets.formula_panel import FormulaPanel
from tutor.app.widgets.quantities_table import QuantitiesTable
from tutor.app.widgets.stepper import Stepper
from tutor.check import Report
from tutor.check.starter import STARTER
from tutor.engine.spec import load_spec

FILES = Path(__file__).parent / "check_files"


def report_shown(screen) -> str:
    return text(screen, "#code-report")


@pytest.fixture
def checked(monkeypatch):
    """The paths the real check ran on."""
    paths = []
    real = your_file.run_check

    def check(path):
        paths.append(path)
        return real(path)

    monkeypatch.setattr(your_file, "run_check", check)
    return paths


async def open_your_code(pilot, path) -> YourCodeScreen:
    await pilot.press("c")
    await until(pilot, lambda: isinstance(pilot.app.screen, YourCodeScreen) and pilot.app.screen.query("#code-path"))
    screen = pilot.app.screen
    screen.query_one("#code-path", Input).value = str(path)
    return screen


async def test_create_from_the_starter_check_and_open_the_difference_in_the_stepper(checked, tmp_path):
    path = tmp_path / "course" / "my_network.py"
    app = TutorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_your_code(pilot, path)
        await pilot.press("n")
        assert path.read_text(encoding="utf-8") == STARTER and "Created" in report_shown(screen)
        await pilot.press("c")                                   # the starter as it is: what to write first
        await until(pilot, lambda: screen.report is not None)
        assert "✎ Next to write: sigmoid" in report_shown(screen)
        shutil.copy(FILES / "broken_transposed_dc_dw.py", path)  # the learner's work, with dc_dw transposed
        await pilot.press("n")                                   # never over the learner's file
        assert "not overwritten" in report_shown(screen)
        assert path.read_bytes() == (FILES / "broken_transposed_dc_dw.py").read_bytes()
        await pilot.press("e")                                   # no terminal to hand over under test: said
        assert "open" in report_shown(screen) and "in your editor yourself" in report_shown(screen)
        await pilot.press("c")
        await until(pilot, lambda: screen.report is not None)
        shown = report_shown(screen)
        assert checked == [str(path)] * 2
        for part in ("✗ helpers: dc_dw(a_l1, dc_db_l2) is the first quantity that differs", "2-3-2 (the article's)",
                     "yours is 3x2, the engine's 2x3", "transposed"):
            assert part in shown, shown
        assert not cut(screen)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, StepperScreen))
        stepper = app.screen.query_one(Stepper)
        assert stepper.entry.name == "dc_dw_l2"
        table = stepper.query_one(QuantitiesTable)
        assert table.head.split() == ["quantity", "yours", "engine"]            # the shape gives way at 80x24
        assert table.shown_rows[-1][2].startswith("✗ ") and table.differs[table.count - 1]
        assert "✗ the shapes differ: yours is 3x2" in stepper.query_one(FormulaPanel).text
        await until(pilot, lambda: not cut(app.screen))          # once laid out at 80x24, nothing of ours is cut
        await pilot.press("escape", "escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("c")                                   # the path is remembered for the session
        await until(pilot, lambda: isinstance(app.screen, YourCodeScreen) and app.screen.query("#code-path"))
        assert app.screen.query_one("#code-path", Input).value == str(path)


async def test_paths_that_cannot_be_checked_say_so_and_a_file_that_cannot_run_says_why(checked, tmp_path):
    (tmp_path / "a-file").write_text("x")
    app = TutorApp(spec=load_spec("one-one-one"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p", *"your code", "enter")       # the palette opens it from any screen
        await until(pilot, lambda: isinstance(app.screen, YourCodeScreen) and app.screen.query("#code-path"))
        screen = app.screen
        for path, said in ((tmp_path, "a directory, not a Python file"),
                           (tmp_path / "missing.py", "no such file yet (n creates it from the starter)")):
            screen.query_one("#code-path", Input).value = str(path)
            await pilot.press("c")
            assert said in report_shown(screen)
        screen.query_one("#code-path", Input).value = str(tmp_path / "a-file" / "x.py")
        await pilot.press("n")                                   # a directory that cannot be made
        assert "Could not create" in report_shown(screen)
        await pilot.press("s")                                   # nothing checked: nothing to open
        assert app.screen is screen
        runs = tmp_path / "runs.py"
        runs.write_text("def sigmoid(z:\n")
        await pilot.press("p")
        screen.query_one("#code-path", Input).value = str(runs)
        await pilot.press("enter")                               # Enter in the path field checks the file
        await until(pilot, lambda: screen.report is not None)
        assert "✗ The file cannot be run" in report_shown(screen) and "line 1" in report_shown(screen)
        assert checked == [str(runs)]


async def test_esc_stops_waiting_for_a_check_and_its_late_report_is_dropped(monkeypatch, tmp_path):
    import threading

    started, release, returned = threading.Event(), threading.Event(), threading.Event()

    def slow(path, upto=None):
        started.set()
        release.wait(10)
        returned.set()
        return Report(path, error="late")

    monkeypatch.setattr(your_file, "run_check", slow)
    path = tmp_path / "mine.py"
    path.write_text("# mine\n")
    app = TutorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_your_code(pilot, path)
        await pilot.press("c")
        await until(pilot, started.is_set)
        assert screen.checking and "Checking" in report_shown(screen)
        await pilot.press("escape")                              # stops the check, does not leave the screen
        assert app.screen is screen and "Check stopped" in report_shown(screen)
        release.set()
        await until(pilot, returned.is_set)
        await pilot.pause(0.1)
        assert screen.report is None and "Check stopped" in report_shown(screen)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_e_hands_the_terminal_to_the_learners_editor_and_back(monkeypatch, tmp_path):
    """Where the terminal can be handed over (not under test: App.suspend is replaced), e runs $EDITOR on the file
    and waits for it; an editor that is not installed is said in a line."""
    import contextlib

    path = tmp_path / "mine.py"
    path.write_text("# mine\n")
    app = TutorApp()
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
    monkeypatch.delenv("VISUAL", raising=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_your_code(pilot, path)
        monkeypatch.setenv("EDITOR", "sh -c 'echo \"# edited\" >> \"$0\"'")
        await pilot.press("e")
        assert path.read_text() == "# mine\n# edited\n" and "Back from the editor" in report_shown(screen)
        monkeypatch.setenv("EDITOR", "no-such-editor-anywhere")
        await pilot.press("e")
        assert "Could not start the editor 'no-such-editor-anywhere'" in report_shown(screen)


def test_the_editor_is_visual_then_editor_then_nano_or_vi():
    def which(found):
        return lambda name: f"/usr/bin/{name}" if name in found else None

    assert your_file.editor_command({"VISUAL": "code -w", "EDITOR": "vim"}, which(())) == ["code", "-w"]
    assert your_file.editor_command({"EDITOR": "vim"}, which(("nano",))) == ["vim"]
    assert your_file.editor_command({}, which(("nano", "vi"))) == ["/usr/bin/nano"]
    assert your_file.editor_command({}, which(("vi",))) == ["/usr/bin/vi"]
    assert your_file.editor_command({"EDITOR": " "}, which(())) is None


async def test_the_stepper_with_the_learners_values_beside_the_engines_then_alone_after_a_step():
    spec = load_spec("two-three-two")
    trace = spec.trace()
    theirs = {e.name: e.value for e in trace}
    wrong = np.array(trace["dc_db_l2"].value, dtype=float)
    wrong[1, 0] += 0.5
    theirs["dc_db_l2"] = wrong
    del theirs["updated_w_l1"]
    app = TutorApp()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_stepper(spec, theirs=theirs, at="dc_db_l2")
        await until(pilot, lambda: isinstance(app.screen, StepperScreen) and app.screen.query(Stepper))
        stepper = app.screen.query_one(Stepper)
        assert stepper.entry.name == "dc_db_l2"
        formula = stepper.query_one(FormulaPanel).text
        assert "yours  2x1: [[0.0554], [▸0.3534]]" in formula                         # the differing element marked
        engine = float(trace["dc_db_l2"].value[1, 0])
        assert f"first difference at [1,0]: yours {float(wrong[1, 0])!r}, engine {engine!r}" in formula
        table = stepper.query_one(QuantitiesTable)
        assert table.head.split() == ["quantity", "yours", "engine"]  # two values: the shape gives way
        assert [row[2].startswith("✗") for row in table.shown_rows].count(True) == 1
        stepper.goto("updated_w_l1")
        await pilot.pause()
        assert "your code gave no value for it" in stepper.query_one(FormulaPanel).text
        assert table.shown_rows[-1][2] == "—"
        await pilot.press("n")                                   # the next training step is the engine's alone
        assert stepper.theirs is None and table.head.split()[-1] == "value" and "yours" not in table.head
        await pilot.press("r")                                   # back to the network as checked: yours again
        assert stepper.theirs is theirs and "yours" in table.head
