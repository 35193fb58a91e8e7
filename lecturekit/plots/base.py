"""What every figure shares: Unicode labels, log axes that read, and `Plot`, a figure that is built
once and then redrawn in part as a slider moves."""

import math
import re
import struct
import zlib

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Annotation, Text
from matplotlib.ticker import LogFormatterSciNotation, LogLocator, NullFormatter
from matplotlib.transforms import Bbox

from .. import style

_SUPERSCRIPTS = str.maketrans("-−0123456789", "⁻⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def sub(index):
    """An index as Unicode subscript digits: sub(12) == "₁₂" (plain text draws faster than $…$)."""
    return str(index).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def sup(power):
    """A power as Unicode superscript digits: sup(-12) == "⁻¹²", for "10⁻¹²"."""
    return str(power).translate(_SUPERSCRIPTS)


#: Pixels that anti-aliasing may reach beyond an artist's strokes.
BLUR = 2
#: Points of stroke assumed around an artist whose extent leaves its strokes out (a collection, a
#: legend): wider than any line in the figures.
WIDEST_STROKE = 10


def _parts(artist):
    """`artist` and everything drawn with it: a legend's texts and lines, a text's box."""
    parts = artist.findobj()
    return parts + [p.get_bbox_patch() for p in parts if isinstance(p, Text) and p.get_bbox_patch()]


def _changed(artist):
    """Whether `artist` may look different from its last drawing. Texts and lines say so through
    their setters; other artists (images, meshes, legends, arrows) are taken to change every time,
    as some of their setters do not say."""
    if isinstance(artist, Annotation) or not isinstance(artist, Text | Line2D):
        return True
    return any(part.stale for part in _parts(artist))


def _extent(artist, renderer):
    """The pixels `artist` covers when drawn now. A hidden artist covers none; one in 3D axes
    covers its axes (its extent is not projected); one whose extent is not finite, the figure."""
    if not artist.get_visible():
        return Bbox([[0, 0], [0, 0]])
    if getattr(artist.axes, "name", "") == "3d":
        return artist.axes.bbox.padded(BLUR + renderer.points_to_pixels(WIDEST_STROKE) / 2)
    box = artist.get_window_extent(renderer)  # through the middle of the strokes
    stroke = WIDEST_STROKE
    if isinstance(artist, Line2D):
        stroke = max(artist.get_linewidth(), artist.get_markeredgewidth())
    elif isinstance(artist, Text) and not isinstance(artist, Annotation):  # an arrow has a wide head
        stroke, patch = 0, artist.get_bbox_patch()
        if patch:  # the box is the text's extent padded
            pad = getattr(patch.get_boxstyle(), "pad", 0.3)
            box = box.padded(pad * renderer.points_to_pixels(artist.get_size()))
            stroke = patch.get_linewidth()
    if not np.isfinite(box.extents).all():
        return artist.figure.bbox
    return box.padded(BLUR + renderer.points_to_pixels(stroke) / 2)


class PlainLogFormatter(LogFormatterSciNotation):
    """Matplotlib's log-axis tick labels (10⁻³, 2×10⁻¹) written in Unicode instead of mathtext.

    Mathtext labels are parsed anew for every new figure; on a log axis that was a fifth of the
    time to draw an explorer's figure.
    """

    def __call__(self, x, pos=None):
        label = super().__call__(x, pos)
        label = label.replace("$\\mathdefault{", "").replace("}$", "").replace("\\times", "×")
        label = re.sub(r"\^\{(.*?)\}", lambda power: power.group(1).translate(_SUPERSCRIPTS), label)
        return "1" if label == "10⁰" else label.removesuffix("×10⁰")  # 1 and 5, not 10⁰ and 5×10⁰


class LectureFigure(Figure):
    """A Figure in the house style (`lecturekit.style`) whose log axes label only their major
    ticks, in Unicode: 1, 2 and 5 × 10ⁿ on an axis shorter than two decades, powers of ten on a
    longer one. (Labelled minor ticks overlap: "3×10⁰4×10⁰".)"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        FigureCanvasAgg(self)  # drawn without pyplot, in any backend

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
                axis.set_major_formatter(PlainLogFormatter(base, labelOnlyBase=not short,
                                                           minor_thresholds=(np.inf, np.inf)))
                axis.set_minor_formatter(NullFormatter())
        super().draw(renderer)


def encode_png(rgb):
    """An (h, w, 3) uint8 image as PNG bytes: no row filters and zlib level 1, about twice as fast
    as Pillow's encoder for the same size (a figure is mostly flat colour, which compresses well
    even so)."""
    height, width, _ = rgb.shape
    rows = np.zeros((height, 1 + 3 * width), np.uint8)  # each row starts with filter type 0
    rows[:, 1:] = rgb.reshape(height, -1)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + chunk(b"IEND", b""))


class Plot:
    """A figure that an explorer builds once and then updates.

    A subclass builds its axes, fixed ranges and labels in `__init__` and marks what changes with
    a slider (lines, images, texts) with `moves`; its `update(...)` only sets their data. `png`
    then draws just those artists over a saved picture of the rest (matplotlib's blitting), which
    is what makes a redraw take milliseconds. They are drawn on top of everything else, so a legend
    belongs outside the data (a figure legend, or a corner the data never reaches). If anything
    else changed (an axis range, a label), `png` draws the whole figure again and saves it.

    Of the moving artists, `png` draws again only those that changed since the last image (and any
    other that overlaps them): a step of notebook 03's stepper changes a few of its 30 texts.

    `summary` is the view's one-line result; in a notebook a Plot shows as its image and that line.
    """

    def __init__(self, width=style.WIDTH, height=3.6):
        self.figure = LectureFigure(figsize=(min(width, style.WIDTH), height), dpi=style.DPI,
                                    layout="constrained")
        self.moving = []
        self.summary = ""
        self._background = None
        self._extents = {}  # where each moving artist was drawn last, in pixels

    def pixels_per_unit(self, ax):
        """Screen pixels per data unit along `ax`'s x axis (the figure is laid out on first use)."""
        if self._background is None:
            self.png()  # lays the figure out; the first png draws it in full anyway
        low, high = ax.get_xlim()
        return ax.bbox.width / (high - low)

    def moves(self, artist):
        """Mark `artist` as one that changes with the controls; returns it."""
        artist.set_animated(True)
        self.moving.append(artist)
        return artist

    def png(self):
        """The figure as PNG bytes, redrawing only the moving artists that changed when nothing
        else did."""
        canvas = self.figure.canvas
        if self._background is None or self.figure.stale:
            canvas.draw()  # everything but the moving artists
            self.figure.set_layout_engine("none")  # later draws keep this layout
            self._background = np.asarray(canvas.buffer_rgba()).copy()
            redraw = self.moving
        else:
            redraw = self._clear_changed()
        renderer = canvas.get_renderer()
        for artist in sorted(redraw, key=lambda a: a.get_zorder()):  # ties keep the order of `moves`
            self.figure.draw_artist(artist)
            self._extents[artist] = _extent(artist, renderer)
            for part in _parts(artist):
                part.stale = False
        self.figure.stale = False  # drawing some artists marks their axes stale; nothing changed
        return encode_png(np.asarray(canvas.buffer_rgba())[..., :3])

    def _clear_changed(self):
        """Put the saved picture back where a moving artist changed (where it was and where it
        will be); returns the artists to draw there: the changed ones and every other one that
        overlaps a cleared area (drawn whole, so cleared in full too), in the order of `moves`."""
        canvas = self.figure.canvas
        renderer = canvas.get_renderer()
        changed = [a for a in self.moving if _changed(a)]
        areas = [self._extents[a] for a in changed] + [_extent(a, renderer) for a in changed]
        redraw = set(changed)
        grown = True
        while grown:
            grown = False
            for artist in self.moving:
                if artist not in redraw and any(self._extents[artist].overlaps(a) for a in areas):
                    redraw.add(artist)
                    areas.append(self._extents[artist])
                    grown = True
        pixels = np.asarray(canvas.buffer_rgba())  # the canvas itself, rows from the top
        height, width = pixels.shape[:2]
        for area in areas:
            x0, y0, x1, y1 = area.extents  # in pixels from the bottom left
            left, right = max(0, math.floor(x0)), min(width, math.ceil(x1))
            top, bottom = max(0, height - math.ceil(y1)), min(height, height - math.floor(y0))
            pixels[top:bottom, left:right] = self._background[top:bottom, left:right]
        return [a for a in self.moving if a in redraw]

    def _ipython_display_(self):
        from IPython.display import Image as ImageOutput
        from IPython.display import display

        display(ImageOutput(self.png()))
        print(self.summary)

    def __repr__(self):
        return f"<{type(self).__name__}: {self.summary}>"

