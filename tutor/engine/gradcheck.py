"""The gradient check: nudge one weight (or bias) by ±ε, run the network forward again, and compare the slope of the
cost, (C(w + ε) − C(w − ε)) / 2ε, with the ∂C/∂w that backpropagation computed. It is how anyone can see that
backprop's numbers are right without trusting the formulas."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tutor.engine.network import Network, cost

EPSILON = 1e-5  # small enough that the slope is close to the derivative, large enough that C(w±ε) still differ


@dataclass(frozen=True)
class GradientCheck:
    """One parameter's check: its name (e.g. "w_l2[0][0]"), value and nudge, the two costs, and both slopes."""

    name: str
    value: float
    epsilon: float
    cost_plus: float
    cost_minus: float
    numeric: float
    backprop: float

    @property
    def agreeing_figures(self) -> int:
        """How many significant figures the two slopes share (15 or more: as equal as floats get)."""
        if self.numeric == self.backprop:
            return 16
        scale = max(abs(self.numeric), abs(self.backprop))
        if scale == 0:
            return 16
        relative = abs(self.numeric - self.backprop) / scale
        return max(0, min(16, int(-math.log10(relative))))


def check(network: Network, x, y, param: str, layer: int, j: int, k: int = 0,
          epsilon: float = EPSILON) -> GradientCheck:
    """The check of w_l{layer}[j][k] (param "w") or b_l{layer}[j] (param "b") on the example (x, y), in float64.
    The network is left as it was."""
    net = Network(network.sizes, network.weights, network.biases)  # a float64 copy to nudge
    x = np.asarray(x, dtype=np.float64).reshape(-1, 1)
    y = np.asarray(y, dtype=np.float64).reshape(-1, 1)
    params = (net.weights if param == "w" else net.biases)[layer - 1]
    index = (j, k) if param == "w" else (j, 0)
    grads = net.backprop(x, y)
    backprop = float((grads.dc_dw if param == "w" else grads.dc_db)[layer][index])
    value = float(params[index])
    params[index] = value + epsilon
    plus = cost(net.feedforward(x), y)
    params[index] = value - epsilon
    minus = cost(net.feedforward(x), y)
    params[index] = value
    name = f"{param}_l{layer}" if params.size == 1 else f"w_l{layer}[{j}][{k}]" if param == "w" else f"b_l{layer}[{j}]"
    return GradientCheck(name, value, epsilon, plus, minus, (plus - minus) / (2 * epsilon), backprop)


def neuron_checks(network: Network, x, y, layer: int, j: int, limit: int = 12,
                  epsilon: float = EPSILON) -> list[GradientCheck]:
    """The check of neuron j of `layer`: its bias and its incoming weights (the `limit` largest slopes first
    when it has more)."""
    grads = Network(network.sizes, network.weights, network.biases).backprop(
        np.asarray(x, dtype=np.float64).reshape(-1, 1), np.asarray(y, dtype=np.float64).reshape(-1, 1))
    row = np.abs(grads.dc_dw[layer][j])
    ks = range(len(row)) if len(row) <= limit - 1 else np.argsort(-row, kind="stable")[: limit - 1]
    return [check(network, x, y, "b", layer, j, epsilon=epsilon)] + \
        [check(network, x, y, "w", layer, j, int(k), epsilon) for k in ks]
