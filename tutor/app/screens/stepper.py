"""The stepper screen: one training step of a network file, one key press per quantity."""

from __future__ import annotations

import re
from pathlib import Path

from dataclasses import dataclass, replace

import numpy as np
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Sparkline, Static

from tutor.app.widgets.stepper import Stepper
from tutor.app.workers import background, failed
from tutor.classroom import served
from tutor.engine import training
from tutor.engine.mnist import Mnist
from tutor.engine.network import Network
from tutor.engine.spec import NetworkSpec
from tutor.engine.trace import Trace


def next_spec(spec: NetworkSpec, trace: Trace) -> NetworkSpec:
    """The same example on the network with the updated parameters the tracer recorded."""
    layers = range(1, len(trace.sizes))
    network = Network(trace.sizes, [trace[f"updated_w_l{l}"].value for l in layers],
                      [trace[f"updated_b_l{l}"].value for l in layers], cost=spec.network.cost)
    return replace(spec, network=network)


def free_name(stem: str, directory: Path) -> Path:
    """directory/stem (no suffix) such that neither .md nor .json exists yet."""
    n = 1
    while (directory / f"{stem}-{n}.md").exists() or (directory / f"{stem}-{n}.json").exists():
        n += 1
    return directory / f"{stem}-{n}"


class StepperScreen(Screen):
    """Wraps a Stepper and owns its keys; keeps the costs over training steps (`n`)."""

    CSS_PATH = "stepper.tcss"
    # the keys that move through the step share one label in the footer, and so do those that train more:
    # every shown key then fits at 80 columns (? and the palette list each with its own description)
    STEP = Binding.Group("Step", compact=True)
    TRAIN = Binding.Group("Train", compact=True)
    BINDINGS = [
        Binding("space,right", "next", "Next", tooltip="Compute the next quantity", id="stepper.next", group=STEP),
        Binding("left", "previous", "Back", tooltip="Undo the last quantity", id="stepper.previous", group=STEP),
        Binding("end,enter", "finish", "Finish", tooltip="Compute everything in this step (the whole example)",
                id="stepper.finish", group=STEP),
        Binding("right_square_bracket", "layer(1)", "Layer", key_display="]", id="stepper.layer_forward",
                tooltip="Compute the rest of this layer's part of the pass (] again: the next layer's)", group=STEP),
        Binding("left_square_bracket", "layer(-1)", "Layer back", show=False, key_display="[",
                id="stepper.layer_back", tooltip="Back to the end of the previous layer's part"),
        Binding("home", "start", "Start", show=False, tooltip="Back to the start of the step", id="stepper.start"),
        Binding("up", "neuron(-1)", "Neuron ↑", show=False, tooltip="Select the previous neuron of the layer",
                id="stepper.neuron_up"),
        Binding("down", "neuron(1)", "Neuron ↓", show=False, tooltip="Select the next neuron of the layer",
                id="stepper.neuron_down"),
        Binding("i", "inspect", "Inspect", tooltip="Show the selected neuron in full: its numbers so far and its "
                "whole incoming row", id="stepper.inspect"),
        Binding("g", "gradient_check", "Check", tooltip="Gradient check: nudge each parameter of the selected neuron by "
                "±ε and compare the cost's slope with backprop's ∂C/∂p", id="stepper.gradient_check"),
        Binding("n", "next_step", "Again", tooltip="Train again on the same example with the updated parameters",
                id="stepper.next_step", group=TRAIN),
        Binding("b", "batch", "Batch", id="stepper.batch", group=TRAIN,
                tooltip="Train on one mini-batch of 10 MNIST training images, then trace this image again"),
        Binding("E", "epoch", "Epoch", key_display="E", id="stepper.epoch", group=TRAIN,
                tooltip="Train one epoch over every MNIST training image (in the background), then trace again"),
        Binding("greater_than_sign", "python", "Python", key_display=">", show=False, id="stepper.python",
                tooltip="A >>> prompt over the quantities computed so far, with the article's helpers"),
        Binding("e", "edit", "Edit", tooltip="Edit input, target, step size, weights and biases", id="stepper.edit"),
        Binding("r", "reset", "Reset", show=False, tooltip="Back to the network as it was opened", id="stepper.reset"),
        Binding("s", "save", "Save", show=False, tooltip="Save the transcript as Markdown and JSON",
                id="stepper.save"),
        Binding("question_mark", "help", "Keys", tooltip="Show or hide the list of keys", id="stepper.help"),
        Binding("escape", "back", "Back to menu", show=False, tooltip="Leave the stepper", id="stepper.back"),
        Binding("q", "app.quit", "Quit", tooltip="Quit tutor", id="stepper.quit"),
    ]

    def __init__(self, spec: NetworkSpec, data: Mnist | None = None, theirs: dict | None = None,
                 at: str | None = None, **kwargs) -> None:
        """`data`: the MNIST the traced image came from; with it, b and E train on its training images.
        `theirs`: the learner's values by trace name (`tutor check`), shown beside the engine's on this step (not
        on the next one, nor after an edit: they belong to these parameters); `at`: the quantity to open at."""
        super().__init__(**kwargs)
        self.original = spec
        self.spec = spec
        self.data = data
        self.theirs = theirs
        self.at = at
        self.costs: list[float] = []
        self.save_dir = Path.cwd()
        self._cost_label = ""
        self.trained_on = 0          # MNIST training images trained on since the trace was opened (b, E)
        self.accuracy: float | None = None  # the test accuracy after the last epoch (E)
        self.batches = np.random.default_rng(0)  # which mini-batches b takes

    def compose(self):
        trace = self.spec.trace()
        self.costs = [trace["original_cost"].value]
        yield Stepper(trace, title=self.spec.title or Path(self.spec.source).name, theirs=self.theirs, id="stepper")
        with Horizontal(id="cost-row"):
            yield Static(id="cost-label")
            yield Sparkline(self.costs, id="costs")
        yield Footer(compact=True)  # compact, keys grouped (STEP, TRAIN): every shown key fits at 80 columns

    def on_mount(self) -> None:
        self.title = self.spec.title or Path(self.spec.source).name
        if self.theirs is not None:
            self.title = f"yours beside the engine's · {self.title}"
        if self.at is not None and self.at in self.stepper.trace:
            self.stepper.goto(self.at)
        self.show_costs()

    def leave_theirs(self) -> None:
        """A new trace (another step, an edit, training) is the engine's alone: the learner's values were those of
        the parameters checked. r brings them back."""
        if self.stepper.theirs is not None:
            self.notify("Your values were for the network as checked: from here the stepper shows the engine's "
                        "alone (r: back to yours beside it).")

    @property
    def stepper(self) -> Stepper:
        return self.query_one(Stepper)

    def show_costs(self) -> None:
        step = len(self.costs)
        trace = self.stepper.trace
        done = self.stepper.index == len(trace) - 1
        after = f" → C' = {trace['updated_cost'].value!r}" if done else ""
        label = f"training step {step}: C = {trace['original_cost'].value!r}{after}"
        if self.trained_on:
            accuracy = f", test accuracy {self.accuracy:.2%}" if self.accuracy is not None else ""
            label = f"after {self.trained_on:,} MNIST images{accuracy}: C = {trace['original_cost'].value!r}{after}"
        if label != self._cost_label:  # only when it changes: most key presses leave this row alone
            self._cost_label = label
            self.query_one("#cost-label", Static).update(label, layout=False)
            self.query_one(Sparkline).data = self.costs + ([trace["updated_cost"].value] if done else [])

    def on_stepper_moved(self, message: Stepper.Moved) -> None:
        self.show_costs()

    def action_next(self) -> None:
        self.stepper.forward()

    def action_previous(self) -> None:
        self.stepper.back()

    def action_start(self) -> None:
        self.stepper.home()

    def action_finish(self) -> None:
        self.stepper.end()

    def action_layer(self, direction: int) -> None:
        if direction > 0:
            self.stepper.forward_layer()
        else:
            self.stepper.back_layer()

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("batch", "epoch"):
            return self.data is not None and training.fits(self.spec.network.sizes, self.data)
        return True

    def retrace(self, network: Network, images: int, accuracy: float | None = None) -> None:
        """The same example again, on `network` trained on `images` more MNIST images."""
        self.spec = replace(self.spec, network=network)
        self.trained_on += images
        self.accuracy = accuracy if accuracy is not None else self.accuracy
        self.leave_theirs()
        trace = self.spec.trace()
        self.costs.append(trace["original_cost"].value)
        self.stepper.set_trace(trace)

    def action_batch(self) -> None:
        """One mini-batch of 10 training images, as MNIST training makes each update: cheap, on the UI thread."""
        train = self.data.train
        chosen = self.batches.choice(len(train), size=min(10, len(train)), replace=False)
        network = self.spec.network.copy()
        training.sgd(network, train.images[chosen], train.labels[chosen], 1, len(chosen), self.spec.step_size,
                     seed=0)
        self.retrace(network, len(chosen))
        self.notify(f"One mini-batch of {len(chosen)} training images (η = {self.spec.step_size:g}); this image is "
                    "traced again on the updated network.")

    @dataclass
    class EpochTrained(Message):
        network: Network
        images: int
        accuracy: float

    def action_epoch(self) -> None:
        if any(not w.is_finished for w in self.workers):
            self.notify("An epoch is already training.", severity="warning")
            return
        self.notify(f"Training one epoch over {len(self.data.train):,} images…")
        self.train_epoch(self.spec.network.copy())

    @background(exclusive=True, group="epoch")
    def train_epoch(self, network: Network) -> None:
        train, test = self.data.train, self.data.test
        training.sgd(network, train.images, train.labels, 1, 10, self.spec.step_size, seed=self.trained_on)
        accuracy = training.evaluate(network, test.images, test.labels) / len(test)
        self.post_message(self.EpochTrained(network, len(train), accuracy))

    def on_stepper_screen_epoch_trained(self, message: EpochTrained) -> None:
        self.retrace(message.network, message.images, message.accuracy)
        self.notify(f"One epoch: {message.images:,} images, test accuracy {message.accuracy:.2%}; this image is "
                    "traced again on the updated network.")

    def on_worker_state_changed(self, event) -> None:
        failed(self, event, "Training an epoch")

    def action_neuron(self, delta: int) -> None:
        self.stepper.select_neuron(delta)

    def action_inspect(self) -> None:
        from tutor.app.screens.neuron import NeuronScreen

        stepper = self.stepper
        layer = stepper.current_layer
        if layer is None or layer == 0:
            self.notify("Step to a quantity of a layer after the input first (Space): the inspector shows the "
                        "selected neuron of the layer being computed.")
            return
        j = min(stepper.selected, stepper.trace.sizes[layer] - 1)
        self.app.push_screen(NeuronScreen(stepper.trace, stepper.index, layer, j))

    def action_gradient_check(self) -> None:
        from tutor.app.screens.gradcheck import GradientCheckScreen

        stepper = self.stepper
        layer = stepper.current_layer or len(stepper.trace.sizes) - 1  # before the first layer: the output layer
        j = min(stepper.selected, stepper.trace.sizes[layer] - 1)
        self.app.push_screen(GradientCheckScreen(self.spec, layer, j))

    def action_python(self) -> None:
        from tutor.app.screens.repl import ReplScreen
        from tutor.sandbox import namespace_of

        stepper = self.stepper
        index = stepper.index
        quantities = namespace_of(stepper.trace, index) if index >= 0 else {}
        self.app.push_screen(ReplScreen(quantities, self.title))

    def action_next_step(self) -> None:
        self.leave_theirs()
        self.spec = next_spec(self.spec, self.stepper.trace)
        trace = self.spec.trace()
        self.costs.append(trace["original_cost"].value)
        self.stepper.set_trace(trace)
        self.notify(f"Training step {len(self.costs)}: the same example, with the updated weights and biases.")

    def action_reset(self) -> None:
        self.spec = self.original
        trace = self.spec.trace()
        self.costs = [trace["original_cost"].value]
        self.stepper.set_trace(trace, theirs=self.theirs)

    def action_edit(self) -> None:
        from tutor.app.screens.edit_network import EditNetworkScreen

        def edited(spec: NetworkSpec | None) -> None:
            if spec is not None:
                from tutor.app.screens.changes import ChangesScreen
                from tutor.engine.compare import changes

                before, self.spec = self.stepper.trace, spec
                self.leave_theirs()
                trace = spec.trace()
                self.costs = [trace["original_cost"].value]
                self.stepper.set_trace(trace)
                self.app.push_screen(ChangesScreen(changes(before, trace)))

        self.app.push_screen(EditNetworkScreen(self.spec), edited)

    def action_save(self) -> None:
        trace = self.stepper.trace
        stem = re.sub(r"[^A-Za-z0-9]+", "-", Path(self.spec.source).stem or "network").strip("-") or "network"
        base = free_name(f"tutor-{stem}-step{len(self.costs)}", self.save_dir)
        title = self.spec.title or stem
        markdown = (f"# {title}\n\nLayers {trace.sizes}, step size {trace.step_size!r}, training step "
                    f"{len(self.costs)}.\n\n```python\n{trace.transcript()}\n```\n")
        if served():  # the classroom: to the student's browser as a download, nothing on the teacher's disk
            import io

            self.app.deliver_text(io.StringIO(markdown), save_filename=base.with_suffix(".md").name)
            self.notify(f"The transcript is downloaded by your browser as {base.with_suffix('.md').name}.")
            return
        try:
            base.with_suffix(".md").write_text(markdown, encoding="utf-8")
            base.with_suffix(".json").write_text(trace.to_json(indent=2) + "\n", encoding="utf-8")
        except OSError as e:
            self.notify(f"Could not save to {base.parent}: {e.strerror}", severity="error")
            return
        self.notify(f"Saved {base.name}.md and {base.name}.json in {base.parent}", title="Transcript saved")

    def action_help(self) -> None:
        if self.query("HelpPanel"):
            self.app.action_hide_help_panel()
        else:
            self.app.action_show_help_panel()

    def action_back(self) -> None:
        if self.query("HelpPanel"):
            self.app.action_hide_help_panel()
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()
