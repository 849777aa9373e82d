"""In the child: the learner's quantities, recorded. Their helpers called on their own on the engine's operands;
their Network constructed with the engine's weights and run on the engine's example, its quantities read where
their code keeps them (the article's self.z/self.a/self.b/self.w, Nielsen's backprop locals and return value) or
caught on their way through the module's helpers, wrapped in recorders for the backward pass."""

from __future__ import annotations

import sys

import numpy as np

from tutor.check.child import CallFailed, Child, packed, unpacked
from tutor.check.quantities import helper_calls

ARTICLE = ("feed_forward", "propagate_backward")
NIELSEN = ("backprop", "update_mini_batch")
NIELSEN_BATCH = 3  # Nielsen's update_mini_batch gets the example 3 times: a missing / len(mini_batch) shows


def shape_of(child: Child) -> str:
    """"article" or "nielsen"; CallFailed(kind missing) naming what is not there and what it must do."""
    cls = getattr(child.module, "Network", None)
    if not isinstance(cls, type):
        raise CallFailed({"kind": "missing", "line": "class Network", "what": "class Network: the article's "
                          "(__init__(self, layers, **kw), feed_forward(self, inputs), propagate_backward(self, y, "
                          "step_size)) or Nielsen's (backprop(self, x, y), update_mini_batch(self, mini_batch, eta))"})
    for shape, methods in (("article", ARTICLE), ("nielsen", NIELSEN)):
        if all(callable(getattr(cls, m, None)) for m in methods):
            return shape
    if any(callable(getattr(cls, m, None)) for m in NIELSEN):
        missing = next(m for m in NIELSEN if not callable(getattr(cls, m, None)))
        what = {"backprop": "backprop(self, x, y): returns (nabla_b, nabla_w), ∂C/∂b and ∂C/∂w of each layer",
                "update_mini_batch": "update_mini_batch(self, mini_batch, eta): one step of gradient descent on "
                                     "the mean gradient of a list of (x, y)"}[missing]
    else:
        missing = next(m for m in ARTICLE if not callable(getattr(cls, m, None)))
        what = {"feed_forward": "feed_forward(self, inputs): sets self.z and self.a, one J x 1 column per layer "
                                "(index 0: a placeholder and the inputs)",
                "propagate_backward": "propagate_backward(self, y, step_size): one step of gradient descent, "
                                      "updating self.b and self.w"}[missing]
    raise CallFailed({"kind": "missing", "line": f"Network.{missing}", "what": f"Network.{what}"})


def record(child: Child, request: dict) -> None:
    shape = shape_of(child)
    child.say(shape=shape)
    for i, network in enumerate(request["networks"]):
        values = unpacked(network["values"])
        child.say(network=i, helpers=helpers(child, network, values))
    for i, network in enumerate(request["networks"]):
        run = Run(child, network)
        try:
            (run.article if shape == "article" else run.nielsen)()
        except CallFailed as failed:
            run.failure = failed.info
        child.say(network=i, run={"values": run.values, "seen": run.seen, "failure": run.failure,
                                  "phase": run.phase})


def helpers(child: Child, network: dict, values: dict) -> list[dict]:
    """Each helper the file has, called on its own on the engine's operands."""
    out, L = [], len(network["layers"]) - 1
    for helper, name, call, operands in helper_calls(L):
        function, called = child.function(helper), helper
        if function is None and helper == "raw_activation":
            function, called = child.function("z"), "z"
        if function is None:
            continue
        call = call.replace("raw_activation(", f"{called}(")
        entry = {"helper": called, "name": name, "call": call}
        try:
            entry["value"] = packed(child.guarded(f"{call} on {network['label']}", function,
                                                  *[np.array(values[o], dtype=float) for o in operands]))
        except CallFailed as failed:
            entry["failure"] = failed.info
        out.append(entry)
    return out


class Recording:
    """The module's helpers replaced, while a pass runs, by wrappers noting each top-level call's arguments and
    result in order."""

    def __init__(self, child: Child, names=("dc_db", "dc_dw", "dc_da_prev")):
        self.module, self.calls, self.depth = child.module, [], 0
        self.originals = {n: getattr(self.module, n) for n in names if callable(getattr(self.module, n, None))}

    def __enter__(self):
        for name, function in self.originals.items():
            setattr(self.module, name, self._wrapped(name, function))
        return self

    def __exit__(self, *exc):
        for name, function in self.originals.items():
            setattr(self.module, name, function)

    def _wrapped(self, name, function):
        def recorder(*args, **kwargs):
            top = self.depth == 0
            self.depth += 1
            try:
                result = function(*args, **kwargs)
            finally:
                self.depth -= 1
            if top:
                self.calls.append((name, args, result))
            return result
        recorder.__wrapped__ = function
        return recorder

    def results(self, name: str) -> list:
        return [(args, result) for n, args, result in self.calls if n == name]


class Run:
    """One network of the request through the learner's Network: `values` by trace name, `seen` the names read
    directly, `failure` the call that did not return (and `phase`, the pass it was in)."""

    def __init__(self, child: Child, network: dict):
        self.child, self.network = child, network
        self.L = len(network["layers"]) - 1
        self.label = network["label"]
        self.w = [np.array(v, dtype=float) for v in unpacked(dict(enumerate(network["w"]))).values()]
        self.b = [np.array(v, dtype=float) for v in unpacked(dict(enumerate(network["b"]))).values()]
        given = unpacked({"x": network["x"], "y": network["y"]})
        self.x, self.y = np.asarray(given["x"]).reshape(-1, 1), np.asarray(given["y"]).reshape(-1, 1)
        self.step_size = float(network["step_size"])
        self.values, self.seen, self.failure, self.phase = {}, [], None, "setup"

    def keep(self, name: str, value) -> None:
        self.values[name] = packed(value)
        self.seen.append(name)

    def call(self, what: str, function, *args, **kwargs):
        return self.child.guarded(f"{what} on {self.label}", function, *args, **kwargs)

    def cost(self, name: str, a) -> None:
        cost = self.child.function("cost")
        if cost is not None and a is not None:
            self.keep(name, self.call(f"cost(a_l{self.L}, y)", cost, np.array(a, dtype=float), self.y.copy()))

    # -- the article's shape -----------------------------------------------------------------------------------

    def article(self) -> None:
        layers = list(self.network["layers"])
        net = self.call(f"Network({layers}, b=…, w=…)", self.child.module.Network, layers,
                        b=[b.copy() for b in self.b], w=[w.copy() for w in self.w])
        self.given(net, "b", "w", start=1)
        self.phase = "forward"
        try:
            self.call("feed_forward(inputs)", net.feed_forward, [float(v) for v in self.x.ravel()])
        finally:
            self.layers(net, "z", "a", "")
        self.cost("original_cost", self.read(net, "a", self.L))
        self.phase = "backward"
        with Recording(self.child) as recording:
            try:
                self.call("propagate_backward(y, step_size)", net.propagate_backward,
                          [float(v) for v in self.y.ravel()], self.step_size)
            finally:
                self.backward(recording)
        self.phase = "update"
        for l in range(self.L, 0, -1):
            for attribute, name in (("b", "updated_b"), ("w", "updated_w")):
                value = self.read(net, attribute, l)
                if value is not None:
                    self.keep(f"{name}_l{l}", value)
        self.phase = "after"
        try:
            self.call("feed_forward(inputs) after the update", net.feed_forward, [float(v) for v in self.x.ravel()])
        finally:
            self.layers(net, "z", "a", "updated_")
        self.cost("updated_cost", self.read(net, "a", self.L))

    def given(self, net, b: str, w: str, start: int) -> None:
        """CallFailed(setup) if the network does not hold the weights and biases it was given."""
        for attribute, expected in ((b, self.b), (w, self.w)):
            kept = getattr(net, attribute, None)
            for l, value in enumerate(expected, start=1):
                try:
                    same = np.array_equal(np.asarray(kept[l - 1 + start], dtype=float), value)
                except Exception:  # not a list, too short, not numbers
                    same = False
                if not same:
                    raise CallFailed({"kind": "setup", "what": f"Network(...) on {self.label}",
                                      "line": f"after Network({list(self.network['layers'])}, b=…, w=…), "
                                              f"self.{attribute}[{l - 1 + start}] is not the {attribute} it was "
                                              f"given for layer {l}: __init__ must keep the b= and w= it gets"})

    @staticmethod
    def read(net, attribute: str, index: int):
        """net.attribute[index] (net a dict: net[attribute][index]), or None where there is none."""
        try:
            container = net.get(attribute) if isinstance(net, dict) else getattr(net, attribute)
            return container[index]
        except Exception:  # no such attribute, not a list, or too short: not seen
            return None

    def layers(self, net, z: str, a: str, prefix: str) -> None:
        for l in range(1, self.L + 1):
            for attribute, name in ((z, f"{prefix}z_l{l}"), (a, f"{prefix}a_l{l}")):
                value = self.read(net, attribute, l)
                if value is not None:
                    self.keep(name, value)

    def backward(self, recording: Recording) -> None:
        """dc_da_lL (the argument of the first dc_db), then dc_db_l, dc_dw_l, dc_da_l(l-1) from layer L down: the
        k-th call of each helper belongs to layer L - k."""
        found = {}
        for k, (args, result) in enumerate(recording.results("dc_db")):
            if k == 0 and len(args) > 1:
                found[f"dc_da_l{self.L}"] = args[1]
            found[f"dc_db_l{self.L - k}"] = result
        for k, (args, result) in enumerate(recording.results("dc_dw")):
            found[f"dc_dw_l{self.L - k}"] = result
        for k, (args, result) in enumerate(recording.results("dc_da_prev")):
            found[f"dc_da_l{self.L - k - 1}"] = result
        for name, value in found.items():
            if not name.endswith("_l0") and int(name.rsplit("_l", 1)[1]) >= 1:
                self.keep(name, value)

    # -- Nielsen's shape ---------------------------------------------------------------------------------------

    def nielsen(self) -> None:
        layers = list(self.network["layers"])
        net = self.call(f"Network({layers})", self.child.module.Network, layers)
        net.biases, net.weights = [b.copy() for b in self.b], [w.copy() for w in self.w]
        self.phase = "forward"
        self.backprop(net, "")
        self.phase = "update"
        self.call(f"update_mini_batch([(x, y)] * {NIELSEN_BATCH}, eta)", net.update_mini_batch,
                  [(self.x.copy(), self.y.copy()) for _ in range(NIELSEN_BATCH)], self.step_size)
        for l in range(self.L, 0, -1):
            for attribute, name in (("biases", "updated_b"), ("weights", "updated_w")):
                value = self.read(net, attribute, l - 1)
                if value is not None:
                    self.keep(f"{name}_l{l}", value)
        self.phase = "after"
        self.backprop(net, "updated_")

    def backprop(self, net, prefix: str) -> None:
        """backprop(x, y), its locals zs and activations read as it returns; its result is ∂C/∂b, ∂C/∂w."""
        code = getattr(type(net).backprop, "__code__", None)
        seen: dict = {}

        def profile(frame, event, arg):
            if event == "return" and frame.f_code is code:
                seen.update({k: frame.f_locals.get(k) for k in ("zs", "activations")})

        derivative = getattr(net, "cost_derivative", None)
        calls = []
        if callable(derivative):
            net.cost_derivative = lambda *args: calls.append(derivative(*args)) or calls[-1]
        sys.setprofile(profile)
        try:
            result = self.call("backprop(x, y)" + (" after the update" if prefix else ""), net.backprop,
                               self.x.copy(), self.y.copy())
        finally:
            sys.setprofile(None)
            if callable(derivative):
                del net.cost_derivative
            for l in range(1, self.L + 1):
                for local, name, index in (("zs", f"{prefix}z_l{l}", l - 1), ("activations", f"{prefix}a_l{l}", l)):
                    value = self.read(seen, local, index)
                    if value is not None:
                        self.keep(name, value)
        if prefix:
            self.cost("updated_cost", self.read(seen, "activations", self.L))
            return
        self.cost("original_cost", self.read(seen, "activations", self.L))
        self.phase = "backward"
        if calls:
            self.keep(f"dc_da_l{self.L}", calls[0])
        try:
            nabla_b, nabla_w = result
            nabla_b, nabla_w = list(nabla_b), list(nabla_w)
        except Exception:
            raise CallFailed({"kind": "setup", "what": f"backprop(x, y) on {self.label}",
                              "line": "backprop(x, y) must return a pair (nabla_b, nabla_w), lists of ∂C/∂b and "
                                      f"∂C/∂w per layer; it returned {type(result).__name__}"}) from None
        for l in range(self.L, 0, -1):
            if l - 1 < len(nabla_b):
                self.keep(f"dc_db_l{l}", nabla_b[l - 1])
            if l - 1 < len(nabla_w):
                self.keep(f"dc_dw_l{l}", nabla_w[l - 1])
