import numpy as np
import pytest

from lecturekit.activations import get_activation
from lecturekit.diagnostics import chain_factors, dead_fraction, snapshot
from lecturekit.experiments import (
    DEEP_RELU,
    EXPLODING,
    VANISHING,
    Setup,
    dead_relu_sweep,
    moons_task,
    remedies,
)
from lecturekit.layers import Activation, Linear, Sequential
from lecturekit.nets import build_mlp
from lecturekit.train import train


def test_training_lowers_the_loss_and_records_every_layer():
    _, history = Setup(depth=3, activation="tanh", steps=100).run()
    assert history.diverged_at is None
    assert history.loss.shape == (100,) and history.final_loss < 0.5 * history.loss[0]
    assert history.grad_norms.shape == (100, 3)
    assert history.dead_fraction.shape == (100, 2)
    assert history.steps_to(history.loss[0]) == 1 + int(np.argmax(history.loss < history.loss[0]))
    assert history.steps_to(-1.0) is None


def test_divergence_is_reported_with_its_step():
    _, history = EXPLODING.run()
    assert history.diverged_at is not None and history.diverged_at <= 10
    assert history.message.startswith(f"diverged at step {history.diverged_at}")
    assert len(history.loss) == history.diverged_at - 1
    assert np.all(np.isfinite(history.loss))


def test_clipping_by_norm_rescues_the_exploding_run():
    _, history = EXPLODING.but(clip_norm=1.0).run()
    assert history.diverged_at is None
    assert history.final_loss < 0.01


def test_same_seed_same_run_and_one_knob_changes_one_thing():
    a = VANISHING.but(steps=20).run()[1]
    b = VANISHING.but(steps=20).run()[1]
    np.testing.assert_array_equal(a.loss, b.loss)
    changed = VANISHING.but(steps=20, depth=3)
    assert changed.seed == VANISHING.seed and changed.init == VANISHING.init
    assert set(remedies()) == {"baseline", "1. fewer layers (3)", "2. ReLU", "3. clip norm 1.0",
                               "4. L2 λ = 1e-3"}


def test_dead_units_on_a_constructed_case():
    # Two hidden ReLU units: the first gets s = x − 5 (< 0 on every input here): dead.
    # The second gets s = x (positive for some inputs): alive.
    first = Linear.from_weights(np.array([[1.0, 1.0]]), b=np.array([-5.0, 0.0]))
    net = Sequential(first, Activation("relu"), Linear.from_weights(np.ones((2, 1))), Activation("identity"))
    net.forward(np.array([[-1.0], [0.5], [2.0]]))
    np.testing.assert_array_equal(dead_fraction(net), [0.5])


def test_dead_units_stay_dead_with_relu_and_come_back_with_leaky_relu():
    sweep = dead_relu_sweep(learning_rates=(0.1,), bias_inits=(-1.0,))
    assert sweep["dead"][0, 0] > 0.5 and sweep["loss"][0, 0] > 0.2
    leaky = dead_relu_sweep("leaky_relu", learning_rates=(0.3,), bias_inits=(-1.0,))
    assert leaky["loss"][0, 0] < 0.5 * sweep["loss"][0, 0]


def test_he_trains_a_30_layer_relu_net_where_xavier_stalls():
    # He et al. 2015, Fig. 3, at a small scale.
    he = DEEP_RELU.but(init="he").run()[1]
    xavier = DEEP_RELU.but(init="xavier").run()[1]
    assert he.final_loss < 0.01 < 0.2 < xavier.final_loss


def test_snapshot_measures_vanishing_and_reports_overflow():
    X, y = moons_task()
    shot = snapshot(build_mlp(30, 16, "sigmoid", "xavier"), X, y)
    assert shot.overflow == ""
    assert shot.grad_norms[0] < 1e-12 * shot.grad_norms[-1]
    assert len(shot.activations) == 29
    exploded = snapshot(build_mlp(300, 32, "relu", "large"), X, y)
    assert exploded.overflow  # said in words …
    assert np.all(np.isnan(exploded.grad_norms))  # … and no made-up numbers


def test_chain_factors_multiply_to_the_first_layers_gradient():
    net = build_mlp(4, 5, "sigmoid", "xavier", np.random.default_rng(1))
    x, y = np.array([0.3, -0.7]), np.array([1.0])
    factors = chain_factors(net, x, y)
    names = [name for name, _ in factors]
    assert names == ["∂loss/∂ŷ", "diag f4′(s4)", "W4ᵀ", "diag f3′(s3)", "W3ᵀ", "diag f2′(s2)", "W2ᵀ",
                     "diag f1′(s1)"]
    delta_s1 = np.linalg.multi_dot([m for _, m in factors])
    net.forward(x.reshape(1, -1))
    net.backward(net.forward(x.reshape(1, -1)) - y)
    np.testing.assert_allclose(np.outer(x, delta_s1), net[0].grads["W"], rtol=1e-10)


def test_bad_training_arguments():
    X, y = moons_task()
    with pytest.raises(ValueError, match="steps"):
        train(build_mlp(2, 3), X, y, steps=0)
    with pytest.raises(ValueError, match="learning_rate"):
        train(build_mlp(2, 3), X, y, learning_rate=-1)
    assert get_activation("relu")  # sanity: the names used above exist
