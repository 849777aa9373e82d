"""One training step recorded as the article's named quantities, in the order they are computed.

The numbers come from Network.backprop and Network.update, the same code that trains on MNIST; this
module only names them, orders them as the article's REPL session does, and renders them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np

from tutor.engine.network import Network, cost_of
from tutor.errors import InputError

# What a trace may hold, measured with `tutor trace --json` on 784-H-10 networks (parameters: seconds, output, memory):
# H=30 (23,860): 0.6 s, 1.6 MB, 46 MB; H=300 (238,510): 1.9 s, 15 MB, 100 MB; H=1000 (795,010): 4.7 s, 52 MB,
# 250 MB; 10 million: 642 MB, 2.7 GB. The stepper is for small networks; 784-300-10 is the largest it takes.
MAX_PARAMETERS = 250_000

PHASES = ("forward", "cost", "backward", "update", "updated forward")


@dataclass(frozen=True)
class Entry:
    """One named quantity: its value (J x 1 or J x K, or a float for costs and the step size),
    the formula in symbols, the article's Python that computes it, and the entries it was computed from."""

    name: str
    value: np.ndarray | float
    formula: str
    code: str
    operands: tuple[str, ...] = ()
    phase: str = "forward"
    layer: int | None = None
    given: bool = False

    @property
    def shape(self) -> tuple[int, ...]:
        return np.shape(self.value)

    @property
    def is_scalar(self) -> bool:
        return np.size(self.value) == 1

    @property
    def scalar(self) -> float:
        """The value as a Python float (for 1 x 1 quantities)."""
        return float(np.asarray(self.value).reshape(-1)[0])

    def text(self) -> str:
        """The value as the article's REPL prints it: scalars as Python floats, matrices as arrays."""
        return repr(self.scalar) if self.is_scalar else repr(np.asarray(self.value))

    def json_value(self):
        if isinstance(self.value, float):
            return self.value
        return np.asarray(self.value).tolist()

    def transcript(self) -> str:
        if self.given:
            return f">>> {self.name} = {self.text()}"
        return f">>> {self.name} = {self.code}\n>>> {self.name}\n{self.text()}"


@dataclass
class Trace:
    """The ordered entries of one training step on one example."""

    sizes: list[int]
    step_size: float
    entries: list[Entry] = field(default_factory=list)
    cost: str = "quadratic"

    def __post_init__(self):
        self._index = {e.name: i for i, e in enumerate(self.entries)}

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def __getitem__(self, key: int | str) -> Entry:
        return self.entries[self._index[key] if isinstance(key, str) else key]

    def __contains__(self, name: str) -> bool:
        return name in self._index

    def index(self, name: str) -> int:
        return self._index[name]

    @property
    def names(self) -> list[str]:
        return [e.name for e in self.entries]

    @property
    def output_layer(self) -> int:
        return len(self.sizes) - 1

    def value(self, name: str):
        return self[name].value

    def transcript(self, upto: int | None = None) -> str:
        """The article's REPL session, through entry `upto` (inclusive) or whole."""
        entries = self.entries if upto is None else self.entries[: upto + 1]
        return "\n".join(e.transcript() for e in entries)

    def to_dict(self) -> dict:
        extra = {} if self.cost == "quadratic" else {"cost": self.cost}  # the article's default is left unsaid
        return {
            "layers": self.sizes,
            "step_size": self.step_size,
            **extra,
            "values": {e.name: e.json_value() for e in self.entries},
            "steps": [
                {"name": e.name, "phase": e.phase, "layer": e.layer, "given": e.given,
                 "formula": e.formula, "code": e.code, "operands": list(e.operands),
                 "shape": list(e.shape)}
                for e in self.entries
            ],
        }

    def to_json(self, indent: int | None = None) -> str:
        """Standard JSON: InputError naming the first quantity that is not a finite number (JSON has no NaN or inf)."""
        for e in self.entries:
            if not np.all(np.isfinite(e.value)):
                raise InputError(f"{e.name} is not finite (the step overflowed), which JSON cannot hold; "
                                 "a smaller step_size or smaller values keep it finite")
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)


def check_traceable(sizes: list[int], where: str = "network") -> None:
    """InputError if a network of these layer sizes is too large to trace (MAX_PARAMETERS)."""
    count = sum(j * k + j for k, j in zip(sizes[:-1], sizes[1:]))
    if count > MAX_PARAMETERS:
        raise InputError(f"{where}: {count:,} weights and biases are too many to trace step by step (at most "
                         f"{MAX_PARAMETERS:,}; 784-30-10 has 23,860)",
                         field="layers")


def trace_step(network: Network, x, y, step_size: float, lmbda: float = 0.0, n: int = 1) -> Trace:
    """Run one training step on one example (x, y as columns or flat lists) on a copy of the
    network and record every quantity. The network passed in is left unchanged. InputError if it is too large to
    trace (check_traceable). With the cross-entropy cost, the cost and the output layer's ∂C/∂a and ∂C/∂b follow
    it; with L2 regularisation (lmbda > 0, n training images), the weights decay by 1 − η·λ/n before the step."""
    check_traceable(network.sizes)
    net = network.copy(np.float64)  # float64, whatever it trained in
    ce = net.cost == "cross-entropy"
    decay = 1.0 - step_size * lmbda / n if lmbda else 1.0
    x = np.asarray(x, dtype=np.float64).reshape(-1, 1)
    y = np.asarray(y, dtype=np.float64).reshape(-1, 1)
    before = net.copy()
    with np.errstate(all="ignore"):  # an overflow shows in the trace as inf or nan, not as a warning on stderr
        step = net.train_step(x, y, step_size, decay=decay)
        after = net.backprop(x, y)
    L = net.num_layers - 1
    out: list[Entry] = []
    add = out.append

    add(Entry("a_l0", x, "a_l0 = x (the input)", "", phase="forward", layer=0, given=True))
    for l in range(1, L + 1):
        add(Entry(f"w_l{l}", before.weights[l - 1], f"w_l{l}: weights of layer {l}", "", phase="forward", layer=l, given=True))
        add(Entry(f"b_l{l}", before.biases[l - 1], f"b_l{l}: biases of layer {l}", "", phase="forward", layer=l, given=True))
        add(Entry(f"z_l{l}", step.zs[l], f"z_l{l} = w_l{l} · a_l{l-1} + b_l{l}", f"z(w_l{l}, a_l{l-1}, b_l{l})",
                  (f"w_l{l}", f"a_l{l-1}", f"b_l{l}"), "forward", l))
        add(Entry(f"a_l{l}", step.activations[l], f"a_l{l} = σ(z_l{l})", f"sigmoid(z_l{l})", (f"z_l{l}",), "forward", l))

    add(Entry("y", y, "y: the target output", "", phase="cost", layer=L, given=True))
    if ce:
        add(Entry("original_cost", cost_of(net.cost, step.zs[L], step.activations[L], y),
                  f"C = −Σ [y ln σ(z_l{L}) + (1 − y) ln(1 − σ(z_l{L}))]", f"cross_entropy(z_l{L}, y)",
                  (f"z_l{L}", "y"), "cost", L))
        add(Entry(f"dc_da_l{L}", step.dc_da[L], f"∂C/∂a_l{L} = (a_l{L} − y) / (a_l{L}(1 − a_l{L}))",
                  f"(a_l{L} - y) / (a_l{L} * (1 - a_l{L}))", (f"a_l{L}", "y"), "backward", L))
    else:
        add(Entry("original_cost", cost_of(net.cost, step.zs[L], step.activations[L], y), f"C = ½ Σ (a_l{L} − y)²",
                  f"cost(a_l{L}, y)", (f"a_l{L}", "y"), "cost", L))
        add(Entry(f"dc_da_l{L}", step.dc_da[L], f"∂C/∂a_l{L} = a_l{L} − y", f"a_l{L} - y", (f"a_l{L}", "y"),
                  "backward", L))
    # η is given where the article's session gives it, as the backward pass begins: its phase is that pass's (the
    # phase bar showed "update" for it, then "backward" again for the next quantity)
    add(Entry("step_size", float(step_size), "η: the step size", "", phase="backward", given=True))
    if lmbda:
        add(Entry("lmbda", float(lmbda), "λ: the regularisation parameter", "", phase="backward", given=True))
        add(Entry("n", float(n), "n: the number of training images", "", phase="backward", given=True))
        add(Entry("weight_decay", decay, "(1 − ηλ/n) = 1 − η·λ / n  (each weight shrinks by it before its step)",
                  "1 - step_size * lmbda / n", ("step_size", "lmbda", "n"), "backward"))  # its phase: as η's

    for l in range(L, 0, -1):
        if ce and l == L:
            add(Entry(f"dc_db_l{l}", step.dc_db[l], f"∂C/∂b_l{l} = a_l{l} − y  (σ'(z_l{l}) cancelled: the cross-entropy "
                      "cost)", f"a_l{l} - y", (f"a_l{l}", "y"), "backward", l))
        else:
            add(Entry(f"dc_db_l{l}", step.dc_db[l], f"∂C/∂b_l{l} = σ'(z_l{l}) ⊙ ∂C/∂a_l{l}",
                      f"dc_db(z_l{l}, dc_da_l{l})", (f"z_l{l}", f"dc_da_l{l}"), "backward", l))
        add(Entry(f"dc_dw_l{l}", step.dc_dw[l], f"∂C/∂w_l{l} = ∂C/∂b_l{l} · a_l{l-1}ᵀ",
                  f"dc_dw(a_l{l-1}, dc_db_l{l})", (f"a_l{l-1}", f"dc_db_l{l}"), "backward", l))
        if l > 1:
            add(Entry(f"dc_da_l{l-1}", step.dc_da[l - 1], f"∂C/∂a_l{l-1} = w_l{l}ᵀ · ∂C/∂b_l{l}",
                      f"dc_da_prev(w_l{l}, dc_db_l{l})", (f"w_l{l}", f"dc_db_l{l}"), "backward", l - 1))
        add(Entry(f"updated_b_l{l}", net.biases[l - 1], f"b_l{l}' = b_l{l} − ∂C/∂b_l{l} × η",
                  f"b_l{l} - dc_db_l{l} * step_size", (f"b_l{l}", f"dc_db_l{l}", "step_size"), "update", l))
        if lmbda:
            add(Entry(f"updated_w_l{l}", net.weights[l - 1], f"w_l{l}' = (1 − ηλ/n)·w_l{l} − ∂C/∂w_l{l} × η",
                      f"weight_decay * w_l{l} - dc_dw_l{l} * step_size",
                      ("weight_decay", f"w_l{l}", f"dc_dw_l{l}", "step_size"), "update", l))
        else:
            add(Entry(f"updated_w_l{l}", net.weights[l - 1], f"w_l{l}' = w_l{l} − ∂C/∂w_l{l} × η",
                      f"w_l{l} - dc_dw_l{l} * step_size", (f"w_l{l}", f"dc_dw_l{l}", "step_size"), "update", l))

    for l in range(1, L + 1):
        a_prev = "a_l0" if l == 1 else f"updated_a_l{l-1}"
        a_prev_symbol = "a_l0" if l == 1 else f"a_l{l-1}'"
        add(Entry(f"updated_z_l{l}", after.zs[l], f"z_l{l}' = w_l{l}' · {a_prev_symbol} + b_l{l}'",
                  f"z(updated_w_l{l}, {a_prev}, updated_b_l{l})", (f"updated_w_l{l}", a_prev, f"updated_b_l{l}"),
                  "updated forward", l))
        add(Entry(f"updated_a_l{l}", after.activations[l], f"a_l{l}' = σ(z_l{l}')", f"sigmoid(updated_z_l{l})",
                  (f"updated_z_l{l}",), "updated forward", l))
    if ce:
        add(Entry("updated_cost", cost_of(net.cost, after.zs[L], after.activations[L], y),
                  f"C' = −Σ [y ln σ(z_l{L}') + (1 − y) ln(1 − σ(z_l{L}'))]", f"cross_entropy(updated_z_l{L}, y)",
                  (f"updated_z_l{L}", "y"), "updated forward", L))
    else:
        add(Entry("updated_cost", cost_of(net.cost, after.zs[L], after.activations[L], y), f"C' = ½ Σ (a_l{L}' − y)²",
                  f"cost(updated_a_l{L}, y)", (f"updated_a_l{L}", "y"), "updated forward", L))
    return Trace(list(net.sizes), float(step_size), out, net.cost)
