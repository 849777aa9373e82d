"""> in the stepper: a >>> prompt over the quantities computed so far (tutor/app/screens/repl.py), the learner's
lines run in a child process by a worker (tutor/sandbox.py)."""

from __future__ import annotations

from conftest import until
from tutor.app.app import TutorApp
from tutor.app.screens.repl import ReplScreen
from tutor.app.screens.stepper import StepperScreen
from tutor.engine.spec import load_spec


async def enter(pilot, line: str) -> None:
    screen = pilot.app.screen
    box = screen.query_one("#repl-input")
    box.value = line
    await pilot.press("enter")
    await until(pilot, lambda: not box.disabled)


def shown(screen) -> str:
    return "\n".join(strip.text for strip in screen.query_one("#repl-log").lines)


async def test_the_prompt_holds_the_quantities_so_far_and_survives_a_line_that_loops():
    app = TutorApp(spec=load_spec("one-one-one"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*["space"] * 4)                      # a_l0, w_l1, b_l1, z_l1 computed
        await pilot.press("greater_than_sign")
        await until(pilot, lambda: isinstance(app.screen, ReplScreen) and app.screen.query("#repl-input"))
        repl = app.screen
        assert repl.names == ["a_l0", "w_l1", "b_l1", "z_l1"] and app.focused is repl.query_one("#repl-input")
        await enter(pilot, "a_l1 = sigmoid(z(w_l1, a_l0, b_l1))")
        await enter(pilot, "a_l1")
        assert ">>> a_l1\n0.7547299213576082" in shown(repl)          # the article's number, as it prints it
        await enter(pilot, "a_l2")                                      # not computed yet: not there
        assert "NameError: name 'a_l2' is not defined" in shown(repl)
        repl.sandbox.time_limit = 0.5
        await enter(pilot, "while True: pass")
        assert "stopped after 0.5 s: the time limit for one line" in shown(repl)
        await enter(pilot, "a_l1 * (1 - a_l1)")                         # a new child, the earlier lines kept
        assert shown(repl).endswith(repr(0.7547299213576082 * (1 - 0.7547299213576082)))
        await pilot.press("up", "up")
        assert repl.query_one("#repl-input").value == "while True: pass"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, StepperScreen))
        assert repl.sandbox._child is None                              # the child ended with the screen
