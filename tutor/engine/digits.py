"""Digit images the MNIST way: preprocessing a drawing, random pixels, confusion matrix, confidence."""

from __future__ import annotations

import numpy as np

from tutor.engine import training
from tutor.engine.mnist import as_inputs

SIDE = 28          # MNIST images are 28 x 28 pixels
BOX = 20           # ... with the digit scaled to fit a 20 x 20 box inside them
INK = 0.05         # pixels above this count as ink when cropping a drawing


def as_square(pixels) -> np.ndarray:
    """784 pixels (a column, a row or 28 x 28; uint8 0-255 or floats) as a 28 x 28 float image in [0, 1]."""
    return as_inputs(pixels).reshape(SIDE, SIDE)


def _resample(image: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Scale image to rows x cols by area averaging (each output pixel is the mean of the input it
    covers), the anti-aliased reduction NIST's digits went through."""
    h, w = image.shape

    def weights(n_in: int, n_out: int) -> np.ndarray:
        # m[i, j]: fraction of output pixel i covered by input pixel j, normalised per output pixel
        edges = np.linspace(0, n_in, n_out + 1)
        lo, hi = edges[:-1, None], edges[1:, None]
        j = np.arange(n_in)[None, :]
        m = np.clip(np.minimum(hi, j + 1) - np.maximum(lo, j), 0, None)
        return m / m.sum(axis=1, keepdims=True)

    return weights(h, rows) @ image @ weights(w, cols).T


def center_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of the centre of mass of a non-negative image, in pixel indices."""
    total = image.sum()
    if total <= 0:
        return (image.shape[0] - 1) / 2, (image.shape[1] - 1) / 2
    rows = np.arange(image.shape[0])
    cols = np.arange(image.shape[1])
    return float(rows @ image.sum(axis=1) / total), float(cols @ image.sum(axis=0) / total)


def preprocess(pixels) -> np.ndarray:
    """A drawing (28 x 28, ink high) prepared as MNIST's digits were: cropped to the ink's bounding
    box, scaled to fit 20 x 20 keeping its aspect ratio, then placed in the 28 x 28 field with its
    centre of mass at pixel (14, 14), as in MNIST. Returns the network's 784 x 1 input column in [0, 1]; a blank
    drawing stays blank."""
    image = np.clip(as_square(pixels), 0.0, 1.0)
    ink_rows = np.flatnonzero(image.max(axis=1) > INK)
    ink_cols = np.flatnonzero(image.max(axis=0) > INK)
    out = np.zeros((SIDE, SIDE))
    if ink_rows.size == 0:
        return out.reshape(-1, 1)
    crop = image[ink_rows[0]: ink_rows[-1] + 1, ink_cols[0]: ink_cols[-1] + 1]
    h, w = crop.shape
    scale = BOX / max(h, w)
    rows, cols = max(1, round(h * scale)), max(1, round(w * scale))
    digit = _resample(crop, rows, cols)
    peak = digit.max()
    if peak > 0:
        digit = digit * (crop.max() / peak)  # thin strokes keep their full darkness
    r, c = center_of_mass(digit)
    top = int(round(SIDE / 2 - r))
    left = int(round(SIDE / 2 - c))
    top = min(max(top, 0), SIDE - rows)
    left = min(max(left, 0), SIDE - cols)
    out[top: top + rows, left: left + cols] = digit
    return np.clip(out, 0.0, 1.0).reshape(-1, 1)


BRUSH_RADIUS = 2.0


def brush(image: np.ndarray, row: float, col: float, radius: float = BRUSH_RADIUS) -> np.ndarray:
    """Ink a soft round dab centred at (row, col) (pixel indices, fractions allowed) into image, in
    place: a pixel at distance d gets ink min(1, radius - d), and keeps its ink if it had more."""
    h, w = image.shape
    rows = np.arange(h)[:, None]
    cols = np.arange(w)[None, :]
    dab = np.clip(radius - np.hypot(rows - row, cols - col), 0.0, 1.0)
    np.maximum(image, dab, out=image)
    return image


def stroke(image: np.ndarray, start: tuple[float, float], end: tuple[float, float],
           radius: float = BRUSH_RADIUS) -> np.ndarray:
    """Dabs every half pixel along the line from start to end (row, col), so a fast drag leaves no gaps."""
    (r0, c0), (r1, c1) = start, end
    n = max(1, int(np.ceil(2 * max(abs(r1 - r0), abs(c1 - c0)))))
    for t in np.linspace(0.0, 1.0, n + 1):
        brush(image, r0 + (r1 - r0) * t, c0 + (c1 - c0) * t, radius)
    return image


def random_images(count: int, seed: int | None = None, size: int = SIDE * SIDE) -> np.ndarray:
    """`count` images of independent uniformly random pixels in [0, 1], as columns (size x count)."""
    return np.random.default_rng(seed).random((size, count))


def confusion_matrix(labels, predicted, classes: int = 10) -> np.ndarray:
    """counts[true, predicted]: how many images of each true label got each predicted label."""
    labels = np.asarray(labels, dtype=np.int64)
    predicted = np.asarray(predicted, dtype=np.int64)
    return np.bincount(labels * classes + predicted, minlength=classes * classes).reshape(classes, classes)


def top_activations(network, inputs, chunk: int = 2000) -> np.ndarray:
    """The largest output activation for each input: rows of images (uint8 0-255 or floats),
    like training.predict takes. It is how sure the network looks about its answer."""
    inputs = np.asarray(inputs)
    out = np.empty(len(inputs))
    for s in range(0, len(inputs), chunk):
        out[s: s + chunk] = network.feedforward(as_inputs(inputs[s: s + chunk]).T).max(axis=0)
    return out


def mean_top_activation(network, inputs) -> float:
    """Mean over the inputs (rows) of the network's largest output activation."""
    return float(top_activations(network, inputs).mean())


def misclassified(network, images, labels, start: int = 0, step: int = 1, chunk: int = 500) -> int | None:
    """Index of the first image after `start` (going forward if step is 1, backward if -1, wrapping
    around) that the network gets wrong, or None if it gets every image right."""
    n = len(labels)
    order = (start + step * np.arange(1, n + 1)) % n
    for s in range(0, n, chunk):
        idx = order[s: s + chunk]
        wrong = np.flatnonzero(training.predict(network, images[idx]) != labels[idx])
        if wrong.size:
            return int(idx[wrong[0]])
    return None
