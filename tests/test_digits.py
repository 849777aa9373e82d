"""The MNIST-style preprocessing, the brush, random pixels, the confusion matrix and mean confidence."""

import subprocess
import sys

import numpy as np
import pytest

from tutor.engine import digits, mnist
from tutor.engine.network import Network


@pytest.fixture(scope="module")
def data():
    return mnist.load()


def ink_box(image):
    rows = np.flatnonzero(image.max(axis=1) > digits.INK)
    cols = np.flatnonzero(image.max(axis=0) > digits.INK)
    return rows[0], rows[-1], cols[0], cols[-1]


def test_preprocess_leaves_mnist_digits_as_they_are(data):
    # MNIST digits already went through this: most come back unchanged, pixel for pixel
    images = data.test.images[:300]
    out = np.array([digits.preprocess(im).ravel() for im in images])
    same = np.all(np.abs(out - images / 255.0) < 1e-12, axis=1)
    assert same.mean() > 0.9
    assert np.abs(out - images / 255.0).mean() < 1e-3


def test_preprocess_crops_scales_and_centres_a_small_off_centre_drawing(data):
    digit = digits.as_square(data.test.images[0])          # a 7
    r0, r1, c0, c1 = ink_box(digit)
    small = digit[r0:r1 + 1, c0:c1 + 1][::2, ::2]           # half size, in the top-left corner
    drawing = np.zeros((28, 28))
    drawing[1:1 + small.shape[0], 2:2 + small.shape[1]] = small
    out = digits.preprocess(drawing).reshape(28, 28)
    top, bottom, left, right = ink_box(out)
    height, width = bottom - top + 1, right - left + 1
    assert max(height, width) in (20, 21)                   # scaled up to fit the 20 x 20 box
    assert height / width == pytest.approx(small.shape[0] / small.shape[1], rel=0.2)  # aspect kept
    row, col = digits.center_of_mass(out)
    assert abs(row - 14) <= 0.5 and abs(col - 14) <= 0.5   # centre of mass at the centre


def test_preprocess_keeps_the_aspect_ratio_of_a_bar():
    drawing = np.zeros((28, 28))
    drawing[3:13, 20:22] = 1.0                              # 10 x 2
    out = digits.preprocess(drawing).reshape(28, 28)
    top, bottom, left, right = ink_box(out)
    assert (bottom - top + 1, right - left + 1) == (20, 4)
    assert out.max() == 1.0 and out.min() == 0.0


def test_preprocess_of_a_blank_drawing_is_blank_and_a_column():
    out = digits.preprocess(np.zeros((28, 28)))
    assert out.shape == (784, 1) and not out.any()


def test_brush_is_soft_round_and_keeps_the_darker_ink():
    image = np.zeros((28, 28))
    digits.brush(image, 10, 10)
    assert image[10, 10] == 1.0 and image[10, 11] == 1.0           # within radius - 1: full ink
    assert image[11, 11] == pytest.approx(2.0 - np.sqrt(2))         # soft edge
    assert image[10, 12] == 0.0 and image[0, 0] == 0.0              # nothing beyond the radius
    before = image.copy()
    digits.brush(image, 10, 10)
    assert np.array_equal(image, before)                            # painting twice changes nothing
    digits.brush(image, 10.5, 13)
    assert image[10, 11] == 1.0                                     # the max of both dabs


def test_stroke_leaves_no_gaps():
    image = digits.stroke(np.zeros((28, 28)), (2, 2), (2, 25))
    assert np.all(image[2, 2:26] == 1.0)


def test_random_images_are_uniform_columns_and_reproducible():
    a = digits.random_images(50, seed=3)
    assert a.shape == (784, 50) and a.min() >= 0 and a.max() < 1
    assert np.array_equal(a, digits.random_images(50, seed=3))
    assert 0.45 < a.mean() < 0.55


def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    counts = digits.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], classes=3)
    assert counts.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]


def test_mean_top_activation_and_misclassified_match_the_network(data):
    net = Network([784, 10, 10], seed=0)
    images, labels = data.test.images[:200], data.test.labels[:200]
    out = net.feedforward((images / 255.0).T)
    assert digits.mean_top_activation(net, images) == pytest.approx(out.max(axis=0).mean(), rel=1e-12)
    wrong = np.flatnonzero(out.argmax(axis=0) != labels)
    assert digits.misclassified(net, images, labels, start=0) == (wrong[wrong > 0][0])
    assert digits.misclassified(net, images, labels, start=int(wrong[-1]), step=1) == wrong[0]  # wraps
    assert digits.misclassified(net, images, labels, start=int(wrong[1]), step=-1) == wrong[0]
    right = np.flatnonzero(out.argmax(axis=0) == labels)
    assert digits.misclassified(net, images[right], labels[right]) is None


def test_digits_does_not_import_textual():
    code = "import sys, tutor.engine.digits; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
