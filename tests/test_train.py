import numpy as np
import pytest

from lecturekit.activations import get_activation
from lecturekit.diagnostics import (
    chain_factors,
    dead_fraction,
    hidden_activations,
    snapshot,
    weight_gradient_norms,
)
from lecturekit.experiments import (
    DEEP_RELU,
    EXPLODING,
    VANISHING,
    Setup,
    backprop_norms,
    dead_relu_sweep,
    dead_units,
    moons_task,
    off_unit_gradients,
    remedies,
    revivals,
)
from lecturekit.layers import Activation, Linear, Sequential
from lecturekit.losses import get_loss
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
    _, history = EXPLODING.run()  # ReLU with 2× He's std: the output and the gradient blow up
    assert history.diverged_at is not None and history.diverged_at <= 10
    assert history.message.startswith(f"diverged at step {history.diverged_at}")
    assert len(history.loss) == history.diverged_at - 1
    assert np.all(np.isfinite(history.loss))


def test_the_exploding_setup_is_its_weights_not_its_learning_rate():
    X, y = moons_task()
    signal = backprop_norms(EXPLODING.build(), X, y)
    assert signal[0] > 10 * signal[-1]  # grows towards the input at initialization
    _, he = EXPLODING.but(init="he", std=None).run()  # the same net, well initialized
    assert he.diverged_at is None and he.final_loss < 0.15
    _, slower = EXPLODING.but(learning_rate=EXPLODING.learning_rate / 10).run()
    assert slower.diverged_at is not None  # a smaller step does not save it


def test_backprop_norms_are_the_gradient_of_each_linear_output():
    net = build_mlp(3, 4, "tanh", "xavier", np.random.default_rng(0))
    X, y = moons_task()
    signal = backprop_norms(net, X, y)
    net.forward(X)
    net.backward(get_loss("mse")(net.forward(X), y)[1])
    bias_grads = [layer.grads["b"] for layer in net if isinstance(layer, Linear)]
    assert signal.shape == (3,)
    # ‖∂L/∂b_l‖ = ‖Σ_batch ∂L/∂s_l‖ ≤ √n ‖∂L/∂s_l‖ (Cauchy–Schwarz)
    assert all(np.linalg.norm(g) <= np.sqrt(len(X)) * n + 1e-12
               for g, n in zip(bias_grads, signal, strict=True))


def test_same_seed_same_run_and_one_knob_changes_one_thing():
    a = VANISHING.but(steps=20).run()[1]
    b = VANISHING.but(steps=20).run()[1]
    np.testing.assert_array_equal(a.loss, b.loss)
    changed = VANISHING.but(steps=20, depth=3)
    assert changed.seed == VANISHING.seed and changed.init == VANISHING.init
    options = remedies()
    assert list(options)[:3] == ["baseline", "1. fewer layers (3)", "2. ReLU + He init"]
    for name, setup in options.items():  # each remedy changes one knob (ReLU + He: two, named)
        changed = {k for k in vars(setup) if getattr(setup, k) != getattr(VANISHING, k)}
        assert len(changed) <= (2 if "ReLU" in name else 1), (name, changed)


def test_dead_units_on_a_constructed_case():
    # Two hidden ReLU units: the first gets s = x − 5 (< 0 on every input here): dead.
    # The second gets s = x (positive for some inputs): alive.
    first = Linear.from_weights(np.array([[1.0, 1.0]]), b=np.array([-5.0, 0.0]))
    net = Sequential(first, Activation("relu"), Linear.from_weights(np.ones((2, 1))), Activation("identity"))
    net.forward(np.array([[-1.0], [0.5], [2.0]]))
    np.testing.assert_array_equal(dead_fraction(hidden_activations(net)), [0.5])


def test_dead_relu_sweep_gives_one_number_per_seed_bias_and_rate():
    knobs = {"learning_rates": (0.01, 0.1), "bias_inits": (0.0, -1.0), "seeds": (0, 1), "steps": 20}
    sweep = dead_relu_sweep(**knobs)
    assert sweep["dead"].shape == sweep["loss"].shape == sweep["diverged"].shape == (2, 2, 2)
    assert sweep["seeds"] == (0, 1) and sweep["bias_inits"] == (0.0, -1.0)
    assert np.all(sweep["dead"][:, 1] > 0.5)  # bias −1: most units start (and stay) dead
    assert np.all(np.isnan(sweep["dead"]) == sweep["diverged"])  # a diverged run has no number
    assert dead_relu_sweep(**knobs) is sweep  # remembered: the claim and its figure train once


def test_dead_units_records_each_unit_and_counts_revivals():
    setup = Setup(depth=4, activation="relu", init="he", bias_init=-0.5, learning_rate=0.1, steps=30)
    losses, dead, diverged_at = dead_units(setup)
    _, history = setup.run()
    np.testing.assert_allclose(losses, history.loss)  # the same run as train's
    np.testing.assert_allclose(dead.mean(axis=2), history.dead_fraction)
    assert dead.shape == (30, 3, 32) and diverged_at is None
    # a unit dead at step 1 and alive at step 2 is one revival; one that dies is none
    toy = np.zeros((3, 1, 2), dtype=bool)
    toy[0, 0, 0] = True  # unit 0: dead, then alive
    toy[1:, 0, 1] = True  # unit 1: alive, then dead
    assert revivals(toy).tolist() == [1]


def test_dead_relu_units_get_no_gradient_and_leaky_ones_do():
    X, y = moons_task()
    for activation in ("relu", "leaky_relu"):
        net = Setup(depth=3, activation=activation, init="he", bias_init=-1.0, slope=0.1).build()
        norms = np.concatenate(off_unit_gradients(net, X, y))
        assert norms.size > 10  # bias −1 switches most units off
        assert np.all(norms == 0) if activation == "relu" else np.all(norms > 0)


def test_he_trains_a_30_layer_relu_net_where_xavier_stalls():
    # He et al. 2015, Fig. 3, at a small scale (the claim he-init-trains-deep-relu runs it on 8 seeds).
    he = DEEP_RELU.but(init="he").run()[1]
    xavier = DEEP_RELU.but(init="xavier").run()[1]
    assert he.steps_to(0.2) is not None and xavier.loss.min() > 0.24


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
    assert names == ["∂loss/∂ŷ = (ŷ − y)ᵀ", "∂ŷ/∂s₄ = diag f₄′(s₄)", "∂s₄/∂h₃ = W₄ᵀ",
                     "∂h₃/∂s₃ = diag f₃′(s₃)", "∂s₃/∂h₂ = W₃ᵀ", "∂h₂/∂s₂ = diag f₂′(s₂)", "∂s₂/∂h₁ = W₂ᵀ",
                     "∂h₁/∂s₁ = diag f₁′(s₁)"]
    delta_s1 = np.linalg.multi_dot([m for _, m in factors])
    net.backward(net.forward(x.reshape(1, -1)) - y)
    np.testing.assert_allclose(np.outer(x, delta_s1), net[0].grads["W"], rtol=1e-10)


def test_chain_factors_refuse_what_the_product_leaves_out():
    x, y, rng = np.array([0.3, -0.7]), np.array([1.0]), np.random.default_rng(0)
    for net, what in ((build_mlp(4, 5, "sigmoid", batchnorm=True).eval(), "BatchNorm"),
                      (build_mlp(4, 5, "sigmoid", batchnorm=True), "BatchNorm"),
                      (build_mlp(6, 5, "relu", residual=True), "Residual"),
                      (Sequential(Linear(2, 3, rng), Linear(3, 1, rng)), "alternate")):
        with pytest.raises(ValueError, match=f"chain_factors: net must .*{what}"):
            chain_factors(net, x, y)
    net = build_mlp(4, 5, "sigmoid")
    with pytest.raises(ValueError, match=r"chain_factors: x must be one example, .* got shape \(1, 2\)"):
        chain_factors(net, x.reshape(1, 2), y)
    with pytest.raises(ValueError, match=r"chain_factors: y must be its target, .* got shape \(2,\)"):
        chain_factors(net, x, np.ones(2))
    with pytest.raises(ValueError, match="chain_factors: x must be finite, got 1 NaN"):
        chain_factors(net, np.array([np.nan, 1.0]), y)
    with pytest.raises(TypeError, match="chain_factors: net must be a Sequential"):
        chain_factors(net.layers, x, y)


def test_diagnostics_take_one_kind_of_argument():
    X, y = moons_task()
    net = build_mlp(3, 4, "relu")
    with pytest.raises(TypeError, match="dead_fraction: activations must be a list of Activation layers"):
        dead_fraction(net)
    with pytest.raises(TypeError, match="weight_gradient_norms: linears must be a list of Linear layers"):
        weight_gradient_norms(net)
    with pytest.raises(ValueError, match="linears\\[0\\] must have a gradient"):
        weight_gradient_norms([Linear(2, 2, np.random.default_rng(0))])
    with pytest.raises(ValueError, match=r"snapshot: X must have shape \(n, 2\), got shape \(64, 1\)"):
        snapshot(net, X[:, :1], y)
    with pytest.raises(ValueError, match=r"snapshot: Y must have shape \(64, 1\): one row per row of X"):
        snapshot(net, X, y[:10])
    with pytest.raises(ValueError, match="snapshot: X must be finite"):
        snapshot(net, np.full_like(X, np.inf), y)


def test_bad_training_arguments():
    X, y = moons_task()
    with pytest.raises(ValueError, match="steps"):
        train(build_mlp(2, 3), X, y, steps=0)
    with pytest.raises(ValueError, match="learning_rate"):
        train(build_mlp(2, 3), X, y, learning_rate=-1)
    assert get_activation("relu").f(np.array([-2.0, 0.0, 3.0])).tolist() == [0.0, 0.0, 3.0]


def test_the_norm_of_a_tiny_gradient_is_not_rounded_to_zero():
    from lecturekit.diagnostics import frobenius

    tiny = np.full((3, 4), 1e-170)
    assert np.linalg.norm(tiny) == 0.0  # squaring underflows
    assert frobenius(tiny) == pytest.approx(np.sqrt(12) * 1e-170, rel=1e-12)
    assert frobenius(np.zeros((2, 2))) == 0.0 and frobenius(np.array([[np.inf, 1.0]])) == np.inf
