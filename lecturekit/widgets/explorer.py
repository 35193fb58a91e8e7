"""Explorers: a view, the sliders and dropdowns that set its knobs, and the widgets that show it.

A view is `view(plot=None, **knobs) -> Plot`: it draws the picture for its knobs into `plot` (a
`lecturekit.plots.Plot`, built on the first call) and returns it. The controls are plain data
(range, step, default, options), so the tests and the gallery can call every view at the extremes
of every slider and with every dropdown value, and `explore` can build the widgets.
"""

import functools
import html
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import ipywidgets
import numpy as np

from ..plots.base import Plot


@dataclass(frozen=True)
class Slider:
    """A numeric knob: min, max, step and default; `log` spaces it on a log scale."""

    label: str
    min: float
    max: float
    step: float
    value: float
    integer: bool = False
    log: bool = False

    @property
    def extremes(self):
        return (self.min, self.max)

    def show(self, value):
        return f"{self.label} = {value:g}"

    def check(self, value, name, where):
        """Refuse a value this slider would not offer: not a number, or outside [min, max]."""
        kind = (int, np.integer) if self.integer else (int, float, np.integer, np.floating)
        wanted = f"{'an integer' if self.integer else 'a number'} in [{self.min:g}, {self.max:g}]"
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, kind):
            raise TypeError(f"{where}: {name} must be {wanted}, got {value!r} ({type(value).__name__})")
        if not self.min <= value <= self.max:
            raise ValueError(f"{where}: {name} must be {wanted}, got {value!r}")

    def widget(self, continuous_update):
        common = {"description": self.label, "continuous_update": continuous_update,
                  "style": {"description_width": "initial"}}
        if self.integer:
            return ipywidgets.IntSlider(value=self.value, min=self.min, max=self.max,
                                        step=self.step, **common)
        if self.log:
            return ipywidgets.FloatLogSlider(value=self.value, min=np.log10(self.min),
                                             max=np.log10(self.max), step=self.step, **common)
        return ipywidgets.FloatSlider(value=self.value, min=self.min, max=self.max,
                                      step=self.step, **common)


@dataclass(frozen=True)
class Choice:
    """A dropdown: the options (values, or (label, value) pairs) and the default value."""

    label: str
    options: tuple
    value: object

    @property
    def extremes(self):
        return tuple(o[1] if isinstance(o, tuple) else o for o in self.options)

    def show(self, value):
        names = {(o[1] if isinstance(o, tuple) else o): (o[0] if isinstance(o, tuple) else o)
                 for o in self.options}
        return f"{self.label}: {names[value]}"

    def check(self, value, name, where):
        """Refuse a value this dropdown does not offer, listing the ones it does."""
        if not any(_same(value, option) for option in self.extremes):
            valid = ", ".join(repr(option) for option in self.extremes)
            raise ValueError(f"{where}: {name} must be one of {valid}, got {value!r}")

    def widget(self, continuous_update):
        return ipywidgets.Dropdown(options=self.options, value=self.value, description=self.label,
                                   style={"description_width": "initial"})  # labels in full


def _same(value, option):
    """value == option, where True is not 1 and an array is never a dropdown's value."""
    if isinstance(value, (bool, np.bool_)) != isinstance(option, bool):
        return False
    try:
        return bool(value == option)
    except (TypeError, ValueError):
        return False


def checked(view):
    """A view that refuses knobs its explorer's controls would not offer, with the knob's name.

    The controls are the Explorer's: `Explorer(view, controls)` hands them to the view.
    """

    @functools.wraps(view)
    def checked_view(plot=None, *positional, **knobs):
        if positional:
            raise TypeError(f"{view.__name__}: knobs must be given by name, e.g. "
                            f"{view.__name__}({next(iter(checked_view.controls), 'depth')}=…), got "
                            f"{len(positional)} more positional argument(s)")
        if plot is not None and not isinstance(plot, Plot):
            raise TypeError(f"{view.__name__}: plot must be None or the Plot this view returned, got "
                            f"{type(plot).__name__}")
        for name, value in knobs.items():
            if name in checked_view.controls:
                checked_view.controls[name].check(value, name, view.__name__)
        return view(plot, **knobs)

    checked_view.controls = {}
    return checked_view


@dataclass(frozen=True)
class Explorer:
    """A view and its controls. A `compute` view trains nets or computes a grid: it redraws when a
    slider is released, and says "computing…" while it works (each setting is computed once)."""

    view: Callable
    controls: dict = field(default_factory=dict)
    compute: bool = False

    def __post_init__(self):
        if hasattr(self.view, "controls"):  # a @checked view checks its knobs against these
            self.view.controls = self.controls

    @property
    def name(self):
        return self.view.__name__.removesuffix("_view")

    def defaults(self):
        return {name: control.value for name, control in self.controls.items()}

    def settings(self):
        """(what, knobs) for the defaults, every slider at its min and at its max and every
        dropdown value, each with the other knobs at their defaults: the set the gallery shows
        and the tests draw."""
        defaults = self.defaults()
        yield "defaults", defaults
        for name, control in self.controls.items():
            for value in control.extremes:
                if value != defaults[name]:
                    yield control.show(value), {**defaults, name: value}


# Greys the figure while a compute view works on a new setting.
_BUSY_STYLE = "<style>img.lk-busy {opacity: 0.35}</style>"


def explore(explorer, **start):
    """The controls in a row above the figure and its one-line summary; every change redraws.
    Keyword arguments start some controls elsewhere than their defaults, e.g. activation="relu".

    The figure is built once: a change updates its artists and replaces the image's bytes.
    The box carries the DOM classes `lk-explorer`, `lk-<name>` and, for compute views, `lk-compute`.
    """
    unknown = set(start) - set(explorer.controls)
    if unknown:
        raise ValueError(f"no control named {', '.join(sorted(unknown))}; the controls are "
                         f"{', '.join(explorer.controls)}")
    controls = {name: replace(c, value=start.get(name, c.value)).widget(not explorer.compute)
                for name, c in explorer.controls.items()}

    def knobs():
        return {name: widget.value for name, widget in controls.items()}

    plot = explorer.view(**knobs())
    image = ipywidgets.Image(value=plot.png(), format="png")
    caption = ipywidgets.HTML(html.escape(plot.summary), style={"font_size": "15px"})
    errors = ipywidgets.Output()  # a failing view's traceback shows here, as in a cell

    def redraw(_change):
        if errors.outputs:
            errors.clear_output()
        if explorer.compute:
            image.add_class("lk-busy")
            caption.value = "computing…"
        try:
            explorer.view(plot, **knobs())
            image.value = plot.png()
            caption.value = html.escape(plot.summary)
        except Exception:
            caption.value = "this setting failed; the error is below"
            with errors:  # shows the traceback below the figure, as a cell would
                raise
        finally:
            image.remove_class("lk-busy")

    for widget in controls.values():
        widget.observe(redraw, names="value")
    row = ipywidgets.HBox(list(controls.values()), layout=ipywidgets.Layout(flex_flow="row wrap"))
    parts = [row, image, caption, errors]
    if explorer.compute:
        parts.append(ipywidgets.HTML(_BUSY_STYLE))
    box = ipywidgets.VBox(parts)
    box.add_class("lk-explorer")
    box.add_class(f"lk-{explorer.name}")
    if explorer.compute:
        box.add_class("lk-compute")
    return box
