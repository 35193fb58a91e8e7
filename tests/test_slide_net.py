"""The slides' 2-3-2 net: its hand formulas (Δw, Δv) against central differences and against
the generic layers."""

import itertools

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lecturekit.activations import get_activation
from lecturekit.data import two_moons
from lecturekit.diagnostics import chain_factors
from lecturekit.gradcheck import check_slide_net
from lecturekit.slide_net import SlideNet

# leaky_relu with slope 0.2: with 0.01 on both layers the gradient shrinks to ~1e-4 of the
# loss and float64 central differences cannot check it to 1e-7.
f_names = st.sampled_from(
    ["sigmoid", "tanh", "identity", get_activation("leaky_relu", slope=0.2)]
)


def clear_of_kinks(forward, margin=1e-3):
    """No pre-activation within `margin` of leaky ReLU's kink, where differences straddle it."""
    return min(np.abs(forward.s).min(), np.abs(forward.z).min()) > margin
seeds = st.integers(0, 2**32 - 1)


@given(f1=f_names, f2=f_names, seed=seeds, n_in=st.integers(1, 5), n_hidden=st.integers(1, 5),
       n_out=st.integers(1, 5))
def test_hand_formulas_pass_the_gradient_check(f1, f2, seed, n_in, n_hidden, n_out):
    rng = np.random.default_rng(seed)
    net = SlideNet.random(rng, n_in, n_hidden, n_out, f1=f1, f2=f2)
    x = rng.standard_normal(n_in)
    assume(clear_of_kinks(net.forward(x)))
    report = check_slide_net(net, x, rng.standard_normal(n_out))
    assert report.passed(), str(report)


@given(f1=f_names, f2=f_names, seed=seeds)
def test_hand_formulas_equal_the_generic_layers(f1, f2, seed):
    rng = np.random.default_rng(seed)
    net = SlideNet.random(rng, f1=f1, f2=f2)
    x, y = rng.standard_normal(2), rng.uniform(size=2)
    forward = net.forward(x)
    grads = net.backward(forward, y)

    generic = net.as_sequential()
    y_hat = generic.forward(x.reshape(1, -1))
    generic.backward(y_hat - y.reshape(1, -1))  # ∂(½‖y − ŷ‖²)/∂ŷ
    np.testing.assert_allclose(y_hat.ravel(), forward.y_hat, rtol=1e-14)
    np.testing.assert_allclose(generic.grads["0.W"], grads.grad_v, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(generic.grads["2.W"], grads.grad_w, rtol=1e-12, atol=1e-15)


def test_forward_in_the_slides_names():
    v = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
    w = np.array([[0.7, 0.8], [0.9, 1.0], [1.1, 1.2]])
    net = SlideNet(v, w, f1="relu", f2="identity")
    fw = net.forward(np.array([1.0, -1.0]))
    # s_k = v_1k x_1 + v_2k x_2
    np.testing.assert_allclose(fw.s, [0.1 - 0.4, 0.2 - 0.5, 0.3 - 0.6])
    np.testing.assert_allclose(fw.h, [0.0, 0.0, 0.0])
    np.testing.assert_allclose(fw.z, [0.0, 0.0])
    fw = net.forward(np.array([1.0, 1.0]))
    np.testing.assert_allclose(fw.s, [0.5, 0.7, 0.9])
    # z_j = w_1j h_1 + w_2j h_2 + w_3j h_3
    np.testing.assert_allclose(fw.z, [0.35 + 0.63 + 0.99, 0.4 + 0.7 + 1.08])
    np.testing.assert_allclose(fw.y_hat, fw.z)


def test_shapes_of_the_gradients_are_the_weights_shapes(rng):
    net = SlideNet.random(rng)
    grads = net.backward(net.forward(np.array([0.5, -1.0])), np.array([1.0, 0.0]))
    assert grads.grad_w.shape == (3, 2) == net.w.shape
    assert grads.grad_v.shape == (2, 3) == net.v.shape


def test_gradient_descent_step_lowers_the_loss(rng):
    net = SlideNet.random(rng)
    x, y = np.array([0.5, -1.0]), np.array([1.0, 0.0])
    losses = [net.step(x, y, learning_rate=0.5) for _ in range(50)]
    assert losses[-1] < 0.5 * losses[0]
    assert all(later <= earlier for earlier, later in itertools.pairwise(losses))


def test_bad_input():
    with pytest.raises(ValueError, match=r"v \(2, 3\) and w \(2, 2\)"):
        SlideNet(np.ones((2, 3)), np.ones((2, 2)))
    net = SlideNet(np.ones((2, 3)), np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        net.forward(np.ones(3))
    with pytest.raises(ValueError, match="target"):
        net.backward(net.forward(np.ones(2)), np.ones(3))


@given(f1=f_names, f2=f_names, seed=seeds)
def test_chain_factors_multiply_to_delta_s(f1, f2, seed):
    rng = np.random.default_rng(seed)
    net = SlideNet.random(rng, f1=f1, f2=f2)
    x, y = rng.standard_normal(2), rng.uniform(size=2)
    forward = net.forward(x)
    factors = chain_factors(net.as_sequential(), x, y)
    assert [name for name, _ in factors] == ["∂loss/∂ŷ = (ŷ − y)ᵀ", "∂ŷ/∂z = diag f₂′(z)", "∂z/∂h = wᵀ",
                                             "∂h/∂s = diag f₁′(s)"]  # the slides' names
    assert [m.shape for _, m in factors] == [(1, 2), (2, 2), (2, 3), (3, 3)]
    product = np.linalg.multi_dot([m for _, m in factors])
    np.testing.assert_allclose(product.ravel(), net.backward(forward, y).delta_s, rtol=1e-12, atol=1e-15)


def test_fit_lowers_the_loss_on_two_moons():
    X, Y = two_moons(n=40, seed=1)
    net = SlideNet.random(np.random.default_rng(0))
    fit = net.fit(X, Y, learning_rate=1.0, epochs=30, seed=0)
    assert fit.loss.shape == (30,) and fit.diverged_at is None
    assert fit.loss[-1] < 0.5 * fit.loss[0]
    again = SlideNet.random(np.random.default_rng(0)).fit(X, Y, learning_rate=1.0, epochs=30, seed=0)
    np.testing.assert_array_equal(fit.loss, again.loss)  # same seeds, same numbers
    assert fit.message == again.message and fit.message.startswith("trained 30 epochs")


def test_fit_checks_shapes():
    net = SlideNet.random(np.random.default_rng(0))
    with pytest.raises(ValueError, match="Y"):
        net.fit(np.zeros((5, 2)), np.zeros((4, 2)), 0.1, 1)
