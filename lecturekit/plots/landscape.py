"""Loss landscapes with and without skip connections (notebook 08)."""

import contourpy
import numpy as np
from matplotlib import colormaps
from matplotlib.collections import LineCollection, QuadMesh
from matplotlib.colors import LogNorm, Normalize
from matplotlib.ticker import FixedLocator, FuncFormatter
from mpl_toolkits.mplot3d import proj3d

from .. import style
from .base import LectureFigure, Plot

#: The loss range every landscape is drawn on (colours and heights): the same in every panel and
#: at every setting of the explorer, so a colour or a height means the same loss everywhere. The
#: explorer's nets (depth 4–40, ReLU or tanh) reach from 0.009 to 3 × 10¹⁶; a loss beyond the
#: range (or NaN, inf) is drawn at its end: the colour bar's triangles and its label say so.
LOSS_RANGE = (1e-3, 1e2)
#: Contour lines every quarter decade, strictly inside LOSS_RANGE (none along the cut at its top).
LEVELS = np.arange(np.log10(LOSS_RANGE[0]) + 0.25, np.log10(LOSS_RANGE[1]), 0.25)
_LOG_RANGE = tuple(np.log10(LOSS_RANGE))
_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_of_ten(value, _position=None):
    """A log₁₀ tick as the number, as the colour bar writes it: −2 → 10⁻², 0 → 1."""
    return "1" if round(value) == 0 else "10" + f"{value:.0f}".translate(_SUPERSCRIPTS)


def _logs(grid):
    """log₁₀ of the grid's losses inside LOSS_RANGE (a NaN or inf loss drawn as the top)."""
    with np.errstate(invalid="ignore"):
        finite = np.where(np.isfinite(grid.losses), grid.losses, np.inf)
    return np.log10(np.clip(finite, *LOSS_RANGE))


def _set_vertices(mesh, coordinates):
    """Give a QuadMesh new vertices, (rows + 1, columns + 1, 2): matplotlib has no public setter
    (pcolormesh makes a new mesh, and a new artist would make the whole figure redraw)."""
    mesh._coordinates = coordinates
    mesh._paths = None
    mesh.stale = True


class _Heatmap(QuadMesh):
    """Values on a grid as a heatmap, one cell per grid point centred on it: a quadrilateral mesh
    (pcolormesh's artist), drawn about ten times faster than an image resampled to the screen."""

    def __init__(self, cmap, norm):
        super().__init__(np.zeros((2, 2, 2)), cmap=cmap, norm=norm, antialiased=False, linewidth=0)

    def set_grid(self, alphas, betas, values):
        edges = [np.concatenate([[c[0] - (c[1] - c[0]) / 2], (c[1:] + c[:-1]) / 2,
                                 [c[-1] + (c[-1] - c[-2]) / 2]]) for c in (alphas, betas)]
        _set_vertices(self, np.stack(np.meshgrid(*edges), axis=-1))
        self.set_array(values)


class _Surface(QuadMesh):
    """A surface z(α, β) over a grid in a 3-D axes, drawn as one quadrilateral mesh of its
    projection: one draw call, where a Poly3DCollection makes a path for every face (that was over
    a quarter of the explorer's redraw). The faces are drawn far to near (rows of decreasing β, each
    by increasing α), the painter's order for a height field seen from +α, −β and above, which is
    the view VIEW fixes. Each face's colour is the mean height of its corners."""

    VIEW = (30, -60)  # elevation and azimuth, degrees

    def __init__(self, cmap, norm):
        super().__init__(np.zeros((2, 2, 2)), cmap=cmap, norm=norm, antialiased=False, linewidth=0)
        self.points = np.zeros((3, 2, 2))  # α, β and z of every grid point

    def set_surface(self, alphas, betas, z):
        a, b = np.meshgrid(alphas, betas[::-1])
        z = z[::-1]
        self.points = np.stack([a, b, z])
        _set_vertices(self, np.zeros((*z.shape, 2)))  # the shape set_array checks; projected below
        self.set_array((z[:-1, :-1] + z[:-1, 1:] + z[1:, :-1] + z[1:, 1:]) / 4)
        if self.axes.M is None:  # the projection a first full draw sets
            self.axes.M = self.axes.get_proj()
        self.do_3d_projection()  # an animated artist is drawn without its axes projecting it

    def do_3d_projection(self):
        """Project the grid with the axes' current view (Axes3D.draw calls this)."""
        x, y, z = self.points
        px, py, pz = proj3d.proj_transform(x.ravel(), y.ravel(), z.ravel(), self.axes.M)
        _set_vertices(self, np.stack([px, py], axis=-1).reshape(*x.shape, 2))
        return float(np.min(pz))


class LandscapePlot(Plot):
    """Each net's loss landscape as a heatmap with contour lines (top) and a 3-D surface (bottom),
    side by side, on one fixed loss scale (LOSS_RANGE, log) shared by every panel and every
    setting. + is the trained net (the centre), ○ the lowest grid point of the slice. Each title
    gives the share of grid points with negative curvature (measured on the loss itself, not its
    log); the summary adds the losses at + and ○.

    update(grids, heading, untrained): grids {label: Landscape} with the labels given here.
    """

    def __init__(self, labels=("plain", "residual")):
        super().__init__(height=7.6)
        self.labels = tuple(labels)
        # Two rows as subfigures, so the 3-D panels' wide margins do not shrink the heatmaps.
        top, bottom = self.figure.subfigures(2, 1, height_ratios=[1.3, 1])
        cmap = colormaps[style.SEQUENTIAL].copy()
        cmap.colorbar_extend = "both"  # the ends of the range hold everything beyond it
        self.panels = {}
        for column, label in enumerate(self.labels):
            color = style.COLORS.get(label, style.BLACK)
            ax = top.add_subplot(1, len(self.labels), column + 1)
            ax.set_xlim(-1, 1)
            ax.set_ylim(-1, 1)
            ax.set_aspect("equal")
            ax.set_xticks([-1, -0.5, 0, 0.5, 1])
            ax.set_yticks([-1, -0.5, 0, 0.5, 1])
            ax.set_xlabel("α (along direction 1)")
            ax.set_ylabel("β (along direction 2)")
            ax.grid(False)
            image = self.moves(_Heatmap(cmap, LogNorm(*LOSS_RANGE)))
            ax.add_collection(image, autolim=False)
            contours = self.moves(LineCollection([], colors="white", linewidths=0.7, alpha=0.6))
            ax.add_collection(contours, autolim=False)
            centre = self.moves(ax.plot([0], [0], "+", color="white", ms=16, mew=3)[0])
            lowest = self.moves(ax.plot([], [], "o", mfc="none", mec="white", ms=13, mew=2)[0])
            title = self.moves(ax.set_title(" ", color=color))
            ax_3d = bottom.add_subplot(1, len(self.labels), column + 1, projection="3d",
                                       computed_zorder=False)
            ax_3d.set_xlim(-1, 1)
            ax_3d.set_ylim(-1, 1)
            ax_3d.set_zlim(*_LOG_RANGE)
            ax_3d.set_xticks([-1, 0, 1])
            ax_3d.set_yticks([-1, 0, 1])
            ax_3d.zaxis.set_major_locator(FixedLocator([-2, 0, 2]))
            ax_3d.zaxis.set_major_formatter(FuncFormatter(_power_of_ten))
            ax_3d.set_xlabel("α")
            ax_3d.set_ylabel("β")
            ax_3d.set_zlabel("loss (log)")
            ax_3d.set_box_aspect(None, zoom=1.1)
            ax_3d.view_init(*_Surface.VIEW)
            surface = self.moves(_Surface(cmap, Normalize(*_LOG_RANGE)))
            ax_3d.add_collection(surface, autolim=False)
            self.panels[label] = {"image": image, "contours": contours, "centre": centre,
                                  "lowest": lowest, "title": title, "surface": surface}
        images = [panel["image"] for panel in self.panels.values()]
        bar = style.colorbar(top, images[0], [image.axes for image in images],
                             f"training loss (log; cut at {LOSS_RANGE[0]:g} and {LOSS_RANGE[1]:g})")
        for image in images[1:]:  # one colour bar for all: the same norm and colours
            image.colorbar = bar
        markers = [ax.plot([], [], "+", color=style.BLACK, ms=14, mew=3)[0],
                   ax.plot([], [], "o", mfc="none", mec=style.BLACK, ms=12, mew=2)[0]]
        bottom.legend(markers, ["trained net (the centre)", "lowest grid point"],
                      loc="outside lower center", ncols=2, frameon=False)

    def update(self, grids, heading, untrained=()):
        """Draw grids {label: Landscape}; the summary is `heading`, then each net's share of grid
        points curving down and its losses at + and ○; nets named in `untrained` are marked."""
        lows = {}
        for label in self.labels:
            grid, panel = grids[label], self.panels[label]
            logs = _logs(grid)
            panel["image"].set_grid(grid.alphas, grid.betas, 10.0 ** logs)
            lines = contourpy.contour_generator(grid.alphas, grid.betas, logs, line_type="Separate")
            panel["contours"].set_segments([line for level in LEVELS for line in lines.lines(level)])
            lows[label], a_low, b_low = grid.lowest()
            panel["lowest"].set_data([a_low], [b_low])
            state = " (not trained)" if label in untrained else ""
            panel["title"].set_text(f"{label}{state}: {grid.share:.0%} curve down")
            panel["surface"].set_surface(grid.alphas, grid.betas, logs)

        def each(number):
            return ", ".join(f"{label} {number(label)}" for label in self.labels)

        self.summary = (f"{heading}. Negative curvature: {each(lambda k: f'{grids[k].share:.0%}')}. "
                        f"Loss at the centre +: {each(lambda k: f'{grids[k].trained_loss:.3g}')}; "
                        f"at the lowest point ○: {each(lambda k: f'{lows[k]:.3g}')}.")
        return self


def landscape_figure(grids, title="loss landscapes"):
    """Each net's loss landscape as a heatmap with contours (top) and a 3-D surface (bottom), side
    by side (`LandscapePlot`). grids: {label: Landscape} (lecturekit.landscape), e.g. "plain" and
    "residual". The summary line below it starts with `title`."""
    return LandscapePlot(tuple(grids)).update(grids, title)


def landscape_trend_figure(depths, shares, title=""):
    """Share of grid points with negative curvature at each measured depth, one colour per kind of
    net: every seed as a dot, a seed's dots joined by a thin line (the same seed at each depth: a
    paired comparison), and the median as a bar. Only the depths given are measured: nothing is
    drawn between them but the per-seed pairs. The legend sits to the right, off the data.

    shares: {label: array (len(depths), seeds)} in percent.
    """
    fig = LectureFigure(figsize=(style.WIDTH, 4.2), layout="constrained")
    ax = fig.add_subplot()
    offsets = np.linspace(-0.15, 0.15, len(shares)) * (max(depths) - min(depths)) / max(len(depths), 2)
    for (label, values), offset in zip(shares.items(), offsets, strict=True):
        color = style.COLORS.get(label)
        values = np.asarray(values, dtype=np.float64)
        x = np.asarray(depths, dtype=np.float64) + offset
        for seed_index in range(values.shape[1]):  # one seed: its dots, joined
            ax.plot(x, values[:, seed_index], "o-", color=color, lw=1, ms=6, alpha=0.7,
                    label=f"{label}: each seed" if seed_index == 0 else None)
        ax.plot(x, np.median(values, axis=1), "_", color=color, ms=26, mew=4,
                label=f"{label}: median of {values.shape[1]}")
    ax.set_xticks(depths)
    ax.set_ylim(0, 100)
    ax.set_xlabel("depth (weight layers; only these are measured)")
    ax.set_ylabel("grid points with\nnegative curvature (%)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0,
              title="a line joins\none seed's depths")
    ax.set_title(title)
    return fig
