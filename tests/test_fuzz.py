"""Generated bad input thrown at every public function and class of lecturekit.

For each call, one argument at a time gets a generated bad value (None, a string, NaN, ±inf, 0, a
negative number, an empty or wrongly shaped array, an int/bool/complex/object/str array, a ragged
list, …). The call may accept it (some of these are fine for some arguments), but then it must
not warn; otherwise it must raise a ValueError or TypeError whose message names the argument.
Either way it must warn nothing, and a refused call must change nothing: no weights, no running
statistics, no velocities.

And the reverse: valid edge inputs work (batch 1 where legal, width 1, depth 1, numpy scalars).
"""

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lecturekit as lk
from lecturekit import (
    data,
    descent,
    diagnostics,
    glorot,
    gradcheck,
    landscape,
    optim,
    scalar_resnet,
    shortcut,
    train,
)
from lecturekit import widgets as W
from lecturekit.layers import Layer, leaves

# Values that are wrong for most arguments; a call may still accept one that suits it.
BAD_SCALARS = [None, "a", "", [], {}, (1, 2), np.nan, np.inf, -np.inf, 0, -1, -0.5, 1e308, 10**400,
               True, 1j, np.float64(np.nan), np.int64(-3), object()]


def bad_arrays(shape):
    """Arrays wrong in kind or shape for an argument that wants finite floats of `shape`."""
    good = np.ones(shape)
    wrong = (shape[0] + 1, *tuple(shape[1:])) if shape else (2,)
    return [np.full(shape, np.nan), np.full(shape, np.inf), np.ones(wrong), np.ones((0, *tuple(shape[1:]))),
            np.ones((*tuple(shape), 1)), good.astype(bool), good.astype(complex), good.astype(object),
            np.full(shape, "x"), good.tolist() if shape else "1", [[1.0], [1.0, 2.0]], good.ravel()[:1]]


def bad_values(example):
    """A strategy for bad replacements of the argument whose valid value is `example`."""
    arrays = bad_arrays(np.shape(example)) if isinstance(example, np.ndarray) else []
    return st.sampled_from(BAD_SCALARS + arrays)


def state(obj):
    """Every array a call could change: a net's weights and BN statistics, a SlideNet's v and w,
    a dict's arrays, an optimizer's velocities."""
    if isinstance(obj, Layer):
        arrays = dict(obj.params)
        for i, layer in enumerate(leaves(obj)):
            for name in ("running_mean", "running_var"):
                if hasattr(layer, name):
                    arrays[f"{i}.{name}"] = getattr(layer, name)
        return {name: np.array(a, copy=True) for name, a in arrays.items()}
    if isinstance(obj, lk.SlideNet):
        return {"v": obj.v.copy(), "w": obj.w.copy()}
    if isinstance(obj, optim.SGD):
        return {name: v.copy() for name, v in obj.velocity.items()}
    if isinstance(obj, dict):
        return {name: np.array(a, copy=True) for name, a in obj.items()}
    return {}


@dataclass
class Case:
    """One public call: `call(target, **arguments)`, with `target = make()` built fresh each time."""

    name: str
    call: Callable
    arguments: dict
    make: Callable = field(default=lambda: None)


def rng():
    return np.random.default_rng(0)


def forwarded(layer, x):
    layer.forward(x)
    return layer


X, Y = np.random.default_rng(1).standard_normal((8, 2)), np.random.default_rng(2).random((8, 1))
P = {"0.W": np.ones((2, 3)), "0.b": np.zeros(3)}

CASES = [
    Case("build_mlp", lambda _, **a: lk.build_mlp(**a),
         dict(depth=3, width=4, activation="relu", init="he", n_in=2, n_out=1, slope=0.01,
              bias_init=0.0, batch_noise=0.0, rng=rng())),
    Case("init_weights", lambda _, **a: lk.init_weights(**a),
         dict(name="normal", fan_in=2, fan_out=3, rng=rng(), std=0.5)),
    Case("get_activation", lambda _, **a: lk.get_activation(**a), dict(name="leaky_relu", slope=0.1)),
    Case("Activation", lambda _, **a: lk.Activation(**a), dict(name="leaky_relu", slope=0.1)),
    Case("Linear", lambda _, **a: lk.Linear(**a), dict(n_in=2, n_out=3, rng=rng(), init="he")),
    Case("BatchNorm", lambda _, **a: lk.BatchNorm(**a), dict(features=3, momentum=0.1, eps=1e-5)),
    Case("Linear.forward", lambda layer, **a: layer.forward(**a), dict(x=np.ones((4, 2))),
         lambda: lk.Linear(2, 3, rng())),
    Case("Activation.forward", lambda layer, **a: layer.forward(**a), dict(s=np.ones((4, 3))),
         lambda: lk.Activation("tanh")),
    Case("BatchNorm.forward", lambda layer, **a: layer.forward(**a), dict(x=np.ones((4, 3))),
         lambda: lk.BatchNorm(3)),
    Case("net.forward", lambda net, **a: net.forward(**a), dict(x=np.ones((4, 2))),
         lambda: lk.build_mlp(3, 4, batchnorm=True)),
    Case("Linear.backward", lambda layer, **a: layer.backward(**a), dict(grad_out=np.ones((4, 3))),
         lambda: forwarded(lk.Linear(2, 3, rng()), np.ones((4, 2)))),
    Case("BatchNorm.backward", lambda layer, **a: layer.backward(**a), dict(grad_out=np.ones((4, 3))),
         lambda: forwarded(lk.BatchNorm(3), np.arange(12.0).reshape(4, 3))),
    Case("net.backward", lambda net, **a: net.backward(**a), dict(grad_out=np.ones((4, 1))),
         lambda: forwarded(lk.build_mlp(3, 4), np.ones((4, 2)))),
    Case("sse", lambda _, **a: lk.sse(**a), dict(y_hat=np.ones((4, 2)), y=np.zeros((4, 2)))),
    Case("mse", lambda _, **a: lk.mse(**a), dict(y_hat=np.ones((4, 2)), y=np.zeros((4, 2)))),
    Case("softmax_cross_entropy", lambda _, **a: lk.softmax_cross_entropy(**a),
         dict(logits=np.ones((4, 3)), labels=np.array([0, 1, 2, 0]))),
    Case("numerical_gradient", lambda _, **a: gradcheck.numerical_gradient(**a),
         dict(f=lambda: 1.0, array=np.ones(3), eps=1e-5)),
    Case("relative_error", lambda _, **a: gradcheck.relative_error(**a),
         dict(analytic=np.ones(3), numeric=np.ones(3))),
    Case("check_layer", lambda _, **a: gradcheck.check_layer(**a),
         dict(layer=lk.Linear(2, 2, rng()), x=np.ones((2, 2)))),
    Case("SlideNet", lambda _, **a: lk.SlideNet(**a),
         dict(v=np.ones((2, 3)), w=np.ones((3, 2)), f1="sigmoid", f2="sigmoid")),
    Case("SlideNet.random", lambda _, **a: lk.SlideNet.random(**a),
         dict(rng=rng(), n_in=2, n_hidden=3, n_out=2, f1="tanh", init="he")),
    Case("SlideNet.forward", lambda net, **a: net.forward(**a), dict(x=np.ones(2)),
         lambda: lk.SlideNet.random(rng())),
    Case("SlideNet.step", lambda net, **a: net.step(**a),
         dict(x=np.ones(2), y=np.array([1.0, 0.0]), learning_rate=0.5), lambda: lk.SlideNet.random(rng())),
    Case("SlideNet.fit", lambda net, **a: net.fit(**a),
         dict(X=np.ones((4, 2)), Y=np.ones((4, 2)), learning_rate=0.5, epochs=2, seed=0),
         lambda: lk.SlideNet.random(rng())),
    Case("SlideNet.loss", lambda net, **a: net.loss(**a), dict(y_hat=np.ones(2), y=np.zeros(2)),
         lambda: lk.SlideNet.random(rng())),
    Case("one_hot", lambda _, **a: data.one_hot(**a), dict(labels=np.array([0, 1, 2]), classes=3)),
    Case("two_moons", lambda _, **a: data.two_moons(**a), dict(n=10, seed=0, noise=0.1)),
    Case("xor", lambda _, **a: data.xor(**a), dict(n=10, seed=0, noise=0.1)),
    Case("circles", lambda _, **a: data.circles(**a), dict(n=10, seed=0, noise=0.1, ratio=0.5)),
    Case("spirals", lambda _, **a: data.spirals(**a), dict(n=10, seed=0, noise=0.1, turns=1.5)),
    Case("regression_1d", lambda _, **a: data.regression_1d(**a), dict(n=10, seed=0, noise=0.1)),
    Case("bowl_1d", lambda _, **a: descent.bowl_1d(**a), dict(curvature=2.0)),
    Case("bowl_2d", lambda _, **a: descent.bowl_2d(**a), dict(steepness=10.0)),
    Case("gradient_descent", lambda _, **a: descent.gradient_descent(**a),
         dict(problem=descent.bowl_2d(), w0=np.zeros(2), learning_rate=0.1, steps=5)),
    Case("SGD", lambda _, **a: optim.SGD(**a), dict(learning_rate=0.1, momentum=0.5)),
    Case("SGD.step", lambda sgd, **a: sgd.step(**a),
         dict(params={"W": np.ones((2, 2))}, grads={"W": np.ones((2, 2))}),
         lambda: optim.SGD(0.1, momentum=0.5)),
    Case("clip_by_norm", lambda _, **a: optim.clip_by_norm(**a), dict(grads=dict(P), max_norm=1.0)),
    Case("clip_by_value", lambda _, **a: optim.clip_by_value(**a), dict(grads=dict(P), max_value=1.0)),
    Case("l1_penalty", lambda _, **a: optim.l1_penalty(**a), dict(params=dict(P), strength=0.1)),
    Case("l2_penalty", lambda _, **a: optim.l2_penalty(**a), dict(params=dict(P), strength=0.1)),
    Case("train", lambda net, **a: train.train(net, **a),
         dict(X=X, Y=Y, loss="mse", learning_rate=0.1, steps=2, batch_size=4, momentum=0.5,
              clip_norm=1.0, clip_value=1.0, l1=0.01, l2=0.01, watch=0, seed=0),
         lambda: lk.build_mlp(3, 4, batchnorm=True)),
    Case("snapshot", lambda net, **a: diagnostics.snapshot(net, **a), dict(X=X, Y=Y, loss="mse"),
         lambda: lk.build_mlp(3, 4)),
    Case("chain_factors", lambda net, **a: diagnostics.chain_factors(net, **a),
         dict(x=np.ones(2), y=np.ones(1)), lambda: lk.build_mlp(3, 4, "sigmoid", "xavier")),
    Case("nonconvexity", lambda _, **a: landscape.nonconvexity(**a),
         dict(losses=np.ones((5, 5)), alphas=np.linspace(-1, 1, 5), betas=np.linspace(-1, 1, 5))),
    Case("filter_normalized_direction", lambda net, **a: landscape.filter_normalized_direction(net, **a),
         dict(rng=rng()), lambda: lk.build_mlp(3, 4)),
]

CASES += [
    Case("best_weight", lambda _, **a: scalar_resnet.best_weight(**a), dict(x=2.0, y=1.0, shortcut=True)),
    Case("uniform_limit", lambda _, **a: glorot.uniform_limit(**a),
         dict(init="normalized", fan_in=3, fan_out=4)),
    Case("input_jacobian", lambda _, **a: shortcut.input_jacobian(**a),
         dict(layer=lk.Linear(2, 2, rng()), x=np.ones(2), eps=1e-6)),
]
# Every explorer's view, at its defaults: what a notebook cell or a student's call passes.
CASES += [Case(f"{explorer.name} view", lambda _, view=explorer.view, **a: view(**a), explorer.defaults())
          for explorer in W.EXPLORERS.values()]

ARGUMENTS = [(case, name) for case in CASES for name in case.arguments]


def names_the_argument(message, name):
    return name.lower() in message.lower()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_case_works_with_its_valid_arguments(case):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        case.call(case.make(), **case.arguments)


@settings(max_examples=600, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_bad_input_raises_a_value_or_type_error_that_names_the_argument(data):
    case, name = data.draw(st.sampled_from(ARGUMENTS), label="argument")
    bad = data.draw(bad_values(case.arguments[name]), label="bad value")
    target = case.make()
    before = state(target)
    arguments = {**case.arguments, name: bad}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning, ComplexWarning, … may reach a notebook
        try:
            case.call(target, **arguments)
        except (ValueError, TypeError) as error:
            assert names_the_argument(str(error), name), (
                f"{case.name}({name}={bad!r}) raised {type(error).__name__} without naming "
                f"{name!r}: {error}")
            after = state(target)
            assert before.keys() == after.keys() and all(
                np.array_equal(before[k], after[k], equal_nan=True) for k in before), (
                f"{case.name}({name}={bad!r}) was refused but changed {target!r}")
        except Exception as error:
            pytest.fail(f"{case.name}({name}={bad!r}) raised {type(error).__name__}: {error}")


EDGES = {
    "batch of 1 in a Linear layer": lambda: lk.Linear(2, 3, rng()).forward(np.ones((1, 2))),
    "batch of 1 in a BN net in eval mode": lambda: lk.build_mlp(3, 4, batchnorm=True).eval().forward(
        np.ones((1, 2))),
    "width 1": lambda: train.train(lk.build_mlp(3, 1), X, Y, steps=2),
    "depth 1": lambda: train.train(lk.build_mlp(1, 4), X, Y, steps=2),
    "one example": lambda: train.train(lk.build_mlp(2, 4), X[:1], Y[:1], steps=2),
    "numpy scalars": lambda: train.train(lk.build_mlp(np.int64(2), np.int32(4)), X, Y,
                                         learning_rate=np.float32(0.1), steps=np.int64(2),
                                         l2=np.float64(0.01), momentum=np.float32(0.5)),
    "lists": lambda: lk.mse([[1.0, 2.0]], [[0.0, 0.0]]),
    "int data": lambda: train.train(lk.build_mlp(2, 4), X.round().astype(int), Y.round().astype(int),
                                    steps=2),
    "SlideNet on lists": lambda: lk.SlideNet([[1, 0, 0], [0, 1, 0]], [[1, 0], [0, 1], [1, 1]]).forward(
        [1, 2]),
}


@pytest.mark.parametrize("edge", list(EDGES))
def test_valid_edge_inputs_work(edge):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert EDGES[edge]() is not None
