"""Every interactive view at the extremes of its sliders and with every dropdown value.

Warnings are errors here (pyproject's filterwarnings), so a view that divides by zero, overflows
or draws an empty plot with a warning fails.
"""

import itertools

import ipywidgets
import pytest
from matplotlib.figure import Figure

from lecturekit.widgets import EXPLORERS, Choice, Slider, explore


def settings(explorer):
    """The defaults; each slider at its min and max with the others at default; every
    dropdown value; and all sliders at their max together (the slowest corner)."""
    defaults = explorer.defaults()
    yield defaults
    for name, control in explorer.controls.items():
        for value in control.extremes:
            yield {**defaults, name: value}
    sliders = {n: c.max for n, c in explorer.controls.items() if isinstance(c, Slider)}
    yield {**defaults, **sliders}
    choices = {n: c.extremes for n, c in explorer.controls.items() if isinstance(c, Choice)}
    for combo in itertools.product(*choices.values()):
        yield {**defaults, **dict(zip(choices, combo, strict=True))}


CALLS = [(name, values) for name, e in EXPLORERS.items() for values in settings(e)]


@pytest.mark.parametrize(("name", "values"), CALLS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CALLS)])
def test_view_draws_without_warning(name, values):
    figure = EXPLORERS[name].view(**values)
    assert isinstance(figure, Figure)
    assert figure.axes, "the figure has no axes"
    assert figure.get_suptitle(), "the figure has no one-line summary"
    for ax in figure.axes:
        if ax.axison and ax.get_label() != "<colorbar>":
            assert ax.get_xlabel() and ax.get_ylabel(), f"unlabelled axes in {name}"
    figure.canvas.draw()  # renders text and mathtext: catches bad labels


@pytest.mark.parametrize("name", EXPLORERS)
def test_explore_builds_one_control_per_knob(name):
    box = explore(EXPLORERS[name])
    row, output = box.children
    assert isinstance(output, ipywidgets.Output)
    assert [c.description for c in row.children] == [c.label for c in EXPLORERS[name].controls.values()]
    for widget, control in zip(row.children, EXPLORERS[name].controls.values(), strict=True):
        expected = pytest.approx(control.value) if isinstance(control, Slider) else control.value
        assert widget.value == expected
