"""The house style, checked on a drawn figure: what a teacher would see from the back of a room.

`problems(figure)` lists every way a figure breaks it (an empty list: none). Used on every
explorer's figure at every setting the gallery shows, and on the notebooks' other figures.
"""

import itertools
import re

import numpy as np
from matplotlib.contour import ContourSet
from matplotlib.image import AxesImage
from matplotlib.text import Text

from lecturekit import style

# An axis whose label names one of these counts things: its ticks must be whole numbers.
COUNTED = re.compile(r"\b(layers?|steps?|epochs?|depth|block)\b", re.IGNORECASE)


def problems(figure):
    figure.canvas.draw()  # lays out and draws every text, so sizes and tick labels are final
    found = []
    width = figure.get_figwidth()
    if width > style.WIDTH + 1e-9:
        found.append(f"{width:.1f} in wide: over {style.WIDTH} in, so JupyterLab would shrink it")
    for text in figure.findobj(Text):
        if text.get_visible() and text.get_text().strip() and text.get_fontsize() < style.SMALLEST_FONT:
            found.append(f"{text.get_fontsize():g} pt text: {text.get_text()[:40]!r}")
    colorbar_axes = {mappable.colorbar.ax for ax in figure.axes for mappable in ax.images + ax.collections
                     if getattr(mappable, "colorbar", None) is not None}
    for ax in figure.axes:
        if not ax.axison:
            continue
        is_colorbar = ax in colorbar_axes or ax.get_label() == "<colorbar>"
        if not is_colorbar and not (ax.get_xlabel() and ax.get_ylabel()):
            found.append(f"axes {ax.get_title()!r} lack a label")
        for mappable in [*ax.images, *(c for c in ax.collections if isinstance(c, ContourSet))]:
            if isinstance(mappable, AxesImage | ContourSet) and getattr(mappable, "colorbar", None) is None:
                where = ax.get_title() or ax.get_ylabel()
                found.append(f"a heatmap or contour in {where!r} has no colour bar")
        for axis, label in ((ax.xaxis, ax.get_xlabel()), (ax.yaxis, ax.get_ylabel())):
            found += _tick_problems(ax, axis, label, is_colorbar)
    return found


def _tick_problems(ax, axis, label, is_colorbar):
    found = []
    low, high = sorted(axis.get_view_interval())
    ticks = [t for t in axis.get_major_ticks() if t.label1.get_visible() and t.label1.get_text()
             and low - 1e-9 <= t.get_loc() <= high + 1e-9]
    if COUNTED.search(label) and axis.get_scale() == "linear" and not is_colorbar:
        fractional = [float(t.get_loc()) for t in ticks if abs(t.get_loc() - round(t.get_loc())) > 1e-9]
        if fractional:
            found.append(f"axis {label!r} counts things but has ticks at {fractional[:3]}")
    if is_colorbar:
        long = [t.label1.get_text() for t in ticks if _significant_digits(t.label1.get_text()) > 3]
        long += [t.label2.get_text() for t in axis.get_major_ticks()
                 if t.label2.get_visible() and _significant_digits(t.label2.get_text()) > 3]
        if long:
            found.append(f"colour bar ticks with over 3 significant digits: {long[:3]}")
    boxes = [t.label1.get_window_extent() for t in ticks] + [
        t.label2.get_window_extent() for t in axis.get_major_ticks()
        if t.label2.get_visible() and t.label2.get_text()]
    boxes += [t.label1.get_window_extent() for t in axis.get_minor_ticks()
              if t.label1.get_visible() and t.label1.get_text()]
    for a, b in itertools.pairwise(boxes):
        if a.overlaps(b) and a.width and b.width:
            found.append(f"tick labels overlap on axis {label!r}")
            break
    return found


def _significant_digits(label):
    mantissa = label.split("×")[0].split("e")[0]
    if re.fullmatch(r"10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+", mantissa):
        return 1
    digits = re.sub(r"[^0-9]", "", mantissa).lstrip("0")
    return len(digits.rstrip("0")) if "." not in mantissa else len(digits)


def content(figure):
    """What a figure shows, as comparable data: every visible text, line and image, in order."""
    shown = []
    for artist in figure.findobj(lambda a: a.get_visible()):
        if isinstance(artist, Text) and artist.get_text():
            shown.append(("text", artist.get_text()))
        elif hasattr(artist, "get_xydata") and not isinstance(artist, Text):
            shown.append(("line", np.asarray(artist.get_xydata(), dtype=float).round(9).tobytes()))
        elif isinstance(artist, AxesImage):
            shown.append(("image", np.ma.filled(artist.get_array(), np.nan).round(9).tobytes()))
    return shown
