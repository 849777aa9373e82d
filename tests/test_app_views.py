"""The MNIST views through the real app: explorer, browser, tracing an image, hidden neurons, noise, canvas, confusion."""

import asyncio
import dataclasses
import threading
import time

import numpy as np
import pytest
from textual.widgets import DataTable, OptionList, Static

from conftest import post, text, until, wait_until, workers_done, write_dataset
from tutor.app.app import TutorApp
from tutor.engine import training
from tutor.app.screens.browser import BrowserScreen
from tutor.app.screens.confusion import ConfusionScreen
from tutor.app.screens.draw import DrawScreen
from tutor.app.screens.explore import ExploreScreen, Trained
from tutor.engine.training import Config
from tutor.app.screens.hidden import HiddenScreen, signed_image
from tutor.app.screens.noise import NoiseScreen
from tutor.app.screens.stepper import StepperScreen
from tutor.app.widgets.activations import Activations
from tutor.app.widgets.canvas import Canvas
from tutor.app.widgets.digit import DigitImage
from tutor.engine import digits, mnist
from tutor.engine.network import Network, cost
from tutor.engine.trace import trace_step

SIZE = (100, 30)


@pytest.fixture(scope="module")
def data():
    return mnist.load()


async def test_explore_opens_from_home_trains_a_network_and_opens_each_view(data, monkeypatch):
    app = TutorApp(explore_run=Config(epochs=1, limit=2000, seed=0))  # a small network, quickly
    async with app.run_test(size=SIZE) as pilot:
        menu = app.screen.query_one("#menu", OptionList)
        menu.highlighted = next(i for i in range(menu.option_count) if menu.get_option_at_index(i).id == "explore")
        await pilot.press("enter")
        explore = app.screen
        assert isinstance(explore, ExploreScreen)
        await workers_done(pilot)
        assert explore.ready and explore.network.sizes == [784, 30, 10]
        assert "2,000 images" in text(explore, "#explore-network")
        assert "10,000 test" in text(explore, "#explore-data")
        for key, screen_type in (("b", BrowserScreen), ("h", HiddenScreen), ("r", NoiseScreen),
                                 ("d", DrawScreen), ("c", ConfusionScreen)):
            await pilot.press(key)
            await workers_done(pilot)
            assert isinstance(app.screen, screen_type)
            await pilot.press("escape")
            assert app.screen is explore
        await pilot.press("a")                 # the other architecture, trained in the background too
        await workers_done(pilot)
        assert explore.network.sizes == [784, 16, 16, 10]
        await pilot.press("a")                 # and an untrained network: its random starting weights
        await workers_done(pilot)
        untrained = Network([784, 30, 10], seed=0)
        assert np.array_equal(explore.network.weights[0], untrained.weights[0])
        assert "untrained" in text(explore, "#explore-network")


async def test_explore_uses_the_network_trained_on_the_train_screen(net):
    app = TutorApp()
    async with app.run_test(size=SIZE) as pilot:
        app.trained = Trained(net, "trained on the Train screen")
        explore = app.explore()
        await app.push_screen(explore)
        await workers_done(pilot)
        assert "trained on the Train screen" in text(explore, "#explore-network")
        assert "Explore MNIST" in text(explore, "#explore-title") and "real digits" in text(explore, "#explore-title")
        assert np.array_equal(explore.network.weights[0], net.weights[0])
        assert not explore.query_one(OptionList).disabled


async def test_each_view_says_which_network_it_shows(net, shared_data):
    """The network's `how` travels from where it was trained (a lesson here) through Explore into every view."""
    app = TutorApp(data_dir=shared_data)
    async with app.run_test(size=SIZE) as pilot:
        app.trained = Trained(net, "trained in lesson 10")
        explore = app.explore()
        await app.push_screen(explore)
        await workers_done(pilot)
        assert text(explore, "#explore-network").startswith("Network: 784-30-10 trained in lesson 10; ")
        for key, where in (("b", "#browser-network"), ("h", "#hidden-intro"), ("r", "#noise-network"),
                           ("d", "#draw-network"), ("c", "#confusion-network")):
            await pilot.press(key)
            assert "784-30-10 trained in lesson 10" in text(app.screen, where), key
            await pilot.press("escape")
            assert app.screen is explore


async def test_explore_keys_work_while_it_is_loading(net):
    """The menu is disabled while loading: the focus must not fall to the hidden path field, eating the keys."""
    app = TutorApp()
    async with app.run_test(size=SIZE) as pilot:
        app.trained = Trained(net, "trained on the Train screen")
        explore = app.explore()
        await app.push_screen(explore)
        assert not explore.ready
        await pilot.press("l")
        path = explore.query_one("#explore-path")
        assert path.display and app.focused is path and path.value == ""


async def test_explore_drops_the_result_of_a_network_it_no_longer_wants(net, monkeypatch):
    """`a` pressed while the previous network is still being scored: its late, superseded result is dropped."""
    first = threading.Event()
    real_score = ExploreScreen.score

    def score(network, data):
        if not first.is_set():  # the first network asked for (the trained one) is scored slowly
            first.set()
            time.sleep(0.5)
        return real_score(network, data)

    monkeypatch.setattr(ExploreScreen, "score", staticmethod(score))
    app = TutorApp()
    async with app.run_test(size=SIZE) as pilot:
        app.trained = Trained(net, "trained on the Train screen")
        explore = app.explore()
        await app.push_screen(explore)
        while not first.is_set():
            await asyncio.sleep(0.01)
        explore.choice = len(explore.choices) - 2
        explore.action_switch_network()        # the untrained network: ready long before the trained one
        await asyncio.sleep(0.8)               # the first worker's thread has returned by now
        await pilot.pause()
        assert "untrained" in text(explore, "#explore-network")
        assert np.array_equal(explore.network.weights[0], Network([784, 30, 10], seed=0).weights[0])


async def test_explore_reports_a_bad_data_directory_in_one_line(tmp_path):
    app = TutorApp(data_dir=str(tmp_path / "nowhere"))
    async with app.run_test(size=SIZE) as pilot:
        explore = app.explore()
        await app.push_screen(explore)
        await workers_done(pilot)
        message = text(explore, "#explore-network")
        assert "Cannot explore" in message and "nowhere" in message and "not a directory" in message
        await pilot.press("b")                 # nothing to open yet: a notice, no crash
        assert app.screen is explore


async def test_browser_shows_label_activations_answer_and_moves(net, data):
    app = TutorApp()
    async with app.run_test(size=SIZE) as pilot:
        browser = BrowserScreen(net, data, seed=0)
        await app.push_screen(browser)
        test = data.test
        expected = net.feedforward(test.input(0)).ravel()
        assert np.array_equal(browser.query_one(Activations).values, expected)
        assert np.array_equal(browser.query_one(DigitImage).pixels, test.images[0].reshape(28, 28) / 255.0)
        assert f"Label: {test.labels[0]}" in text(browser, "#browser-label")
        answer = int(np.argmax(expected))
        assert f"answers {answer}" in text(browser, "#browser-verdict")
        assert "◀ answer" in text(browser, "#browser-activations")
        await pilot.press("right", "right")
        assert browser.index == 2
        await pilot.press("left", "left", "left")
        assert browser.index == len(test) - 1          # wraps around
        await pilot.press("right")
        await pilot.press("m")                         # looked for in a worker
        await workers_done(pilot)
        wrong = digits.misclassified(net, test.images, test.labels, 0)
        assert browser.index == wrong
        assert "✗ wrong" in text(browser, "#browser-verdict")
        assert int(np.argmax(net.feedforward(test.input(wrong)))) != test.labels[wrong]
        await pilot.press("M")
        await workers_done(pilot)
        assert browser.index == digits.misclassified(net, test.images, test.labels, wrong, -1)
        await pilot.press("r")
        assert 0 <= browser.index < len(test)
        await pilot.press("s")
        assert browser.dataset.name == "validation"
        i = browser.index
        assert np.array_equal(browser.query_one(Activations).values,
                              net.feedforward(data.validation.input(i)).ravel())


async def test_the_browsers_title_text_and_trace_name_the_image_by_the_same_number(net, data):
    """The title said "test image 1,233" and the text "image 1,234 of 10,000": one number now, the image's index,
    as data.test[1233] and the trace have it; a list of some images says the place in it as such."""
    app = TutorApp()
    async with app.run_test(size=SIZE) as pilot:
        browser = BrowserScreen(net, data)
        await app.push_screen(browser)
        browser.go(1233)
        assert str(browser.query_one("#browser-left").border_title) == "test image 1,233"
        assert text(browser, "#browser-where").startswith("test image 1,233 of 10,000 (counting from 0)")
        await pilot.press("t")
        assert app.screen.spec.title.startswith("test image 1,233, label ")
        await pilot.press("escape")
        some = BrowserScreen(net, data, "test", [5, 1233, 7], subset="three images")
        await app.push_screen(some)
        some.go(1)
        assert str(some.query_one("#browser-left").border_title) == "test image 1,233"
        assert text(some, "#browser-where").startswith("three images: 2 of 3 (test image 1,233)")


def all_right_but(net, data, wrong=()):
    """`data` with test labels the network's own answers, except at the indices `wrong` (a label it misses)."""
    labels = training.predict(net, data.test.images).astype(data.test.labels.dtype)
    for i in wrong:
        labels[i] = (labels[i] + 1) % 10
    return dataclasses.replace(data, test=dataclasses.replace(data.test, labels=labels))


def slowed(net, seconds=0.05):
    """A copy of net whose forward pass takes `seconds` longer a call: a search through the set takes a while."""
    slow = net.copy()

    def feedforward(a):
        time.sleep(seconds)
        return net.feedforward(a)

    slow.feedforward = feedforward
    return slow


async def test_browser_finds_a_mistake_far_away_in_a_worker_with_a_note_while_it_searches(net, data):
    """m looks through up to the whole set in a worker: the UI answers meanwhile, a note says it is
    searching, and it lands on the image the network gets wrong (M goes back to it the other way)."""
    far = 7_321
    mostly_right = all_right_but(net, data, wrong=[far])
    slow = slowed(net)                                  # 15 chunks of 500 images: about 0.75 s
    app = TutorApp()
    async with app.run_test(size=SIZE) as pilot:
        browser = BrowserScreen(slow, mostly_right)
        await app.push_screen(browser)
        note = browser.query_one("#browser-note", Static)
        assert not note.display
        post(app, "m")
        await wait_until(lambda: note.display, timeout=5, poll=0.01)
        assert browser.index == 0                       # still searching, and the UI thread is free
        assert "Searching" in text(browser, "#browser-note")
        await workers_done(pilot)
        assert browser.index == far and not note.display
        assert "✗ wrong" in text(browser, "#browser-verdict")
        assert int(np.argmax(net.feedforward(data.test.input(far)))) != mostly_right.test.labels[far]
        await pilot.press("right", "M")                 # back to it the other way round
        await workers_done(pilot)
        assert browser.index == far
        # a move while a search runs supersedes it: its late result is dropped
        post(app, "m", "right")            # m's search, were it kept, would come back to far, the only mistake
        await pilot.pause()                 # both keys handled
        await workers_done(pilot)
        await asyncio.sleep(0.2)            # a cancelled search's thread stops within a chunk (0.05 s here)
        await pilot.pause()
        assert browser.index == far + 1 and not note.display
        # a network that gets every image right: a notice, and the browser stays where it is
        browser.data = all_right_but(net, data)
        browser.network = net
        await pilot.press("m")
        await workers_done(pilot)
        assert browser.index == far + 1 and not note.display
        assert any("every image here right" in n.message for n in app._notifications)


async def test_tracing_an_mnist_image_shows_the_tracer_values_and_the_gradient_is_right(net, data):
    app = TutorApp()
    async with app.run_test(size=SIZE) as pilot:
        browser = BrowserScreen(net, data)
        await app.push_screen(browser)
        await pilot.press("right", "right", "right", "t")
        assert isinstance(app.screen, StepperScreen)
        stepper = app.screen.stepper
        i = 3
        x, y = data.test.input(i), data.test.target(i)
        expected = trace_step(net, x, y, Config().step_size)
        assert stepper.trace.names == expected.names
        for name in expected.names:
            assert np.array_equal(np.asarray(stepper.trace[name].value), np.asarray(expected[name].value)), name
        assert stepper.trace.sizes == [784, 30, 10]
        # what the stepper shows: the costs and the selected neuron's values, as the tracer has them
        await pilot.press("end")
        assert repr(expected["updated_cost"].value) in text(app.screen, "#cost-label")
        stepper.goto("dc_dw_l1")
        await pilot.pause()
        await pilot.press("down", "down")
        j = 2
        assert repr(float(expected["dc_db_l1"].value[j, 0])) in stepper.neuron_text()
        # central finite difference on one weight of the 784-30-10 network, against the traced dc_dw
        k = int(np.argmax(x))                  # a pixel with ink, so the gradient is not zero
        h = 1e-6
        plus, minus = net.copy(), net.copy()
        plus.weights[0][j, k] += h
        minus.weights[0][j, k] -= h
        numeric = (cost(plus.feedforward(x), y) - cost(minus.feedforward(x), y)) / (2 * h)
        traced = expected["dc_dw_l1"].value[j, k]
        assert traced != 0
        assert numeric == pytest.approx(traced, rel=1e-5, abs=1e-10)
        await pilot.press("escape")


async def test_hidden_neurons_are_drawn_from_their_incoming_weights(net):
    app = TutorApp()
    async with app.run_test(size=SIZE) as pilot:
        hidden = HiddenScreen(net)
        await app.push_screen(hidden)
        thumbs = hidden.thumbnails
        assert len(thumbs) == 30 and thumbs[0].selected
        full = hidden.query_one("#hidden-full", DigitImage)
        assert np.array_equal(full.pixels, signed_image(net.weights[0][0])[0].reshape(28, 28))
        assert f"{net.biases[0][0, 0]:.4f}" in text(hidden, "#hidden-info")
        await pilot.press("right", "down")
        assert hidden.columns == 4 and hidden.selected == 1 + 4   # 4 thumbnails a row fit at 100 columns
        assert np.array_equal(full.pixels, signed_image(net.weights[0][5])[0].reshape(28, 28))
        assert thumbs[5].selected and not thumbs[0].selected
        assert thumbs[5].render_line(0).text.startswith("▶ neuron 5")
        assert thumbs[7].signed and thumbs[7].scale == 2
        assert np.array_equal(thumbs[7].pixels, signed_image(net.weights[0][7])[0].reshape(28, 28))
        await pilot.click(thumbs[7])
        assert hidden.selected == 7
    deep = Network([784, 16, 16, 10], seed=2)
    app = TutorApp()
    async with app.run_test(size=SIZE) as pilot:
        hidden = HiddenScreen(deep)
        await app.push_screen(hidden)
        assert len(hidden.thumbnails) == 16
        assert "16 neurons of layer 1 of 784-16-16-10" in text(hidden, "#hidden-intro")


def test_signed_image_clips_to_minus_one_one():
    w = np.linspace(-5, 3, 784)
    image, scale = signed_image(w)
    assert image.min() == -1 and image.max() <= 1 and scale == pytest.approx(np.percentile(np.abs(w), 98))


async def test_random_pixels_get_an_answer_and_the_mean_confidences_are_compared(net, data):
    app = TutorApp()
    async with app.run_test(size=SIZE) as pilot:
        noise = NoiseScreen(net, data, seed=0)
        await app.push_screen(noise)
        await workers_done(pilot)
        image = noise.image
        assert image.shape == (784, 1) and 0 <= image.min() and image.max() < 1
        assert np.array_equal(noise.activations, net.feedforward(image).ravel())
        answer = int(np.argmax(noise.activations))
        assert f"answers {answer} with activation {noise.activations[answer]:.4f}" in text(noise, "#noise-answer")
        test_mean, noise_mean, _ = noise.means
        assert test_mean == digits.mean_top_activation(net, data.test.images)
        assert noise_mean == pytest.approx(digits.mean_top_activation(net, digits.random_images(1000, seed=0).T))
        shown = text(noise, "#noise-compare")
        assert f"{test_mean:.4f}" in shown and f"{noise_mean:.4f}" in shown and "10,000 test images" in shown
        await pilot.press("space")
        assert noise.count == 2 and not np.array_equal(noise.image, image)


async def test_drawing_with_the_mouse_and_the_keys_gives_the_expected_inputs(net):
    app = TutorApp()
    async with app.run_test(size=SIZE) as pilot:
        draw = DrawScreen(net)
        await app.push_screen(draw)
        canvas = draw.query_one(Canvas)
        # a vertical stroke with the mouse: cell (x, y) is pixels (2y, x) and (2y + 1, x); the border is 1 cell
        await pilot.mouse_down(canvas, offset=(1 + 14, 1 + 2))
        await pilot.hover(canvas, offset=(1 + 14, 1 + 6))
        await pilot.hover(canvas, offset=(1 + 15, 1 + 11))
        await pilot.mouse_up(canvas, offset=(1 + 15, 1 + 11))
        await pilot.pause()
        expected = np.zeros((28, 28))
        digits.brush(expected, 4.5, 14)
        digits.stroke(expected, (4.5, 14), (12.5, 14))
        digits.stroke(expected, (12.5, 14), (22.5, 15))
        assert np.array_equal(canvas.pixels, expected)
        assert np.array_equal(draw.inputs, digits.preprocess(expected))
        assert draw.inputs.shape == (784, 1)
        assert np.array_equal(draw.activations, net.feedforward(draw.inputs).ravel())
        assert np.array_equal(draw.query_one("#draw-input", DigitImage).pixels, draw.inputs.reshape(28, 28))
        answer = int(np.argmax(draw.activations))
        assert f"answers {answer}" in text(draw, "#draw-answer")
        # the keyboard: clear, move the cursor from the centre (14, 14), paint, pen down and move
        await pilot.press("c")
        assert not canvas.pixels.any() and not draw.inputs.any()
        await pilot.press("up", "up", "left", "space", "p", "down", "down", "down", "p", "right", "right", "enter")
        expected = np.zeros((28, 28))
        digits.brush(expected, 12, 13)
        for row in (12, 13, 14):
            digits.stroke(expected, (row, 13), (row + 1, 13))
        digits.brush(expected, 15, 15)
        assert canvas.cursor == (15, 15)
        assert np.array_equal(canvas.pixels, expected)
        assert np.array_equal(draw.inputs, digits.preprocess(expected))
        # trace the drawing with the intended digit as the target
        await pilot.press("7", "t")
        assert isinstance(app.screen, StepperScreen)
        trace = app.screen.stepper.trace
        assert np.array_equal(trace["a_l0"].value, draw.inputs)
        assert trace["y"].value.ravel().tolist() == [0, 0, 0, 0, 0, 0, 0, 1, 0, 0]
        assert trace["a_l2"].value.ravel().tolist() == draw.activations.tolist()


async def test_a_blank_canvas_gets_an_answer_and_the_draw_view_says_so(net):
    """Nothing drawn, the network still answers (5 at 0.98 for some networks): the view says so, with the
    article's point about random pixels, and the empty "what the network sees" box gives its room to the words."""
    app = TutorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        draw = DrawScreen(net)
        await app.push_screen(draw)
        answer = f"{draw.answer} ({draw.activations[draw.answer]:.4f})"
        shown = text(draw, "#draw-answer")
        assert f"Nothing drawn, yet the network answers {answer}" in shown and "random pixels" in shown
        assert not draw.query_one("#draw-seen").display
        await pilot.press("space")                     # a dot of ink: now there is something to read
        await until(pilot, lambda: "Nothing drawn" not in text(draw, "#draw-answer"))  # the answer follows the ink
        assert draw.query_one("#draw-seen").display
        await pilot.press("c")
        await until(pilot, lambda: "Nothing drawn" in text(draw, "#draw-answer"))


async def test_confusion_matrix_sums_to_the_test_set_and_its_diagonal_is_the_accuracy(net, data):
    app = TutorApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = ConfusionScreen(net, data)
        await app.push_screen(screen)
        await workers_done(pilot)
        counts = screen.counts
        assert counts.sum() == 10_000
        correct = training.evaluate(net, data.test.images, data.test.labels)
        assert np.trace(counts) == correct == screen.correct
        summary = text(screen, "#confusion-summary")
        assert f"{correct:,} / 10,000" in summary and summary.count(f"{correct:,}") == 1   # said once
        table = screen.query_one(DataTable)
        assert table.row_count == 10
        assert str(table.get_cell_at((3, 4))).strip() == str(int(counts[3, 3])).join(["✓", ""])
        await pilot.press("w")
        off = counts.copy()
        np.fill_diagonal(off, -1)
        r, c = np.unravel_index(np.argmax(off), off.shape)
        assert table.cursor_coordinate == (r, c + 1)
        await pilot.press("enter")
        browser = app.screen
        assert isinstance(browser, BrowserScreen)
        assert browser.count == counts[r, c]
        assert all(data.test.labels[i] == r for i in browser.indices)
        assert np.all(training.predict(net, data.test.images[browser.indices]) == c)
        assert "✗ wrong" in text(browser, "#browser-verdict")
        await pilot.press("right")
        assert browser.index == browser.indices[1 % browser.count]
        await pilot.press("m")                 # every image of this cell is a mistake: the next one
        await workers_done(pilot)
        assert browser.position == 2 % browser.count
        await pilot.press("M")
        await workers_done(pilot)
        assert browser.position == 1 % browser.count


async def test_fashion_mnist_labels_are_shown_by_name(tmp_path):
    directory = write_dataset(tmp_path / "fashion")
    fashion = mnist.load(str(directory))
    assert fashion.label_names == mnist.FASHION_NAMES
    app = TutorApp(data_dir=str(directory))
    async with app.run_test(size=SIZE) as pilot:
        explore = app.explore()
        await app.push_screen(explore)
        await workers_done(pilot)
        assert "Fashion-MNIST" in text(explore, "#explore-data")
        await pilot.press("b")
        browser = app.screen
        label = int(fashion.test.labels[0])
        assert f"{label} ({mnist.FASHION_NAMES[label]})" in text(browser, "#browser-label")
        bars = text(browser, "#browser-activations")
        assert all(name in bars for name in mnist.FASHION_NAMES)


@pytest.mark.parametrize("directory", ["mnist", "fashion-mnist"])
async def test_at_80x24_the_browser_shows_every_row_whole_with_both_marks(directory, net, tmp_path):
    """The network right: its row carries '◀ answer' and '● label'; at 80 columns the bars give them room
    (Fashion-MNIST's names take more of it), and at 100 columns they are their full 20 cells again."""
    data = mnist.load(write_dataset(tmp_path / directory))
    right = int(np.flatnonzero(training.predict(net, data.test.images) == data.test.labels)[0])
    app = TutorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        browser = BrowserScreen(net, data)
        await app.push_screen(browser)
        browser.go(right)
        for size in ((80, 24), (100, 30)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            bars = browser.query_one(Activations)
            rows = [bars.render_line(y).text.rstrip() for y in range(bars.size.height)]
            assert len(rows) == 10, rows                   # one row a class, none wrapped
            assert rows[int(data.test.labels[right])].endswith("◀ answer ● label"), rows
            assert bars.region.right <= size[0]
        name = len("0 T-shirt/top" if directory == "fashion-mnist" else "0")
        assert rows[0][name + 1 + 20 + 1:].startswith(f"{bars.values[0]:.4f}")  # at 100x30: bars of 20 cells


def screen_text(screen) -> str:
    """Every Static's text and every menu option of a screen, one a line."""
    texts = [str(static.render()) for static in screen.query(Static)]
    for menu in screen.query(OptionList):
        texts += [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
    return "\n".join(texts)


async def test_under_fashion_mnist_the_views_name_the_dataset_not_digits(tmp_path, monkeypatch):
    """`tutor --data DIR` with Fashion-MNIST (a directory named so): the texts speak of clothes, not digits."""
    directory = write_dataset(tmp_path / "fashion-mnist")
    monkeypatch.setattr(NoiseScreen, "compare", lambda self: None)   # keeps the text shown while comparing
    loaded, real_load = threading.Event(), mnist.load
    monkeypatch.setattr(mnist, "load", lambda *args, **kwargs: loaded.wait(10) and real_load(*args, **kwargs))
    app = TutorApp(data_dir=str(directory))
    async with app.run_test(size=SIZE) as pilot:
        explore = app.explore()
        await app.push_screen(explore)
        assert "MNIST" not in text(explore, "#explore-title")     # not known before the data is loaded
        loaded.set()
        await workers_done(pilot)
        shown = screen_text(explore)
        assert "Explore Fashion-MNIST" in text(explore, "#explore-title")
        assert "clothing" in text(explore, "#explore-title")
        assert "digit" not in shown.lower(), shown
        for key in "drb":
            await pilot.press(key)
            await pilot.pause()
            shown = screen_text(app.screen)
            assert "digit" not in shown.lower().replace("mnist's digits", ""), shown
            if key == "d":
                assert "Draw something" in text(app.screen, "#draw-answer")
                assert "Fashion-MNIST" in text(app.screen, "#draw-seen-text")
            if key == "r":
                assert "Comparing with real images of clothing" in text(app.screen, "#noise-compare")
            await pilot.press("escape")


async def test_digit_image_draws_half_blocks_in_greys(data):
    app = TutorApp()
    async with app.run_test(size=SIZE) as pilot:
        image = DigitImage(data.test.images[0])
        await app.screen.mount(image)
        await pilot.pause()
        line = image.render_line(7)
        assert line.text == "▀" * 28
        styles = {segment.style.color.triplet for segment in line if segment.style.color}
        assert len(styles) > 2                                  # greys, not one colour


async def test_without_colour_digits_and_weights_are_drawn_with_shades_and_dots(net, data, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = TutorApp()
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        browser = BrowserScreen(net, data)
        await app.push_screen(browser)
        await pilot.pause()
        image = browser.query_one(DigitImage)
        shaded = "\n".join(image.render_line(y).text for y in range(14))
        assert set(shaded) <= set(" ░▀▄█\n") and "█" in shaded and "▀" in shaded
        assert "█" in app.export_screenshot()                  # through the NO_COLOR filter, on screen
        signed = DigitImage(np.linspace(-1, 1, 784), signed=True)
        await browser.mount(signed)
        await pilot.pause()
        assert "●" in signed.render_line(0).text and "█" in signed.render_line(13).text
        await pilot.press("escape")
        await app.push_screen(HiddenScreen(net))
        await pilot.pause()
        assert "●" in app.export_screenshot()


async def test_lessons_open_views_by_name_through_the_explorer(monkeypatch):
    app = TutorApp(explore_run=Config(epochs=1, limit=1000, seed=0))
    async with app.run_test(size=SIZE) as pilot:
        assert not app.open_view("no-such-view")
        assert app.open_view("mnist-browser")
        await until(pilot, lambda: isinstance(app.screen, BrowserScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ExploreScreen))
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ExploreScreen))
        assert app.open_view("hidden-16")                  # the experiments lesson: 784-16-16-10's first layer
        await until(pilot, lambda: isinstance(app.screen, HiddenScreen) and app.screen.query("#hidden-grid"))
        await until(pilot, lambda: len(app.screen.thumbnails) == 16)
        assert app.screen.network.sizes == [784, 16, 16, 10]


async def test_explore_loads_a_saved_network_and_reports_a_bad_file_in_one_line(net, tmp_path):
    from tutor.engine.model_file import save_network

    path = save_network(net, tmp_path / "net.npz")
    (tmp_path / "bad.npz").write_text("not a network")
    app = TutorApp()
    async with app.run_test(size=SIZE) as pilot:
        app.trained = Trained(net, "trained on the Train screen")                      # so that nothing is trained first
        explore = app.explore()
        await app.push_screen(explore)
        await workers_done(pilot)
        await pilot.press("l")
        explore.query_one("#explore-path").value = str(tmp_path / "bad.npz")   # as if typed
        await pilot.press("enter")
        await workers_done(pilot)
        message = text(explore, "#explore-network")
        assert "Cannot explore" in message and "bad.npz" in message and "\n" not in message.strip()
        assert not explore.ready
        await pilot.press("l")
        explore.query_one("#explore-path").value = str(path)
        await pilot.press("enter")
        await workers_done(pilot)
        assert explore.ready and "loaded from" in text(explore, "#explore-network")
        assert np.array_equal(explore.network.weights[1], net.weights[1])
        await pilot.press("h")
        assert isinstance(app.screen, HiddenScreen)
