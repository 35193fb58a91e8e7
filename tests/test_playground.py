"""Notebook 10's playground, without widgets: settings as text, uploaded points, rewind and A/B."""

import copy

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lecturekit.batchnorm import BatchNorm
from lecturekit.diagnostics import hidden_activations
from lecturekit.layers import leaves
from lecturekit.nets import linear_layers
from lecturekit.playground import DATA_KNOBS, KNOBS, Playground, Setting, read_csv

#: Small and quick: every knob test trains this for a few steps.
SMALL = Setting(points=24, width=4)


def knob_values(knob):
    if knob.onoff:
        return st.booleans()
    if knob.choices:
        return st.sampled_from(knob.choices)
    if knob.integer:
        return st.integers(int(knob.low), int(knob.high))
    return st.floats(knob.low, knob.high, allow_nan=False)


settings = st.fixed_dictionaries({key: knob_values(knob) for key, knob in KNOBS.items()}).filter(
    lambda knobs: not (knobs["batchnorm"] and knobs["batch"] == 1)).map(lambda knobs: Setting(**knobs))


@given(settings)
def test_a_setting_survives_its_text(setting):
    text = setting.to_text()
    assert "\n" not in text
    assert Setting.from_text(text) == setting
    assert Setting.from_text(text).to_text() == text


def test_a_short_text_changes_only_what_it_names():
    assert Setting.from_text("depth=6; lr=0.05;") == Setting(depth=6, lr=0.05)
    assert Setting.from_text("") == Setting()
    assert Setting.from_text("residual=on", base=Setting(depth=5)) == Setting(depth=5, residual=True)


@pytest.mark.parametrize("text, message", [
    ("depth=40", "depth must be an integer from 1 to 12, got 40"),
    ("lr=fast", "lr must be a number from 0.0001 to 10, got 'fast'"),
    ("lr=nan", "lr must be a number from 0.0001 to 10"),
    ("activation=swish", "activation must be one of identity, sigmoid, tanh, relu, leaky_relu, got .swish."),
    ("residual=maybe", "residual must be on or off, got 'maybe'"),
    ("width=2.5", "width must be an integer from 1 to 64, got '2.5'"),
    ("colour=red", "no knob named 'colour'; the knobs are data, points"),
    ("depth", "'depth' must be key=value"),
    ("depth=3;depth=4", "depth is given twice"),
    ("batchnorm=on;batch=1", "batch must be 0 .all points. or at least 2 with batchnorm=on"),
    ("lr=1_0", r"lr must be a number from 0.0001 to 10, got '1_0' \(no spaces or underscores"),
    ("depth=1_2", "depth must be an integer from 1 to 12, got '1_2' .no spaces or underscores"),
    ("lr=0. 3", "got '0. 3' .no spaces or underscores"),
    ("width=８", "width must be an integer from 1 to 64, got '８'"),
    ("depth=3 lr=0.1", "'depth=3 lr=0.1' holds more than one knob: knobs are separated by ';'"),
    ("data=moons,depth=3", "'data=moons,depth=3' holds more than one knob: knobs are separated by ';'"),
])
def test_a_bad_setting_is_refused_naming_the_knob(text, message):
    with pytest.raises(ValueError, match=message):
        Setting.from_text(text)


def test_a_bad_knob_value_is_refused_in_python_too():
    with pytest.raises(ValueError, match=r"noise must be a number from 0 to 0\.5, got 2"):
        Setting(noise=2)
    with pytest.raises(ValueError, match="no knob named speed"):
        Setting().but(speed=1)


GOOD_CSV = "x1,x2,label\n0,0,0\n1,1,1\n0.5,-1,2\n\n-1,0.5,0\n"


def test_a_csv_file_gives_points_and_labels():
    X, labels = read_csv(GOOD_CSV.encode())
    assert X.shape == (4, 2) and labels.tolist() == [0, 1, 2, 0]
    pg = Playground(SMALL, points=(X, labels))
    assert pg.classes == 3 and pg.run(2) == 2


@pytest.mark.parametrize("text, message", [
    ("", "the file is empty"),
    ("a,b,c\n1,2,0", "line 1: the header must be x1,x2,label"),
    ("x1,x2,label\n0,0,0\n1,1", "line 3: expected 3 columns x1,x2,label, got 2"),
    ("x1,x2,label\n0,0,0\n1,1,1,4", "line 3: expected 3 columns x1,x2,label, got 4"),
    ("x1,x2,label\n0,zero,0", "line 2: x2 must be a number, got 'zero'"),
    ("x1,x2,label\n0,0,0\nnan,1,1", "line 3: x1 must be a finite number"),
    ("x1,x2,label\n0,0,0\ninf,1,1", "line 3: x1 must be a finite number"),
    ("x1,x2,label\n0,0,1.5", "line 2: label must be a whole number from 0 to 4, got '1.5'"),
    ("x1,x2,label\n0,0,-1", "line 2: label must be a whole number from 0 to 4, got '-1'"),
    ("x1,x2,label\n0,0,7", "line 2: label must be a whole number from 0 to 4, got '7'"),
    ("x1,x2,label\n0,0,0\n1,1,²", "line 3: label must be a whole number from 0 to 4, got '²'"),
    ("x1,x2,label\n0,0,0\n1,1,١", "line 3: label must be a whole number from 0 to 4, got '١'"),
    ("x1,x2,label\n0,0,0\n1,1,2\n2,2,0\n3,3,2", "class 1 has no point"),
    ("x1,x2,label\n0,0,0\n1,1,0\n2,2,0\n3,3,0", "every point has label 0"),
    ("x1,x2,label\n0,0,0\n1,1,1\n2,2,0", "the file has 3 points; at least 4"),
    ("x1,x2,label\n" + "0,0,0\n" * 2001, "line 2002: more than 2000 points"),
])
def test_a_bad_csv_file_is_refused_naming_the_line(text, message):
    with pytest.raises(ValueError, match=message):
        read_csv(text)


def test_a_byte_order_mark_before_the_header_is_ignored():
    for text in ("\ufeff" + GOOD_CSV, ("\ufeff" + GOOD_CSV).encode()):
        _, labels = read_csv(text)
        assert labels.tolist() == [0, 1, 2, 0]


def test_a_file_that_is_not_text_is_refused():
    with pytest.raises(ValueError, match="must be UTF-8 text"):
        read_csv(b"x1,x2,label\n\xff\xfe")


def test_rewind_restores_the_exact_initial_weights():
    pg = Playground(SMALL.but(optimizer="momentum", batchnorm=True, batch=8))
    start = {name: p.copy() for name, p in pg.net.params.items()}
    pg.run(5)
    assert pg.checksum() != pg.start_checksum
    first_run = pg.history[0]
    pg.rewind()
    assert pg.steps == 0 and pg.checksum() == pg.start_checksum
    for name, p in pg.net.params.items():
        np.testing.assert_array_equal(p, start[name])
    pg.run(5)
    np.testing.assert_array_equal(pg.history[0], first_run)  # the same batches again


@pytest.mark.parametrize("knob, value", [
    ("lr", 1.0), ("activation", "relu"), ("residual", True), ("batchnorm", True),
    ("optimizer", "momentum"), ("clip", "norm"), ("penalty", "l2"), ("batch", 8)])
def test_an_ab_pair_starts_from_identical_weights(knob, value):
    a = Playground(SMALL.but(depth=4))
    a.add_point(0.1, 0.2, 1)
    b = a.but(**{knob: value})
    assert b.setting.differences(a.setting) == [knob]
    assert b.start_checksum == a.start_checksum
    np.testing.assert_array_equal(b.X, a.X)
    for layer_a, layer_b in zip(linear_layers(a.net), linear_layers(b.net), strict=True):
        np.testing.assert_array_equal(layer_a.params["W"], layer_b.params["W"])


def test_ab_changes_one_knob_only():
    with pytest.raises(ValueError, match="exactly one knob, got 2"):
        Playground(SMALL).but(lr=1.0, depth=2)


@pytest.mark.parametrize("knob, value", [("data", "xor"), ("points", 30), ("noise", 0.3), ("seed", 5)])
def test_ab_refuses_the_knobs_that_make_the_points(knob, value):
    assert knob in DATA_KNOBS
    with pytest.raises(ValueError, match=f"A/B compares knobs of the net or the training on the same "
                                         f"points; {knob} makes new points"):
        Playground(SMALL).but(**{knob: value})


def test_ab_keeps_the_classes_when_the_points_leave_one_out():
    a = Playground(Setting(data="blobs4", points=8, seed=23))
    assert a.classes == 4 and 3 not in a.labels  # 8 points drawn from 4 blobs miss the fourth
    b = a.but(lr=1.0)
    assert b.classes == 4 and b.start_checksum == a.start_checksum
    with pytest.raises(ValueError, match=r"classes must be an integer from 3 \(the labels go to 2\)"):
        Playground(SMALL, points=(a.X, a.labels), classes=2)


def test_a_batch_larger_than_the_points_is_refused():
    with pytest.raises(ValueError, match=r"batch must be at most the number of points, 24 \(or 0"):
        Playground(SMALL.but(batch=200))
    assert Playground(SMALL.but(batch=24)).run(2) == 2


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "identity"])
def test_dead_units_are_not_defined_for_an_activation_that_cannot_die(activation):
    pg = Playground(SMALL.but(activation=activation))
    pg.run(2)
    assert pg.dead_units() is None


def test_dead_units_are_measured_on_all_points_and_change_nothing():
    setting = SMALL.but(activation="relu", init="he", depth=4, batchnorm=True, batch=4, lr=1.0)
    measured, untouched = Playground(setting), Playground(setting)
    for _ in range(5):
        dead = measured.dead_units()
        # by hand: a unit is dead when its input s is ≤ 0 for every one of the 24 points
        net = copy.deepcopy(measured.net)
        net.forward(measured.X)
        by_hand = [np.mean(layer.s.max(axis=0) <= 0) for layer in hidden_activations(net)]
        np.testing.assert_array_equal(dead, by_hand)
        measured.step()
        untouched.step()
    np.testing.assert_array_equal(measured.history[0], untouched.history[0])
    assert measured.checksum() == untouched.checksum()
    for p, q in zip(measured.net.params.values(), untouched.net.params.values(), strict=True):
        np.testing.assert_array_equal(p, q)
    stats = [(bn.running_mean, bn.running_var) for pg in (measured, untouched)
             for bn in leaves(pg.net) if isinstance(bn, BatchNorm)]
    half = len(stats) // 2
    for (m1, v1), (m2, v2) in zip(stats[:half], stats[half:], strict=True):
        np.testing.assert_array_equal(m1, m2)
        np.testing.assert_array_equal(v1, v2)


def test_run_stops_when_asked_and_reports_each_step():
    pg = Playground(SMALL)
    seen = []
    done = pg.run(50, stop=lambda: len(seen) >= 7, report=seen.append)
    assert done == 7 == pg.steps and seen == list(range(1, 8))


def test_a_run_that_blows_up_stops_and_says_so():
    pg = Playground(SMALL.but(lr=10.0, init="large", depth=12, width=16, activation="relu"))
    assert pg.run(50) < 50
    assert pg.diverged.startswith("diverged at step")
    assert not pg.step()


def test_an_added_point_joins_the_data():
    pg = Playground(SMALL)
    pg.add_point(0.5, -0.25, 1)
    assert len(pg.X) == 25 and pg.labels[-1] == 1
    with pytest.raises(ValueError, match="label must be a class from 0 to 1, got 2"):
        pg.add_point(0.0, 0.0, 2)


def test_layer_numbers_show_weights_then_gradients():
    pg = Playground(SMALL)
    assert set(pg.layer_numbers(0)) == {"W", "b"}
    pg.step()
    assert set(pg.layer_numbers(2)) == {"W", "b", "∂L/∂W", "∂L/∂b"}
    with pytest.raises(ValueError, match="layer must be from 0 to 2, got 3"):
        pg.layer_numbers(3)


def every_knob_value():
    for key, knob in KNOBS.items():
        values = ((True, False) if knob.onoff else knob.choices if knob.choices
                  else (knob.low, knob.high))
        for value in values:
            yield key, value


@pytest.mark.parametrize("key, value", list(every_knob_value()))
def test_every_knob_value_trains_a_few_steps(key, value):
    setting = SMALL.but(**{key: value})
    if key == "points" and value == KNOBS["points"].high:
        setting = setting.but(width=2)
    if key == "batch" and value == 1:
        setting = setting.but(batchnorm=False)
    if key == "batch" and value == KNOBS["batch"].high:
        setting = setting.but(points=value, width=2)
    pg = Playground(setting)
    done = pg.run(3)
    assert done == 3 or pg.diverged, pg.summary()
    assert pg.summary().startswith(f"step {done}")
    _, norms = pg.history
    assert norms.shape == (done, setting.depth)
    dead = pg.dead_units()
    assert dead is None or dead.shape == (setting.depth - 1,)


def test_the_widget_says_what_ab_keeps_and_refuses_a_data_knob():
    from lecturekit.widgets.playground import PlaygroundUI

    ui = PlaygroundUI(SMALL.but(data="blobs4", points=8, seed=23))
    ui.ab_text.value = "data=xor"
    ui.act(ui.start_ab)
    assert ui.b is None
    assert "A/B compares knobs of the net or the training on the same points" in ui.message.value
    ui.ab_text.value = "lr=1.0"
    ui.act(ui.start_ab)
    assert ui.b.classes == ui.pg.classes == 4
    assert "The same: the 8 points, 4 classes, seed 23, the same initial weights" in ui.message.value
    ui.ab_text.value = "activation=relu"
    ui.act(ui.start_ab)
    assert ui.curves.dead_note.get_text() == "A: not defined\nfor tanh"
