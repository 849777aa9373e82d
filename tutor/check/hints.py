"""Three hints for every quantity of the trace and every helper of the article, from gentle to the answer."""

from __future__ import annotations

import re
from typing import Sequence

QUANTITY = re.compile(r"(updated_)?(z|a|w|b|dc_da|dc_db|dc_dw|sigmoid_prime)_l(\d+)")
HELPERS = ("sigmoid", "sigmoid_prime", "raw_activation", "z", "dc_db", "dc_dw", "dc_da_prev", "cost")


def parse(name: str) -> tuple[str, int | None, bool]:
    """A trace name as (kind, layer, updated): "updated_w_l2" → ("w", 2, True), "original_cost" → ("cost", None,
    False), "updated_cost" → ("cost", None, True); other names (y, step_size, helpers) → (name, None, False)."""
    if name in ("original_cost", "updated_cost"):
        return "cost", None, name == "updated_cost"
    m = QUANTITY.fullmatch(name)
    if m is None:
        return name, None, False
    return m.group(2), int(m.group(3)), bool(m.group(1))


def symbol(name: str) -> str:
    """The article's symbol of a trace quantity: dc_dw_l2 → ∂C/∂w_l2, updated_b_l1 → b_l1′, original_cost → C."""
    kind, layer, updated = parse(name)
    if kind == "cost":
        return "C′" if updated else "C"
    if name == "step_size":
        return "η"
    if layer is None:
        return name
    if kind == "sigmoid_prime":
        return f"σ′(z_l{layer})"
    base = f"∂C/∂{kind[-1]}_l{layer}" if kind.startswith("dc_d") else f"{kind}_l{layer}"
    return base + ("′" if updated else "")


def _prev(layer: int, updated: bool) -> str:
    """The activation a layer's z takes: a_l0 (the input, never updated), else a_l(l-1), primed after the update."""
    return "a_l0" if layer == 1 else f"a_l{layer - 1}" + ("′" if updated else "")


def formula(name: str, output_layer: int | None = None) -> str:
    """The formula of a trace quantity in symbols, its layer filled in: "∂C/∂w_l2 = ∂C/∂b_l2 · a_l1ᵀ". For ∂C/∂a
    the output layer decides which of the two formulas; unknown (None), both are given."""
    kind, l, updated = parse(name)
    s, p = symbol(name), "′" if updated else ""
    if kind == "cost":
        return f"{s} = ½ Σ (a_l{output_layer if output_layer else 'L'}{p} − y)²"
    if l is None:
        return s
    if kind == "z":
        return f"{s} = w_l{l}{p} · {_prev(l, updated)} + b_l{l}{p}"
    if kind == "a":
        return f"{s} = σ(z_l{l}{p})"
    if kind == "sigmoid_prime":
        return f"{s} = σ(z_l{l}) (1 − σ(z_l{l})) = a_l{l} (1 − a_l{l})"
    if kind in ("w", "b") and updated:
        return f"{s} = {kind}_l{l} − η · ∂C/∂{kind}_l{l}"
    if kind == "dc_db":
        return f"{s} = σ′(z_l{l}) ⊙ ∂C/∂a_l{l}"
    if kind == "dc_dw":
        return f"{s} = ∂C/∂b_l{l} · a_l{l - 1}ᵀ"
    if kind == "dc_da":
        output, hidden = f"{s} = a_l{l} − y", f"{s} = w_l{l + 1}ᵀ · ∂C/∂b_l{l + 1}"
        if output_layer is None:
            return f"{output} (output layer), {hidden} (hidden layer)"
        return output if l == output_layer else hidden
    return s


def _size(sizes: Sequence[int] | None, layer: int) -> str | None:
    return str(sizes[layer]) if sizes is not None and 0 <= layer < len(sizes) else None


def _column(sizes, layer: int) -> str:
    n = _size(sizes, layer)
    return f"a {n}x1 column" if n else f"a column (one number per neuron of layer {layer})"


def _row(sizes, layer: int) -> str:
    n = _size(sizes, layer)
    return f"a 1x{n} row" if n else f"a row (one number per neuron of layer {layer})"


def _matrix(sizes, layer: int, turned: bool = False) -> str:
    """A layer's weight matrix in words: "a 2x3 matrix" (turned over: "a 3x2 matrix"), or its layout unknown sizes."""
    j, k = _size(sizes, layer), _size(sizes, layer - 1)
    if turned:
        j, k = k, j
    if j and k:
        return f"a {j}x{k} matrix"
    rows, cols = (layer - 1, layer) if turned else (layer, layer - 1)
    return f"a matrix (one row per neuron of layer {rows}, one column per neuron of layer {cols})"


def _layout(layer: int) -> str:
    return f"one row per neuron of layer {layer}, one column per neuron of layer {layer - 1}"


HELPER_HINTS = {
    "sigmoid": ("The activation function: it squashes any number into (0, 1), the article's first helper.",
                "σ(z) = 1 / (1 + e^−z), element by element (mind the minus sign in the exponent).",
                "def sigmoid(z): return 1.0/(1.0+np.exp(-z))"),
    "sigmoid_prime": ("The slope of σ at z: how much a changes when z does (the backward pass multiplies by it).",
                      "σ′(z) = σ(z) (1 − σ(z)): σ′ of z, not of a = σ(z).",
                      "def sigmoid_prime(z): return sigmoid(z)*(1-sigmoid(z))"),
    "raw_activation": ("The raw activation z of a layer, before σ: the weighted sum of the previous layer's "
                       "activations plus the bias.",
                       "z = w · a_prev + b: a matrix product (J x K times K x 1) plus a J x 1 column.",
                       "def raw_activation(w, a, b): return np.dot(w,a) + b"),
    "dc_db": ("How the cost changes with a layer's biases: the error of the layer, the backward pass's first step at "
              "each layer.",
              "∂C/∂b = σ′(z) ⊙ ∂C/∂a: element by element, σ′ of z (not of a).",
              "def dc_db(z, dc_da): return sigmoid_prime(z) * dc_da"),
    "dc_dw": ("How the cost changes with a layer's weights: weight [j][k] joins neuron k of the layer before to "
              "neuron j.",
              "∂C/∂w = ∂C/∂b · a_prevᵀ: a J x 1 column times a 1 x K row gives a J x K matrix, the shape of w.",
              "def dc_dw(a_prev, dc_db): return np.dot(dc_db, a_prev.transpose())"),
    "dc_da_prev": ("How the cost changes with the previous layer's activations: the error sent one layer back, "
                   "with the weights as they were before this step's update.",
                   "∂C/∂a_prev = wᵀ · ∂C/∂b: a K x J matrix times a J x 1 column gives K x 1.",
                   "def dc_da_prev(w, dc_db): return np.dot(w.transpose(), dc_db)"),
    "cost": ("The quadratic cost: how far the output is from the target (the article's cost(a, y)).",
             "C = ½ Σ_j (a_j − y_j)²: the ½ makes its derivative a − y.",
             "def cost(a, y): return 0.5 * np.sum((a - y)**2)  (the article's 0.5 * (a - y)**2, summed over the "
             "output neurons)"),
}
HELPER_HINTS["z"] = (HELPER_HINTS["raw_activation"][0], HELPER_HINTS["raw_activation"][1],
                     "def z(w, a, b): return np.dot(w, a) + b  (the article's raw_activation)")


def hints(name: str, *, sizes: Sequence[int] | None = None) -> tuple[str, str, str]:
    """Three hints for a trace quantity or a helper: 1) what it means and where in the article, 2) the formula in
    symbols with the layer filled in and the shapes, 3) the article's code. `sizes` (the network's layer sizes)
    fills in the shapes and tells the output layer; without it the shapes are said in words. ValueError for a name
    that is neither."""
    if name in HELPER_HINTS:
        return HELPER_HINTS[name]
    kind, l, updated = parse(name)
    output = len(sizes) - 1 if sizes else None
    f = formula(name, output)
    p, u = ("′", "updated_") if updated else ("", "")
    if kind == "cost":
        last = output or "L"
        return ((f"The cost {'after' if updated else 'before'} the update: how far the output a_l{last}{p} is from "
                 "the target y" + (" once every weight and bias has moved (it should be smaller)." if updated
                                   else " (the article's cost section).")),
                f"{f}: half the sum of the squared differences, one for each output neuron.",
                f"{name} = cost({u}a_l{last}, y), where cost(a, y) returns 0.5 * np.sum((a - y)**2)")
    if name == "step_size":
        return ("The step size η (the learning rate): how far each update moves.", "η is given, not computed.",
                "step_size = 0.1 (the article's)")
    if name == "y":
        return ("The target: the output the network should give for this input.", "y is given, not computed.",
                "y = the example's target column")
    if l is None:
        raise ValueError(f"no hints for {name!r}: expected a trace quantity (z_l1, dc_dw_l2, …) or a helper "
                         f"({', '.join(HELPERS)})")
    prev = "a_l0" if l == 1 else f"{u}a_l{l - 1}"
    if kind in ("w", "b") and not updated:
        what = "weights" if kind == "w" else "biases"
        return (f"The {what} of layer {l}, as the network starts: given, not computed.",
                f"{symbol(name)}: " + (f"{_matrix(sizes, l)}, {_layout(l)}." if kind == "w" else
                                       f"{_column(sizes, l)}, one number per neuron of layer {l}."),
                f"{name} = the network's {what}[{l}] (the article's self.{kind}[{l}])")
    if kind == "a" and l == 0:
        return ("The input: the activations of layer 0.", "a_l0 = x, given.", "a_l0 = the example's input column")
    if kind == "z":
        return ((f"The raw activation of layer {l}" + (" after the update: the forward pass again with the new "
                                                       "weights and biases and the new activations of the layer "
                                                       "before." if updated else ": the forward pass, before σ.")),
                f"{f}: the weights, {_matrix(sizes, l)}, times {_column(sizes, l - 1)} is a matrix product "
                f"(np.dot); then plus the biases, {_column(sizes, l)}.",
                f"{name} = z({u}w_l{l}, {prev}, {u}b_l{l}), where z(w, a, b) returns np.dot(w, a) + b")
    if kind == "a":
        return (f"The activation of layer {l}" + (" after the update." if updated else ": σ of its raw activation."),
                f"{f}: σ element by element, so {_column(sizes, l)} like z_l{l}{p}.",
                f"{name} = sigmoid({u}z_l{l}), where sigmoid(z) returns 1.0/(1.0+np.exp(-z))")
    if kind == "sigmoid_prime":
        return (f"The slope of σ at z_l{l}: the factor the backward pass multiplies ∂C/∂a_l{l} by.",
                f"{f}: {_column(sizes, l)}.", f"sigmoid_prime(z_l{l}) = sigmoid(z_l{l})*(1-sigmoid(z_l{l}))")
    if kind == "dc_da" and output is None:
        return (f"How the cost changes with the activations of layer {l}: at the output layer where the backward "
                "pass starts, at a hidden layer the error of the next layer sent back through its weights.",
                f"{f}.", f"{name} = a_l{l} - y at the output layer, else dc_da_prev(w_l{l + 1}, dc_db_l{l + 1}), "
                "where dc_da_prev(w, dc_db) returns np.dot(w.transpose(), dc_db)")
    if kind == "dc_da" and l == output:
        return (f"How the cost changes with the output a_l{l}: where the backward pass starts.",
                f"{f}: the derivative of ½ (a − y)², {_column(sizes, l)}.", f"{name} = a_l{l} - y")
    if kind == "dc_da":
        return (f"How the cost changes with the activations of hidden layer {l}: the error of layer {l + 1} sent "
                f"back through its weights, as they were before the update.",
                f"{f}: w_l{l + 1}ᵀ, {_matrix(sizes, l + 1, turned=True)} (the weights turned over), times "
                f"{_column(sizes, l + 1)} gives {_column(sizes, l)}.",
                f"{name} = dc_da_prev(w_l{l + 1}, dc_db_l{l + 1}), where dc_da_prev(w, dc_db) returns "
                "np.dot(w.transpose(), dc_db)")
    if kind == "dc_db":
        return (f"How the cost changes with the biases of layer {l}: the error of layer {l}, the first backward step "
                "at each layer.",
                f"{f}: σ′(z_l{l}) and ∂C/∂a_l{l} are each {_column(sizes, l)}, multiplied element by element "
                f"(`*`); σ′ is taken at z_l{l}, not at a_l{l}.",
                f"{name} = dc_db(z_l{l}, dc_da_l{l}), where dc_db(z, dc_da) returns sigmoid_prime(z) * dc_da")
    if kind == "dc_dw":
        return (f"How the cost changes with the weights of layer {l}: weight [j][k] joins neuron k of layer {l - 1} "
                f"to neuron j of layer {l}.",
                f"{f}: {_column(sizes, l)} times {_row(sizes, l - 1)} gives {_matrix(sizes, l)} ({_layout(l)}), the "
                f"shape of w_l{l}.",
                f"{name} = dc_dw(a_l{l - 1}, dc_db_l{l}), where dc_dw(a_prev, dc_db) returns "
                "np.dot(dc_db, a_prev.transpose())")
    if kind in ("w", "b"):  # updated
        what = "weights" if kind == "w" else "biases"
        return (f"The {what} of layer {l} after one step of gradient descent: a small step downhill, against the "
                "gradient.",
                f"{f}: minus, and times η; the same shape as {kind}_l{l}.",
                f"{name} = {kind}_l{l} - dc_d{kind}_l{l} * step_size")
    raise ValueError(f"no hints for {name!r}")
