"""Every bad input a careless student tried is refused with a ValueError or TypeError that names
the argument, changes nothing, and warns nothing; divergence is reported, never raised as bad input.

Each case below is one finding of the bad-input review, as a (call, error type, words the message
must contain) row; the silent wrong results come after the table.
"""

import warnings

import numpy as np
import pytest

import lecturekit as lk
from lecturekit import data, descent, experiments, gradcheck, optim, train
from lecturekit import widgets as W
from lecturekit.landscape import nonconvexity


def rng():
    return np.random.default_rng(0)


X, Y = experiments.moons_task()


def small_net():
    return lk.build_mlp(3, 4)


REFUSED = {
    # wrong results with no error
    "numerical_gradient on an int array": (
        lambda: gradcheck.numerical_gradient(lambda: 0.0, np.array([1, 2])), TypeError, "array"),
    "SGD.step with a gradient of the wrong shape": (
        lambda: optim.SGD(0.1).step({"W": np.ones((2, 3))}, {"W": np.ones(1)}), ValueError, "shape"),
    "build_mlp bias_init=None": (lambda: lk.build_mlp(3, 4, bias_init=None), TypeError, "bias_init"),
    "build_mlp init='small' with std": (
        lambda: lk.build_mlp(3, 4, init="small", std=0.5), ValueError, "std"),
    "build_mlp batch_noise='a'": (
        lambda: lk.build_mlp(3, 4, batchnorm=True, batch_noise="a"), TypeError, "batch_noise"),
    "regularization_view penalty='L3'": (
        lambda: W.regularization_view(penalty="L3"), ValueError, "penalty"),
    "clip_view threshold=-1": (lambda: W.clip_view(threshold=-1.0), ValueError, "threshold"),
    "train with NaN in Y": (
        lambda: train.train(small_net(), X, np.full_like(Y, np.nan), steps=1), ValueError, "Y"),
    "train l2=NaN": (lambda: train.train(small_net(), X, Y, steps=1, l2=np.nan), ValueError, "l2"),
    "train l1=-0.1": (lambda: train.train(small_net(), X, Y, steps=1, l1=-0.1), ValueError, "l1"),
    "BatchNorm eps=-1": (lambda: lk.BatchNorm(3, eps=-1.0), ValueError, "eps"),
    "clip_by_norm of an inf gradient": (
        lambda: optim.clip_by_norm({"W": np.array([np.inf, 1.0])}, 1.0), ValueError, "grads"),
    "one_hot of -1": (lambda: data.one_hot([-1]), ValueError, "labels"),
    "SlideNet.step with α = NaN": (
        lambda: lk.SlideNet.random(rng()).step([1.0, 0.5], [1.0, 0.0], np.nan), ValueError,
        "learning_rate"),
    "SlideNet.fit with α = -1": (
        lambda: lk.SlideNet.random(rng()).fit(*data.two_moons(20), -1.0, 3), ValueError,
        "learning_rate"),
    "build_mlp with a slope its activation does not use": (
        lambda: lk.build_mlp(3, 4, "relu", slope="a"), TypeError, "slope"),
    "Linear.forward on no examples": (
        lambda: lk.Linear(2, 3, rng()).forward(np.ones((0, 2))), ValueError, "x"),
    "Activation.forward on nothing": (
        lambda: lk.Activation("relu").forward(np.ones((0, 3))), ValueError, "s"),
    "SlideNet with no inputs": (lambda: lk.SlideNet(np.ones((0, 3)), np.ones((3, 2))), ValueError, "v"),
    # were ZeroDivisionError
    "init_weights he fan_in=0": (lambda: lk.init_weights("he", 0, 3, rng()), ValueError, "fan_in"),
    "init_weights xavier fan_in=-3": (
        lambda: lk.init_weights("xavier", -3, 3, rng()), ValueError, "fan_in"),
    "mse of empty arrays": (lambda: lk.mse(np.ones((0, 1)), np.ones((0, 1))), ValueError, "y_hat"),
    "train on an empty X": (
        lambda: train.train(small_net(), np.ones((0, 2)), np.ones((0, 1)), steps=1), ValueError, "X"),
    "scalar_resnet_view x=0": (lambda: W.scalar_resnet_view(x=0.0), ValueError, "x"),
    "bowl_1d curvature 0": (lambda: descent.bowl_1d(0.0), ValueError, "curvature"),
    "numerical_gradient eps=0": (
        lambda: gradcheck.numerical_gradient(lambda: 0.0, np.ones(2), eps=0), ValueError, "eps"),
    # were IndexError
    "train watch=100": (lambda: train.train(small_net(), X, Y, steps=1, watch=100), ValueError, "watch"),
    "batchnorm_view depth=1": (lambda: W.batchnorm_view(depth=1), ValueError, "depth"),
    "nonconvexity of a 1×1 grid": (
        lambda: nonconvexity(np.zeros((1, 1)), np.zeros(1), np.zeros(1)), ValueError, "losses"),
    "landscape_view resolution=1": (lambda: W.landscape_view(resolution=1), ValueError, "resolution"),
    "landscape_view resolution=2": (lambda: W.landscape_view(resolution=2), ValueError, "resolution"),
    "one_hot of 5 with 2 classes": (lambda: data.one_hot([0, 5]), ValueError, "labels"),
    # were KeyError
    "remedy_view remedy='foo'": (lambda: W.remedy_view(remedy="foo"), ValueError, "remedy"),
    "SGD.step with an unknown name": (
        lambda: optim.SGD(0.1).step({"W": np.ones(2)}, {"V": np.ones(2)}), ValueError, "grads"),
    # were AttributeError
    "Linear.backward before forward": (
        lambda: lk.Linear(2, 3, rng()).backward(np.ones((1, 3))), ValueError, "forward"),
    "Activation.backward before forward": (
        lambda: lk.Activation("relu").backward(np.ones((1, 3))), ValueError, "forward"),
    "BatchNorm.backward before forward": (
        lambda: lk.BatchNorm(3).backward(np.ones((2, 3))), ValueError, "forward"),
    "Sequential.backward before forward": (
        lambda: small_net().backward(np.ones((2, 1))), ValueError, "forward"),
    "clip_by_norm of a list": (lambda: optim.clip_by_norm([np.ones(2)], 1.0), TypeError, "grads"),
    "l2_penalty of a list": (lambda: optim.l2_penalty([np.ones(2)], 0.1), TypeError, "params"),
    "l1_penalty of a list": (lambda: optim.l1_penalty([np.ones(2)], 0.1), TypeError, "params"),
    "train(None, …)": (lambda: train.train(None, X, Y, steps=1), TypeError, "net"),
    # errors that did not name the argument
    "train learning_rate=None": (
        lambda: train.train(small_net(), X, Y, steps=1, learning_rate=None), TypeError,
        "learning_rate"),
    "BatchNorm momentum=None": (lambda: lk.BatchNorm(3, momentum=None), TypeError, "momentum"),
    "train clip_norm=0": (lambda: train.train(small_net(), X, Y, steps=1, clip_norm=0), ValueError,
                          "clip_norm"),
    "train with Y=None": (lambda: train.train(small_net(), X, None, steps=1), TypeError, "Y"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_bad_input_is_refused_with_a_message_that_names_it(case):
    call, error, words = REFUSED[case]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning would be red noise in a notebook
        with pytest.raises(error) as raised:
            call()
    assert words in str(raised.value), f"{case}: {raised.value}"


def test_a_refused_train_call_changes_nothing():
    # clip_norm=0 was noticed only after the first forward pass had moved BN's running statistics.
    net = lk.build_mlp(3, 4, batchnorm=True)
    before = {name: array.copy() for name, array in net.params.items()}
    norm = net[1]
    mean, var = norm.running_mean.copy(), norm.running_var.copy()
    with pytest.raises(ValueError, match="clip_norm"):
        train.train(net, X, Y, steps=1, clip_norm=0)
    assert all(np.array_equal(before[name], array) for name, array in net.params.items())
    assert np.array_equal(norm.running_mean, mean) and np.array_equal(norm.running_var, var)


def test_a_refused_sgd_step_changes_no_weight():
    params = {"a": np.ones(2), "b": np.ones(2)}
    with pytest.raises(ValueError, match="'c'"):
        optim.SGD(0.1).step(params, {"a": np.ones(2), "c": np.ones(2)})
    assert np.array_equal(params["a"], np.ones(2))


def test_train_checks_its_last_update():
    # One step at α = 1 from large weights: the loss before it is finite, after it 1e44.
    net = lk.build_mlp(6, 16, "relu", "large")
    history = train.train(net, X, Y, learning_rate=1.0, steps=1)
    assert history.diverged_at == 2, history.message
    assert "after the last update" in history.message
    assert np.isnan(history.final_loss)


def test_train_reports_the_loss_after_training_and_changes_no_bn_statistics_to_measure_it():
    net = lk.build_mlp(3, 8, batchnorm=True, batch_noise=0.3)
    history = train.train(net, X, Y, steps=5)
    norm, noise = net[1], net[2]
    mean, state = norm.running_mean.copy(), noise.rng.bit_generator.state
    again = train._loss_now(net, X, Y, lk.mse)
    assert np.array_equal(norm.running_mean, mean) and noise.rng.bit_generator.state == state
    assert history.final_loss == pytest.approx(again)
    assert history.message.endswith(f"→ {history.final_loss:.3g}")
    assert history.final_loss != history.loss[-1]  # after the last update, not before it


def test_slide_net_fit_reports_divergence_with_its_step_and_keeps_finite_weights():
    net = lk.SlideNet.random(rng(), f1="relu", f2="identity")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = net.fit(*data.two_moons(60), 10.0, 5)
    assert fit.diverged_at is not None and f"step {fit.diverged_at}" in fit.message
    assert np.isfinite(net.w).all() and np.isfinite(net.v).all()
    assert net.steps_taken == fit.diverged_at


def test_slide_net_step_raises_diverged_not_a_value_error():
    net = lk.SlideNet(np.full((2, 3), 300.0), np.full((3, 2), 300.0), "relu", "identity")
    with pytest.raises(lk.checks.Diverged, match="step 1"):
        net.step([1e300, 1e300], [0.0, 0.0], 1.0)
    assert not issubclass(lk.checks.Diverged, ValueError)


def test_slide_net_fit_returns_the_epoch_losses_when_it_converges():
    X2, Y2 = data.two_moons(40)
    fit = lk.SlideNet.random(rng()).fit(X2, Y2, 1.0, 20)
    assert fit.diverged_at is None and len(fit.loss) == 20 and fit.loss[-1] < fit.loss[0]


def test_numpy_scalars_are_numbers():
    assert lk.Activation("leaky_relu", slope=np.float32(0.1)).function.name == "leaky_relu(0.1)"
    assert optim.SGD(np.float64(0.1), momentum=np.float32(0.5)).learning_rate == pytest.approx(0.1)
    assert lk.build_mlp(np.int64(3), np.int32(4)).params["0.W"].shape == (2, 4)
    assert len(W.depth_view(depth=np.int64(3)).summary)


def test_the_checkers_report_overflow_and_complex_answers_instead_of_raising():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not lk.exercises.check_forward(lambda x, v, w: 10**400)
        assert "complex" in repr(lk.exercises.check_forward(lambda x, v, w: 1j))


def test_an_overflow_is_reported_not_warned():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(lk.NonFiniteError, match="x W"):
            lk.Linear.from_weights(np.full((2, 3), 10.0)).forward(np.full((2, 2), 1e308))
        assert lk.mse(np.full((2, 1), 1e308), np.full((2, 1), -1e308))[0] == np.inf
        # the ratio is scale-free: 1e308 and 1e307 are 9/11 apart, as 10 and 1 are
        assert gradcheck.relative_error([1e308], [1e307]) == pytest.approx(9 / 11)


def test_names_are_checked_without_comparing_arrays():
    with pytest.raises(ValueError, match="name"):
        lk.get_activation(np.array([1, 2, 3]))
    with pytest.raises(TypeError, match="shortcut"):
        lk.scalar_resnet.best_weight(2.0, 1.0, shortcut=np.ones(2))


def test_a_loss_curve_ends_with_the_loss_after_training():
    history = train.train(small_net(), X, Y, steps=4)
    assert len(history.loss_curve) == 5 and history.loss_curve[-1] == history.final_loss
    diverged = train.train(lk.build_mlp(6, 16, "relu", "large"), X, Y, learning_rate=1.0, steps=1)
    assert len(diverged.loss_curve) == len(diverged.loss)  # no final loss to draw


# Found by a fuzz of the public API written without these tests in view.

def test_slide_net_fit_reports_an_output_that_blew_up_instead_of_raising():
    X2, Y2 = data.two_moons(16, seed=1)
    for rate in (1000.0, 1e300):
        fit = lk.SlideNet.random(rng(), f1="identity", f2="identity").fit(X2, Y2, rate, 5)
        assert fit.diverged_at is not None and "diverged" in fit.message


def test_refused_calls_move_no_running_statistic_and_no_generator():
    net = lk.build_mlp(3, 4, batchnorm=True)
    norm = net[1]
    mean = norm.running_mean.copy()
    X2, Y2 = data.two_moons(16, seed=1)  # two columns: the net has one output
    with pytest.raises(ValueError, match="Y"):
        train.train(net, X2, Y2, steps=3)
    with pytest.raises(ValueError, match="eps"):
        lk.check_layer(norm, X2[:, :1].repeat(4, axis=1), eps=0)
    assert np.array_equal(norm.running_mean, mean)
    generator = rng()
    state = generator.bit_generator.state
    with pytest.raises(ValueError, match="f1"):
        lk.SlideNet.random(generator, f1="bogus")
    assert generator.bit_generator.state == state


def test_a_refused_forward_leaves_the_cache_of_the_last_accepted_one():
    layer = lk.Linear.from_weights([[1e10], [1e10]], [0.0])
    layer.forward(np.ones((2, 2)))
    with pytest.raises(lk.NonFiniteError, match="x W"):
        layer.forward(np.full((2, 2), 1e300))
    layer.backward(np.ones((2, 1)))
    assert layer.grads["W"].tolist() == [[2.0], [2.0]]


def test_a_refused_step_changes_no_weight_and_counts_no_step():
    params = {"a": np.ones(2), "b": np.ones(2)}
    params["b"].setflags(write=False)
    sgd = optim.SGD(0.1, momentum=0.9)
    with pytest.raises(TypeError, match="params"):
        sgd.step(params, {"a": np.ones(2), "b": np.ones(2)})
    assert params["a"].tolist() == [1.0, 1.0] and sgd.velocity == {}
    net = lk.slide_net.example_net()
    with pytest.raises(ValueError, match="x"):
        net.step([1.0, 2.0, 3.0], [1.0, 0.0], 0.1)
    assert net.steps_taken == 0


WARNED_BEFORE = {
    "softmax cross-entropy of logits ±1e308": lambda: lk.softmax_cross_entropy([[1e308, -1e308]], [1]),
    "L2 penalty of weights 1e200": lambda: optim.l2_penalty({"W": np.full(2, 1e200)}, 1.0),
    "frobenius of -1e308": lambda: lk.diagnostics.frobenius(np.full((4, 2), -1e308)),
    "a student's answer beyond float64": lambda: lk.exercises.check_gradient_step(
        lambda *a: np.array([np.longdouble("1e400")] * 3)),
    "a norm of int64's smallest": lambda: optim.global_norm({"W": np.array([-2**63])}),
}


@pytest.mark.parametrize("case", list(WARNED_BEFORE))
def test_calls_that_warned_no_longer_warn(case):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        WARNED_BEFORE[case]()
    assert optim.global_norm({"W": np.array([-2**63])}) > 0


RAISED_OTHER_TYPES = {
    "BatchNorm on 1e308": (lambda: lk.BatchNorm(1).forward([[1e308], [1e308]]), ValueError, "x"),
    "gradient descent from w0 = 1e200": (
        lambda: descent.gradient_descent(descent.bowl_1d(), [1e200], 0.1, 10), ValueError, "w0"),
    "numerical_gradient of a complex f": (
        lambda: gradcheck.numerical_gradient(lambda: 1 + 1j, np.zeros(2)), TypeError, "f()"),
    "block_gradient_ratios before backward": (
        lambda: lk.shortcut.block_gradient_ratios(lk.build_mlp(4, 3, residual=True)), ValueError, "backward"),
    "dead_fraction before forward": (
        lambda: lk.diagnostics.dead_fraction([lk.Activation("relu")]), ValueError, "forward"),
    "an empty Sequential": (lambda: lk.Sequential(), ValueError, "layers"),
    "snapshot of a net without a Linear layer": (
        lambda: lk.diagnostics.snapshot(lk.Sequential(lk.Activation("relu")), X, Y), ValueError, "net"),
    "penalty keyed by a number": (lambda: optim.l1_penalty({1: np.ones(2)}, 0.1), TypeError, "params"),
    "scalar_resnet overflow": (lambda: lk.scalar_resnet.loss(1e200, 1.0, 0.0, False), ValueError, "w"),
    "a flat quadratic": (
        lambda: descent.Quadratic(np.zeros((1, 1)), np.zeros(1)), ValueError, "curvature"),
    "a width with 1e12 weights": (lambda: lk.build_mlp(3, 10**6), ValueError, "n_in × n_out"),
    "a view's knob by position": (lambda: W.descent_1d_view(None, 0.5), TypeError, "by name"),
    "a view's plot of another kind": (lambda: W.descent_1d_view(plot="a"), TypeError, "plot"),
    "a Setup with a negative seed": (
        lambda: experiments.Setup(seed=-1).build(), ValueError, "seed"),
}


@pytest.mark.parametrize("case", list(RAISED_OTHER_TYPES))
def test_calls_that_raised_other_types_are_refused_by_name(case):
    call, error, words = RAISED_OTHER_TYPES[case]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(error) as raised:
            call()
    assert words in str(raised.value), f"{case}: {raised.value}"


def test_what_raised_before_now_works():
    net = lk.build_mlp(3, 4, bias=False)
    assert len(experiments.off_unit_gradients(net, X, Y)) == 2  # a net without biases
    assert data.one_hot([0], classes=10**6).shape == (1, 10**6)  # one row, not a 10⁶ × 10⁶ eye
    assert lk.shortcut is not None and lk.glorot is not None  # reachable from `import lecturekit`


def test_functions_that_run_a_net_check_its_targets_before_the_forward_pass():
    net = lk.build_mlp(3, 4, batchnorm=True)
    mean = net[1].running_mean.copy()
    calls = [lambda: experiments.backprop_norms(net, X, Y[:, 0]),
             lambda: experiments.evaluate(net, X, np.ones((len(X), 2))),
             lambda: lk.diagnostics.snapshot(net, X, Y[:10]),
             lambda: lk.shortcut.gradient_ratio_parts(net, X, np.ones((len(X), 3)))]
    for call in calls:
        with pytest.raises(ValueError, match=r"\b[yY]\b"):
            call()
    assert np.array_equal(net[1].running_mean, mean)


def test_a_residual_block_that_changes_width_is_refused_when_built_and_an_unhashable_knob_by_name():
    with pytest.raises(ValueError, match="block"):
        lk.Residual(lk.Sequential(lk.Linear(2, 3, rng()), lk.BatchNorm(3)))
    with pytest.raises(ValueError, match="init"):
        lk.glorot.trajectory(0, init=["standard"])
