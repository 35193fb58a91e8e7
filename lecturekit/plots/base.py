"""What every figure shares: Unicode labels, log axes that read, and `Plot`, a figure that is built
once and then redrawn in part as a slider moves."""

import io
import re

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import LogFormatterSciNotation, LogLocator, NullFormatter
from PIL import Image

from .. import style

_SUPERSCRIPTS = str.maketrans("-−0123456789", "⁻⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def sub(index):
    """An index as Unicode subscript digits: sub(12) == "₁₂" (plain text draws faster than $…$)."""
    return str(index).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


class PlainLogFormatter(LogFormatterSciNotation):
    """Matplotlib's log-axis tick labels (10⁻³, 2×10⁻¹) written in Unicode instead of mathtext.

    Mathtext labels are parsed anew for every new figure; on a log axis that was a fifth of the
    time to draw an explorer's figure.
    """

    def __call__(self, x, pos=None):
        label = super().__call__(x, pos)
        label = label.replace("$\\mathdefault{", "").replace("}$", "").replace("\\times", "×")
        return re.sub(r"\^\{(.*?)\}", lambda power: power.group(1).translate(_SUPERSCRIPTS), label)


class LectureFigure(Figure):
    """A Figure in the house style (`lecturekit.style`) whose log axes label only their major
    ticks, in Unicode: 1, 2 and 5 × 10ⁿ on an axis shorter than two decades, powers of ten on a
    longer one. (Labelled minor ticks overlap: "3×10⁰4×10⁰".)"""

    def draw(self, renderer):
        for ax in self.axes:
            for axis in (ax.xaxis, ax.yaxis):
                if axis.get_scale() != "log":
                    continue
                low, high = sorted(axis.get_view_interval())
                short = high / max(low, 1e-300) < 100  # fewer than two decades
                formatter = axis.get_major_formatter()
                if isinstance(formatter, PlainLogFormatter) and formatter.labelOnlyBase != short:
                    continue  # already set for this range
                base = axis.get_transform().base
                axis.set_major_locator(LogLocator(base, subs=(1.0, 2.0, 5.0) if short else (1.0,)))
                axis.set_major_formatter(PlainLogFormatter(base, labelOnlyBase=not short))
                axis.set_minor_formatter(NullFormatter())
        super().draw(renderer)


class Plot:
    """A figure that an explorer builds once and then updates.

    A subclass builds its axes, fixed ranges and labels in `__init__` and marks what changes with
    a slider (lines, images, texts) with `moves`; its `update(...)` only sets their data. `png`
    then draws just those artists over a saved picture of the rest (matplotlib's blitting), which
    is what makes a redraw take milliseconds. If anything else changed (an axis range, a label),
    `png` draws the whole figure again and saves the new picture.

    `summary` is the view's one-line result; in a notebook a Plot shows as its image and that line.
    """

    def __init__(self, width=style.WIDTH, height=3.6):
        self.figure = LectureFigure(figsize=(min(width, style.WIDTH), height), dpi=style.DPI,
                                    layout="constrained")
        FigureCanvasAgg(self.figure)
        self.moving = []
        self.summary = ""
        self._background = None

    def moves(self, artist):
        """Mark `artist` as one that changes with the controls; returns it."""
        artist.set_animated(True)
        self.moving.append(artist)
        return artist

    def png(self):
        """The figure as PNG bytes, redrawing only the moving artists when nothing else changed."""
        canvas = self.figure.canvas
        if self._background is None or self.figure.stale:
            canvas.draw()  # everything but the moving artists
            self.figure.set_layout_engine("none")  # later draws keep this layout
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self.figure.stale = False
        else:
            canvas.restore_region(self._background)
        for artist in sorted(self.moving, key=lambda a: a.get_zorder()):
            self.figure.draw_artist(artist)
        pixels = np.asarray(canvas.buffer_rgba())[..., :3]
        buffer = io.BytesIO()
        Image.fromarray(pixels).save(buffer, format="png", compress_level=1)  # fast, ~2× larger
        return buffer.getvalue()

    def _ipython_display_(self):
        from IPython.display import Image as ImageOutput
        from IPython.display import display

        display(ImageOutput(self.png()))
        print(self.summary)

    def __repr__(self):
        return f"<{type(self).__name__}: {self.summary}>"


def loss_curves(ax, histories, palette=None):
    """Training loss by step on `ax`, one line per run; a run that diverged ends in an ✕ at that
    step and says so in the legend. A run whose name is in `palette` gets that colour. Returns each
    line's colour, in order."""
    colors = []
    for label, history in histories.items():
        steps = np.arange(1, len(history.loss) + 1)
        color = (palette or {}).get(label)
        if history.diverged_at is not None:
            label = f"{label}: diverged at step {history.diverged_at}"
        line, = ax.semilogy(steps, history.loss, label=label, color=color)
        colors.append(line.get_color())
        if history.diverged_at is not None:
            last = history.loss[-1] if len(history.loss) else 1.0
            ax.plot(history.diverged_at, last, "x", ms=10, mew=2, color=colors[-1])
    ax.set_xlabel("step")
    ax.set_ylabel("training loss (MSE, log scale)")
    return colors
