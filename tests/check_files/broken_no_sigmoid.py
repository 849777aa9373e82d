"""A broken learner file for tests/test_check.py: feed_forward keeps z as the activation, without σ.

My own network, in the shape of the article's: helpers first, then the Network class.

Fill in each body that says NotImplementedError, then run `tutor check THIS_FILE.py`. It checks your helpers on
their own first, then feed_forward, then propagate_backward layer by layer, the update and the cost after, on the
article's 1-1-1 and 2-3-2 networks and on random ones, and stops at the first number that differs.

Shapes: layer l has J neurons and the layer before it K. Activations, raw activations and biases are J x 1
columns; the weights of layer l are a J x K matrix.
"""

import numpy as np

placeholder = np.array([[]])


def sigmoid(z):
    """σ(z) = 1 / (1 + e^-z), element by element. Returns an array of z's shape (J x 1)."""
    return 1.0/(1.0+np.exp(-z))


def sigmoid_prime(z):
    """σ'(z) = σ(z)(1 - σ(z)), element by element. Returns an array of z's shape (J x 1)."""
    return sigmoid(z)*(1-sigmoid(z))


def raw_activation(w, a, b):
    """z = w · a + b: w is J x K, a (the previous layer's activations) K x 1, b J x 1. Returns z, J x 1."""
    return np.dot(w,a) + b


z = raw_activation


def cost(a, y):
    """C = ½ Σ (a - y)², one number: a is the output layer's activations, y the target, both J x 1.
    Returns a float."""
    return 0.5 * np.sum((a - y)**2)  # the article's 0.5 * (a - y)**2, summed over the output neurons


def dc_db(z, dc_da):
    """∂C/∂b = σ'(z) ⊙ ∂C/∂a (element by element): z and dc_da are J x 1. Returns J x 1, one per bias."""
    return sigmoid_prime(z) * dc_da


def dc_dw(a_prev, dc_db):
    """∂C/∂w = ∂C/∂b · a_prevᵀ: dc_db is J x 1, a_prev (the previous layer's activations) K x 1.
    Returns J x K, the shape of w: one row per neuron of this layer."""
    return np.dot(dc_db, a_prev.transpose())


def dc_da_prev(w, dc_db):
    """∂C/∂a_prev = wᵀ · ∂C/∂b: w is J x K, dc_db J x 1. Returns K x 1, one per neuron of the previous layer."""
    return np.dot(w.transpose(), dc_db)


class Network:
    def __init__(self, layers, **kw):
        """layers: the number of neurons in each layer, e.g. [2, 3, 2]. b= and w= give the biases and weights of
        layers 1, 2, ... (lists of J x 1 columns and J x K matrices); without them they are random. Index 0 of
        self.b and self.w is a placeholder: the input layer has no biases or weights."""
        self.num_layers = len(layers)
        self.b = [placeholder]
        self.w = [placeholder]
        if "b" in kw:
            b = kw.get("b")
            self.b += b
        if "w" in kw:
            w = kw.get("w")
            self.w += w
        num_neurons_prev_layer = layers[0]
        for num_neurons_current_layer in layers[1:]:
            if not "b" in kw:
                b = np.random.randn(num_neurons_current_layer, 1)
                self.b.append(b)
            if not "w" in kw:
                w = np.random.randn(num_neurons_current_layer, num_neurons_prev_layer)
                self.w.append(w)
            num_neurons_prev_layer = num_neurons_current_layer

    def feed_forward(self, inputs):
        """inputs: a list of the input layer's numbers. Sets self.z and self.a, lists with one entry per layer:
        self.z[0] a placeholder, self.a[0] the inputs as a K x 1 column; for each layer l from 1 on,
        self.z[l] = raw_activation(self.w[l], self.a[l-1], self.b[l]) and self.a[l] = sigmoid(self.z[l]),
        J x 1 each. Returns nothing."""
        self.z = [placeholder]
        self.a = [np.asarray([inputs]).transpose()]
        for l in range(1, self.num_layers):
            b = self.b[l]
            w = self.w[l]
            a_prev = self.a[l-1]
            z = raw_activation(w, a_prev, b)
            a = z
            self.z.append(z)
            self.a.append(a)

    def propagate_backward(self, y, step_size):
        """y: a list of the target outputs. After feed_forward, one step of gradient descent: from the output
        layer down to layer 1, ∂C/∂b = dc_db(z, ∂C/∂a) (for the output layer ∂C/∂a = a - y), ∂C/∂w =
        dc_dw(a_prev, ∂C/∂b) and the previous layer's ∂C/∂a = dc_da_prev(w, ∂C/∂b) with w BEFORE its update;
        then self.b[l] -= ∂C/∂b * step_size and self.w[l] -= ∂C/∂w * step_size. Returns nothing."""
        y = np.asarray([y]).transpose()
        output_layer = self.num_layers-1
        z = self.z[output_layer]
        a = self.a[output_layer]
        activations_gradient = a - y
        biases_gradient = dc_db(z, activations_gradient)
        a_prev = self.a[output_layer-1]
        weights_gradient = dc_dw(a_prev, biases_gradient)
        w = self.w[output_layer]
        activations_gradient = dc_da_prev(w, biases_gradient)
        self.b[output_layer] -= biases_gradient * step_size
        self.w[output_layer] -= weights_gradient * step_size
        for l in range(self.num_layers-2, 0, -1):
            z = self.z[l]
            biases_gradient = dc_db(z, activations_gradient)
            a_prev = self.a[l-1]
            weights_gradient = dc_dw(a_prev, biases_gradient)
            w = self.w[l]
            activations_gradient = dc_da_prev(w, biases_gradient)
            self.b[l] -= biases_gradient * step_size
            self.w[l] -= weights_gradient * step_size
