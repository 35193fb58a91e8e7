import numpy as np
import pytest

from lecturekit.init import NAMES, init_weights
from lecturekit.nets import build_mlp


@pytest.mark.parametrize("name", ["small", "xavier", "he", "large"])
def test_same_seed_same_weights(name):
    a = init_weights(name, 30, 20, np.random.default_rng(7))
    b = init_weights(name, 30, 20, np.random.default_rng(7))
    c = init_weights(name, 30, 20, np.random.default_rng(8))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.shape == (30, 20)


@pytest.mark.parametrize(
    ("name", "expected_std"),
    [("small", 0.01), ("large", 1.0), ("xavier", np.sqrt(2 / 500)), ("he", np.sqrt(2 / 200))],
)
def test_standard_deviations(name, expected_std):
    w = init_weights(name, 200, 300, np.random.default_rng(0))
    assert w.mean() == pytest.approx(0, abs=4 * expected_std / np.sqrt(w.size))
    assert w.std() == pytest.approx(expected_std, rel=0.02)


def test_normal_with_std():
    w = init_weights("normal", 100, 100, np.random.default_rng(0), std=0.3)
    assert w.std() == pytest.approx(0.3, rel=0.03)
    with pytest.raises(ValueError, match=r"std.*'normal'"):
        init_weights("normal", 3, 3, np.random.default_rng(0))
    with pytest.raises(ValueError, match="std"):
        init_weights("normal", 3, 3, np.random.default_rng(0), std=-1.0)


def test_errors():
    with pytest.raises(ValueError, match="'glorot'") as info:
        init_weights("glorot", 3, 3, np.random.default_rng(0))
    assert NAMES == ("small", "xavier", "he", "large", "normal")
    for name in NAMES:
        assert name in str(info.value)
    with pytest.raises(TypeError, match="Generator"):
        init_weights("he", 3, 3, rng=0)
    with pytest.raises(TypeError, match="Generator"):
        init_weights("he", 3, 3, rng=np.random.RandomState(0))


def test_same_seed_same_net():
    a = build_mlp(5, 8, "tanh", "xavier", np.random.default_rng(3))
    b = build_mlp(5, 8, "tanh", "xavier", np.random.default_rng(3))
    c = build_mlp(5, 8, "tanh", "xavier", np.random.default_rng(4))
    assert a.params.keys() == b.params.keys() and len(a.params) == 10  # W and b of 5 layers
    for name in a.params:
        np.testing.assert_array_equal(a.params[name], b.params[name])
    assert not np.array_equal(a.params["0.W"], c.params["0.W"])
