"""Pilot tests of the home screen: the menu, opening the shipped examples and network files, bad files."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static

from tutor.app.app import TutorApp
from tutor.app.screens.home import HomeScreen
from tutor.app.screens.stepper import StepperScreen
from tutor.app.widgets.phase_bar import PhaseBar
from tutor.engine.spec import load_spec

SIZE = (100, 30)


def prompts(app) -> list[str]:
    menu = app.screen.query_one("#menu", OptionList)
    return [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]


async def test_home_lists_the_examples_and_opens_one_then_escape_returns():
    app = TutorApp()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        items = " | ".join(prompts(app))
        for text in ("Lessons", load_spec("one-one-one").title, load_spec("two-three-two").title,
                     "Open a network file", "Train on MNIST", "Explore MNIST", "Quit"):
            assert text in items
        menu = app.screen.query_one("#menu", OptionList)
        menu.highlighted = next(i for i in range(menu.option_count)
                                if menu.get_option_at_index(i).id == "example:two-three-two")
        await pilot.press("enter")
        assert isinstance(app.screen, StepperScreen)
        assert app.screen.spec.title == load_spec("two-three-two").title
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_open_a_network_file_reports_a_bad_file_in_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("layers = [1, 1]\ninput = ['x']\ntarget = [1]\n")
    app = TutorApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        path = app.screen.query_one("#path", Input)
        assert path.display and path.has_focus
        for value, message in ((str(tmp_path / "missing.toml"), "file not found"),
                               (str(bad), "input[0]: expected a number")):
            path.value = value
            await pilot.press("enter")
            error = str(app.screen.query_one("#path-error", Static).render())
            assert isinstance(app.screen, HomeScreen) and message in error and "\n" not in error
        path.value = "two-three-two"
        await pilot.press("enter")
        assert isinstance(app.screen, StepperScreen)


async def test_step_command_opens_the_stepper_directly_and_no_color_keeps_markers(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = TutorApp(spec=load_spec("one-one-one"))
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, StepperScreen)
        await pilot.press("space", "space", "space", "space")
        phase = str(app.screen.query_one(PhaseBar).render())
        assert "▶ forward" in phase  # the current phase is marked by a symbol, not by colour
        screenshot = app.export_screenshot()
        assert "▶" in screenshot and "1.124" in screenshot
        await pilot.resize_terminal(100, 30)
        await pilot.resize_terminal(60, 20)
        await pilot.resize_terminal(80, 24)
        await pilot.press("left")
        assert "1.124" not in str(app.screen.query_one("#formula").text)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
