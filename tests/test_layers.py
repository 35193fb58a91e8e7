"""Every layer's backward against central differences, over many shapes and seeds."""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lecturekit.activations import NAMES
from lecturekit.checks import NonFiniteError
from lecturekit.gradcheck import TOLERANCE, check_layer
from lecturekit.layers import Activation, Linear, Residual, Sequential
from lecturekit.nets import build_mlp

sizes = st.integers(min_value=1, max_value=6)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


def clear_of_kinks(net, x, margin=1e-3):
    """True when no ReLU-like unit gets an input within `margin` of its kink at 0: there the
    central difference straddles the kink and measures neither one-sided slope."""
    net.forward(x)
    return all(
        np.abs(layer.s).min() > margin
        for layer in net
        if isinstance(layer, Activation) and "relu" in layer.function.name
    )


def away_from_zero(x, margin=1e-3):
    """Inputs not within `margin` of 0, where ReLU's derivative jumps (central differences
    straddling the kink would disagree with the sub-gradient)."""
    return np.where(np.abs(x) < margin, margin * np.sign(x + 0.5 * margin), x)


@given(batch=sizes, n_in=sizes, n_out=sizes, bias=st.booleans(), seed=seeds)
def test_linear(batch, n_in, n_out, bias, seed):
    rng = np.random.default_rng(seed)
    layer = Linear(n_in, n_out, rng, init="normal", std=1.0, bias=bias)
    if bias:
        layer.params["b"][:] = rng.standard_normal(n_out)
    report = check_layer(layer, rng.standard_normal((batch, n_in)), seed=seed)
    assert report.passed(), str(report)
    assert set(report.errors) == {"x", "W"} | ({"b"} if bias else set())


@given(name=st.sampled_from(NAMES), batch=sizes, features=sizes, seed=seeds)
def test_activation(name, batch, features, seed):
    rng = np.random.default_rng(seed)
    x = away_from_zero(2 * rng.standard_normal((batch, features)))
    report = check_layer(Activation(name), x, seed=seed)
    assert report.passed(), str(report)


@given(
    depth=st.integers(1, 4),
    width=st.integers(2, 6),
    n_in=sizes,
    n_out=sizes,
    activation=st.sampled_from(["sigmoid", "tanh", "leaky_relu", "identity"]),
    slope=st.sampled_from([0.1, 0.3]),
    loss=st.sampled_from([None, "sse", "mse"]),
    seed=seeds,
)
def test_sequential(depth, width, n_in, n_out, activation, slope, loss, seed):
    # Deep sigmoid stacks, chains one unit wide and leaky slopes of 0.01 make the first layers'
    # gradients ~1e-6 of the loss: the vanishing gradient of notebook 04, finer than central
    # differences resolve in float64. So these nets stay shallow, wide and not too leaky.
    assume(activation != "sigmoid" or depth <= 3)
    rng = np.random.default_rng(seed)
    net = build_mlp(depth, width, activation, "xavier", rng, n_in=n_in, n_out=n_out, slope=slope)
    for name, b in net.params.items():
        if name.endswith(".b"):
            b[:] = 0.1 * rng.standard_normal(b.shape)
    x = rng.standard_normal((3, n_in))
    y = rng.standard_normal((3, n_out))
    assume(clear_of_kinks(net, x))
    report = check_layer(net, x, y=y, loss=loss, seed=seed)
    assert report.passed(), str(report)
    # every Linear layer's W and b is checked, and the input
    assert len(report.errors) == 1 + 2 * depth


@given(depth=st.integers(1, 4), seed=seeds)
def test_relu_net_with_softmax_cross_entropy(depth, seed):
    rng = np.random.default_rng(seed)
    net = build_mlp(depth, 5, "relu", "he", rng, n_in=3, n_out=4)
    x = rng.standard_normal((6, 3))
    labels = rng.integers(0, 4, size=6)
    assume(clear_of_kinks(net, x))
    report = check_layer(net, x, y=labels, loss="softmax_cross_entropy")
    assert report.passed(), str(report)


def test_gradient_check_catches_a_wrong_backward(rng):
    class FlippedLinear(Linear):
        def backward(self, grad_out):
            grad_in = super().backward(grad_out)
            self.grads["W"] = -self.grads["W"]  # the slides' sign slip
            return grad_in

    report = check_layer(FlippedLinear(3, 2, rng), rng.standard_normal((4, 3)))
    assert not report.passed()
    assert report.worst[0] == "W"
    assert report.worst[1] == pytest.approx(1.0)
    assert report.errors["x"] < TOLERANCE
    assert "FAIL" in str(report)


def test_float32_forward_keeps_dtype(rng):
    net = build_mlp(3, 4, "relu", "he", rng, dtype=np.float32)
    out = net.forward(rng.standard_normal((2, 2)).astype(np.float32))
    assert out.dtype == np.float32
    net.backward(np.ones_like(out))
    assert all(g.dtype == np.float32 for g in net.grads.values())


def test_sequential_params_are_the_layers_arrays(rng):
    net = build_mlp(2, 3, rng=rng)
    net.params["0.W"][0, 0] = 42.0
    assert net[0].params["W"][0, 0] == 42.0
    assert list(net.params) == ["0.W", "0.b", "2.W", "2.b"]


def test_train_eval_mode_reaches_every_layer(rng):
    net = build_mlp(3, 3, rng=rng)
    net.eval()
    assert not net.training and not any(layer.training for layer in net)
    net.train()
    assert net.training and all(layer.training for layer in net)


# Bad input: a clear error, never a silently broadcast wrong answer.


def test_shape_mismatch_shows_both_shapes(rng):
    layer = Linear(3, 2, rng)
    with pytest.raises(ValueError) as info:
        layer.forward(np.ones((5, 4)))
    assert "(batch, 3)" in str(info.value) and "(5, 4)" in str(info.value)
    with pytest.raises(ValueError, match=r"reshape"):
        layer.forward(np.ones(3))
    with pytest.raises(ValueError, match=r"\(5, 3, 1\)"):
        layer.forward(np.ones((5, 3, 1)))


def test_grad_out_shape_is_checked(rng):
    layer = Linear(3, 2, rng)
    layer.forward(np.ones((5, 3)))
    with pytest.raises(ValueError, match=r"\(5, 2\).*\(1, 2\)"):
        layer.backward(np.ones((1, 2)))  # would broadcast without the check
    act = Activation("relu")
    act.forward(np.ones((5, 3)))
    with pytest.raises(ValueError, match=r"\(5, 3\).*\(3,\)"):
        act.backward(np.ones(3))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_input(rng, bad):
    x = np.ones((2, 3))
    x[1, 2] = bad
    for layer in (Linear(3, 2, rng), Activation("sigmoid"), build_mlp(2, 4, n_in=3)):
        with pytest.raises(NonFiniteError, match="finite"):
            layer.forward(x)


@pytest.mark.parametrize(
    "bad", [np.array([["a", "b", "c"]]), np.ones((1, 3), dtype=bool), [[None, 1, 2]]]
)
def test_non_numeric_input(rng, bad):
    with pytest.raises(TypeError, match=r"numeric|numbers"):
        Linear(3, 2, rng).forward(bad)


def test_integer_input_becomes_float(rng):
    out = Linear(3, 2, rng).forward(np.array([[1, 2, 3]]))
    assert out.dtype == np.float64


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"depth": 0, "width": 3}, ValueError, "depth"),
        ({"depth": -2, "width": 3}, ValueError, "depth"),
        ({"depth": 2.5, "width": 3}, TypeError, "depth"),
        ({"depth": 3.0, "width": 3}, TypeError, "depth"),
        ({"depth": "3", "width": 3}, TypeError, "depth"),
        ({"depth": True, "width": 3}, TypeError, "depth"),
        ({"depth": 2, "width": 0}, ValueError, "width"),
        ({"depth": 2, "width": 1.5}, TypeError, "width"),
        ({"depth": 2, "width": 3, "activation": "relux"}, ValueError, "sigmoid'?, '?tanh'?, '?relu"),
        ({"depth": 2, "width": 3, "init": "glorot"}, ValueError, "xavier"),
        ({"depth": 2, "width": 3, "rng": 0}, TypeError, "Generator"),
    ],
)
def test_build_mlp_rejects_bad_arguments(kwargs, error, text):
    with pytest.raises(error, match=text):
        build_mlp(**kwargs)


def test_build_mlp_structure():
    net = build_mlp(4, 7, "tanh", "xavier", n_in=2, n_out=3)
    linears = [layer for layer in net if isinstance(layer, Linear)]
    assert [(lin.n_in, lin.n_out) for lin in linears] == [(2, 7), (7, 7), (7, 7), (7, 3)]
    assert [layer.function.name for layer in net if isinstance(layer, Activation)] == [
        "tanh", "tanh", "tanh", "identity"
    ]
    assert len(build_mlp(1, 5)) == 2
    assert len(build_mlp(100, 8)) == 200


def test_sequential_rejects_non_layers():
    with pytest.raises(TypeError, match="item 1"):
        Sequential(Activation("relu"), np.ones(3))


def test_activation_backward_is_grad_out_times_f_prime(rng):
    # ∂L/∂s = ∂L/∂h ⊙ f′(s), with sigmoid′ = h(1 − h) written out here; grad_out is left as it came.
    s = rng.standard_normal((4, 3))
    grad_out = rng.standard_normal((4, 3))
    kept = grad_out.copy()
    layer = Activation("sigmoid")
    h = 1 / (1 + np.exp(-s))
    layer.forward(s)
    np.testing.assert_allclose(layer.backward(grad_out), grad_out * h * (1 - h), rtol=1e-14)
    np.testing.assert_array_equal(grad_out, kept)


def test_linear_refuses_a_stack_of_batches(rng):
    # One net, one batch: (K, batch, n_in) is not a batch, and W is (n_in, n_out).
    layer = Linear(3, 2, rng)
    with pytest.raises(ValueError, match=r"\(batch, 3\).*\(2, 4, 3\)"):
        layer.forward(np.ones((2, 4, 3)))
    assert (layer.n_in, layer.n_out) == (3, 2)


def _small_layers(rng):
    return {
        "Linear": (Linear(2, 3, rng), (4, 2), (4, 3)),
        "Activation": (Activation("tanh"), (4, 3), (4, 3)),
        "Sequential": (Sequential(Linear(2, 3, rng), Activation("relu")), (4, 2), (4, 3)),
        "Residual": (Residual(Sequential(Linear(3, 3, rng), Activation("tanh"))), (4, 3), (4, 3)),
    }


@pytest.mark.parametrize("kind", ["Linear", "Activation", "Sequential", "Residual"])
def test_backward_before_forward_says_call_forward_first(rng, kind):
    layer, _, out_shape = _small_layers(rng)[kind]
    with pytest.raises(ValueError, match=r"\.backward: call forward first"):
        layer.backward(np.ones(out_shape))
    assert not layer.grads  # nothing was filled


def test_backward_names_the_layer_that_needs_its_forward(rng):
    with pytest.raises(ValueError, match=r"^Linear\(2 → 3\)\.backward: call forward first$"):
        Linear(2, 3, rng).backward(np.ones((1, 3)))
    with pytest.raises(ValueError, match=r"^Activation\(relu\)\.backward: call forward first$"):
        Activation("relu").backward(np.ones((1, 3)))


@pytest.mark.parametrize("kind", ["Linear", "Activation", "Sequential", "Residual"])
def test_a_list_grad_out_gives_what_an_array_gives(rng, kind):
    layer, in_shape, out_shape = _small_layers(rng)[kind]
    x, grad_out = rng.standard_normal(in_shape), rng.standard_normal(out_shape)
    layer.forward(x)
    from_array = layer.backward(grad_out)
    grads = {name: g.copy() for name, g in layer.grads.items()}
    np.testing.assert_array_equal(layer.backward(grad_out.tolist()), from_array)
    for name, g in layer.grads.items():
        np.testing.assert_array_equal(g, grads[name])


@pytest.mark.parametrize("kind", ["Linear", "Activation", "Sequential", "Residual"])
@pytest.mark.parametrize("bad", [None, "abc", [["a", "b", "c"]] * 4, [[1.0, 2.0], [3.0]], {"g": 1}])
def test_a_grad_out_that_is_not_numbers_is_refused_by_name(rng, kind, bad):
    layer, in_shape, _ = _small_layers(rng)[kind]
    layer.forward(rng.standard_normal(in_shape))
    ragged = isinstance(bad, list) and len({len(row) for row in bad}) > 1
    with pytest.raises(ValueError if ragged else TypeError, match="grad_out"):
        layer.backward(bad)


def test_a_refused_backward_changes_nothing(rng):
    net = Sequential(Linear(2, 3, rng), Activation("tanh"), Linear(3, 1, rng))
    x = rng.standard_normal((5, 2))
    net.forward(x)
    net.backward(np.ones((5, 1)))
    params = {name: p.copy() for name, p in net.params.items()}
    grads = {name: g.copy() for name, g in net.grads.items()}
    for bad in (np.ones((4, 1)), np.ones(5), [["x"]] * 5):
        with pytest.raises((ValueError, TypeError), match="grad_out"):
            net.backward(bad)
    for name in params:
        np.testing.assert_array_equal(net.params[name], params[name])
        np.testing.assert_array_equal(net.grads[name], grads[name])
