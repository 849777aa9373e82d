"""The bundled MNIST and the IDX reader."""

import numpy as np

from tutor.engine import mnist
from conftest import write_dataset


def test_bundled_mnist_is_complete_and_split_like_the_reference_code():
    data = mnist.load()
    assert (len(data.train), len(data.validation), len(data.test)) == (50_000, 10_000, 10_000)
    assert data.train.images.shape == (50_000, 784) and data.train.images.dtype == np.uint8
    assert list(data.train.labels[:10]) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert list(data.test.labels[:10]) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    counts = np.bincount(np.concatenate([data.train.labels, data.validation.labels]), minlength=10)
    assert list(counts) == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert list(np.bincount(data.test.labels)) == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_inputs_are_scaled_columns_and_targets_one_hot():
    data = mnist.load()
    x, y = data.train.input(0), data.train.target(0)
    assert x.shape == (784, 1) and 0 <= x.min() and x.max() == 1.0
    assert y.shape == (10, 1) and y[5, 0] == 1 and y.sum() == 1


def test_a_directory_of_raw_or_gz_files_reads_the_same(tmp_path):
    gz = mnist.load(write_dataset(tmp_path / "gz"))
    raw = mnist.load(write_dataset(tmp_path / "raw", compress=False))
    np.testing.assert_array_equal(gz.train.images, raw.train.images)
    assert len(gz.train) + len(gz.validation) == 600 and len(gz.test) == 100
    assert gz.label_names[3] == "3"


def test_fashion_directory_gets_class_names(tmp_path):
    data = mnist.load(write_dataset(tmp_path / "fashion-mnist"))
    assert data.label_names[9] == "Ankle boot"
