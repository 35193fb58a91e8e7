import numpy as np
import pytest

from lecturekit.data import circles, one_hot, regression_1d, spirals, two_moons, xor


@pytest.mark.parametrize("make", [two_moons, xor, circles, spirals])
def test_shapes_seeds_and_one_hot(make):
    X, Y = make(n=50, seed=3)
    assert X.shape == (50, 2) and Y.shape == (50, 2)
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)
    X2, Y2 = make(n=50, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)
    assert not np.array_equal(X, make(n=50, seed=4)[0])
    with pytest.raises(ValueError, match=r"\bn must be an integer .*got 0"):
        make(n=0)


def nearest_distances(points, others):
    """For each point, the distance to the nearest of `others`."""
    return np.linalg.norm(points[:, None, :] - others[None, :, :], axis=2).min(axis=1)


def test_moons_are_mirror_images_through_the_origin():
    # What lets the slides' bias-free net separate them.
    X, Y = two_moons(n=2000, seed=0, noise=0.0)
    upper, lower = X[Y[:, 0] == 1], X[Y[:, 1] == 1]
    np.testing.assert_allclose(upper.mean(axis=0), -lower.mean(axis=0), atol=0.05)
    assert nearest_distances(-lower, upper).max() < 0.03  # ~1000 points on an arc of length π
    assert np.median(nearest_distances(lower, upper)) > 0.2  # the moons themselves are apart


def test_xor_labels():
    X, Y = xor(n=200, seed=0, noise=0.0)
    np.testing.assert_array_equal(Y[:, 1] == 1, np.sign(X[:, 0]) != np.sign(X[:, 1]))


def test_xor_puts_the_same_number_of_points_at_each_corner():
    # Balanced corners keep notebook 03's bound (a bias-free net gets at most ~75 %) exact.
    X, _ = xor(n=80, seed=3, noise=0.0)
    _, counts = np.unique(X, axis=0, return_counts=True)
    np.testing.assert_array_equal(counts, [20, 20, 20, 20])


def test_circles_radii():
    X, Y = circles(n=400, seed=0, noise=0.0, ratio=0.5)
    radius = np.linalg.norm(X, axis=1)
    np.testing.assert_allclose(radius[Y[:, 0] == 1], 1.0)
    np.testing.assert_allclose(radius[Y[:, 1] == 1], 0.5)


def assert_class_1_is_class_0_turned_by_180_degrees(X, Y):
    class_0, class_1 = X[Y[:, 0] == 1], X[Y[:, 1] == 1]
    # Turned back by 180° (x → −x), every class-1 point lies on the class-0 spiral: ~1000 points
    # along an arm of length ~5 are ~0.005 apart, the largest gap ~0.03. (A turn off by δ would put
    # it δ/360° · 2/3 beside the arm: 0.009 for 175°.)
    turned_back = nearest_distances(-class_1, class_0)
    assert np.median(turned_back) < 0.004 and turned_back.max() < 0.06
    # … while as drawn the two arms interleave, ~1/3 apart: the classes do not overlap.
    assert np.median(nearest_distances(class_1, class_0)) > 0.2


def test_spirals_are_point_symmetric():
    X, Y = spirals(n=2000, seed=0, noise=0.0)
    assert 900 < Y[:, 1].sum() < 1100
    assert_class_1_is_class_0_turned_by_180_degrees(X, Y)


def test_regression_1d():
    X, Y = regression_1d(n=30, seed=2, noise=0.0)
    assert X.shape == Y.shape == (30, 1)
    np.testing.assert_allclose(Y, np.sin(2 * X))
    assert np.all(np.abs(X) <= 2)


@pytest.mark.parametrize("labels", [[-1], [2], [0.5]])
def test_one_hot_refuses_labels_that_are_not_classes(labels):
    with pytest.raises(ValueError, match="`labels` must be whole numbers from 0 to 1"):
        one_hot(labels)
