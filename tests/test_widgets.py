"""Every explorer at every setting the gallery shows (its defaults, each slider at its min and max,
every dropdown value), and at the corners where sliders are all at their max.

Warnings are errors here (pyproject's filterwarnings), so a view that divides by zero, overflows
or draws an empty plot with a warning fails.
"""

import itertools

import ipywidgets
import pytest
from figure_checks import content, problems

from lecturekit.plots import Plot
from lecturekit.widgets import EXPLORERS, Choice, Slider, explore


def settings(explorer):
    """The gallery's settings, all sliders at their max together (the slowest corner), and every
    combination of dropdown values."""
    yield from (values for _, values in explorer.settings())
    defaults = explorer.defaults()
    sliders = {n: c.max for n, c in explorer.controls.items() if isinstance(c, Slider)}
    yield {**defaults, **sliders}
    choices = {n: c.extremes for n, c in explorer.controls.items() if isinstance(c, Choice)}
    for combo in itertools.product(*choices.values()):
        yield {**defaults, **dict(zip(choices, combo, strict=True))}


CALLS = [(name, values) for name, e in EXPLORERS.items() for values in settings(e)]


@pytest.mark.parametrize(("name", "values"), CALLS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CALLS)])
def test_view_draws_in_the_house_style(name, values):
    plot = EXPLORERS[name].view(**values)
    assert isinstance(plot, Plot)
    assert plot.png().startswith(b"\x89PNG")
    assert plot.summary, "the view has no one-line summary"
    assert not problems(plot.figure)


@pytest.mark.parametrize("name", EXPLORERS)
def test_an_updated_plot_shows_what_a_new_one_shows(name):
    """An explorer updates one figure; after any sequence of settings it must show exactly what a
    figure built for the last setting shows (no stale line, text or image)."""
    explorer = EXPLORERS[name]
    reused = explorer.view(**explorer.defaults())
    reused.png()
    for _, values in explorer.settings():
        explorer.view(reused, **values)
        reused.png()
        fresh = explorer.view(**values)
        fresh.png()
        assert reused.summary == fresh.summary
        assert content(reused.figure) == content(fresh.figure), values


@pytest.mark.parametrize("name", EXPLORERS)
def test_an_update_that_changes_a_still_part_redraws_it(name):
    """`png` redraws only the moving artists over a saved background, unless something else
    changed. After every setting, the image must equal one drawn on a fresh background (an
    update that changed a still part without the figure noticing would leave the old one)."""
    explorer = EXPLORERS[name]
    plot = explorer.view(**explorer.defaults())
    plot.png()
    for _, values in explorer.settings():
        shown = explorer.view(plot, **values).png()
        plot._background = None  # the next png draws everything again
        assert shown == plot.png(), f"{name}: a still part of the figure is out of date at {values}"


def test_the_summary_is_the_text_shown_below_a_plot():
    explorer = EXPLORERS["descent_1d"]
    assert explorer.view(**explorer.defaults()).summary.startswith("α = 0.3: ")


def test_settings_cover_every_extreme_and_dropdown_value():
    explorer = EXPLORERS["descent_1d"]
    shown = [what for what, _ in explorer.settings()]
    assert shown[0] == "defaults"
    assert "learning rate α = 0.01" in shown and "learning rate α = 1.2" in shown
    assert "loss: steep: λ = 8" in shown and "loss: flat: λ = 0.5" in shown


@pytest.mark.parametrize("name", EXPLORERS)
def test_explore_builds_one_control_per_knob_and_is_findable(name):
    explorer = EXPLORERS[name]
    box = explore(explorer)
    row, image, _, errors = box.children[:4]
    assert isinstance(image, ipywidgets.Image) and bytes(image.value).startswith(b"\x89PNG")
    assert isinstance(errors, ipywidgets.Output)
    assert [c.description for c in row.children] == [c.label for c in explorer.controls.values()]
    for widget, control in zip(row.children, explorer.controls.values(), strict=True):
        expected = pytest.approx(control.value) if isinstance(control, Slider) else control.value
        assert widget.value == expected
    assert "lk-explorer" in box._dom_classes and f"lk-{name}" in box._dom_classes
    assert ("lk-compute" in box._dom_classes) == explorer.compute


def test_a_control_change_updates_the_image_and_the_summary():
    box = explore(EXPLORERS["descent_1d"])
    row, image, caption, _ = box.children[:4]
    before = image.value, caption.value
    row.children[0].value = 0.9
    assert image.value != before[0] and caption.value != before[1]
    assert caption.value.startswith("α = 0.9")


def test_a_failing_view_shows_its_error_below_the_figure():
    from lecturekit.widgets import Explorer

    def failing_view(plot=None, n=5):
        if n > 5:
            raise ValueError(f"the view fails at slider value {n}")
        plot = plot or Plot()
        plot.summary = f"n = {n}"
        return plot

    box = explore(Explorer(failing_view, {"n": Slider("n", 0, 10, 1, 5, integer=True)}))
    row, _, caption, _ = box.children[:4]
    # In a kernel the Output widget shows the traceback; here, without one, it propagates.
    with pytest.raises(ValueError, match="slider value 6"):
        row.children[0].value = 6
    assert "failed" in caption.value
