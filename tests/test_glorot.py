"""lecturekit.glorot: the small Glorot & Bengio (2010) Fig. 2 experiment of notebook 04."""

import numpy as np
import pytest

from lecturekit import glorot, plots
from lecturekit.nets import linear_layers


@pytest.mark.parametrize("init", ["standard", "normalized"])
def test_weights_are_uniform_within_the_papers_limits_and_biases_zero(init):
    net = glorot.build_net(seed=3, init=init)
    assert len(linear_layers(net)) == 5  # 4 hidden layers and the output layer
    for layer in linear_layers(net):
        W = layer.params["W"]
        a = glorot.uniform_limit(init, *W.shape)
        assert np.all(np.abs(W) <= a)
        assert np.abs(W).max() > 0.8 * a  # spread over the whole interval, not a narrower one
        assert W.std() == pytest.approx(a / np.sqrt(3), rel=0.2)  # the std of U(−a, a)
        assert np.all(layer.params["b"] == 0)


def test_the_two_limits_are_the_papers():
    assert glorot.uniform_limit("standard", 32, 2) == pytest.approx(1 / np.sqrt(32))
    assert glorot.uniform_limit("normalized", 32, 2) == pytest.approx(np.sqrt(6 / 34))
    with pytest.raises(ValueError, match=r"standard'?, '?normalized.*xavier"):
        glorot.uniform_limit("xavier", 32, 2)


def test_the_seed_draws_the_net_and_the_same_seed_the_same_net():
    first, again, other = (glorot.build_net(seed) for seed in (0, 0, 1))
    assert np.array_equal(first.params["0.W"], again.params["0.W"])
    assert not np.array_equal(first.params["0.W"], other.params["0.W"])


def test_trajectory_starts_unsaturated_and_records_every_checkpoint():
    run = glorot.trajectory(5, steps=20, every=10)
    assert list(run["step"]) == [0, 10, 20]
    assert run["means"].shape == (3, glorot.HIDDEN)
    assert run["unit_means"].shape == (3, glorot.HIDDEN, glorot.WIDTH)
    assert run["saturated"][0] == 0  # at initialization every output is near 0.5
    assert np.allclose(run["means"][0], 0.5, atol=0.05)
    assert np.allclose(run["unit_means"].mean(axis=2), run["means"])


def test_saturation_figure_draws_three_panels():
    runs = [glorot.trajectory(seed, steps=20, every=10) for seed in (5, 6)]
    fig = plots.saturation_figure(runs, runs)
    assert len(fig.axes) == 3
