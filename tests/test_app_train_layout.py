"""The training screen at 100 x 30 and 80 x 24: every line of the run can be read without scrolling sideways."""

from __future__ import annotations


import pytest
from textual.widgets import Label, Log

from tutor.app.app import TutorApp
from tutor.app.screens.train import TrainScreen, fit_lines

from conftest import open_train, wait_until


async def run(pilot, **values) -> TrainScreen:
    screen = await open_train(pilot, **values)
    await pilot.press("ctrl+t")
    await wait_until(lambda: screen.worker is not None and not screen.running, timeout=60)
    await pilot.pause()
    await pilot.pause()
    return screen


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_the_log_and_the_accuracies_fit_the_screen(size, shared_data):
    app = TutorApp(data_dir=shared_data)  # 100 test images: 25 epochs in a fraction of a second
    async with app.run_test(size=size) as pilot:
        screen = await run(pilot, layers="784, 100, 100, 100, 100, 100, 10", images="200", epochs="25", seed="3")
        log = screen.query_one(Log)
        lines = list(log.lines)
        width = log.scrollable_content_region.width
        assert max(len(line) for line in lines) <= width, lines
        head = " ".join(lines[: lines.index(next(line for line in lines if line.startswith("Epoch 0: ")))])
        for part in ("784, 100, 100, 100, 100, 100, 10", "200 training images", "25 epochs", "mini-batch 10",
                     "η = 3.0", "seed 3"):
            assert part in head, (part, lines)
        assert [line for line in lines if line.startswith("Epoch ")][-1].startswith("Epoch 24: ")
        assert lines[-1].startswith("Epoch 24: ") or "‖∂C/∂b‖" in " ".join(lines[-3:])  # its gradient sizes after it
        assert log.is_vertical_scroll_end                 # the last epoch is in sight, whatever wrapped above
        title = str(log.border_title)
        assert len(title) + 4 <= log.outer_size.width
        label = screen.query_one("#accuracy-label", Label)
        assert label.outer_size.width <= label.parent.content_region.width
        shown = str(label.render())
        assert shown.startswith("test accuracy per epoch: …, ")     # the last four of 25
        assert shown.count("%") == 4 and shown.endswith(f"{100 * screen.accuracy[-1]:.2f}%")


def test_fit_lines_joins_parts_up_to_the_width_and_wraps_a_long_one():
    assert fit_lines(["ab", "cd", "ef"], 6) == ["ab, cd", "ef"]
    assert fit_lines(["Network([784, 100, 100, 10])", "seed 0"], 20) == ["Network([784, 100,", "100, 10]), seed 0"]
    assert all(len(line) <= 20 for line in fit_lines(["x" * 50, "y"], 20))
