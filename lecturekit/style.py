"""The house style of every figure: readable from the back of a classroom, the same colours for the
same things in every notebook, and a few helpers for what every panel needs.

Importing this module (every figure builder does) sets matplotlib's defaults for the kernel, so a
notebook's own plots look like the lecture's too.

Sizes: JupyterLab shows a PNG at one image pixel per screen pixel unless the output area is
narrower. A figure at most `WIDTH` inches wide at `DPI` fits the output area of a 1280-px-wide
JupyterLab with its file browser open, so 12 pt text is drawn 12/72 × 100 ≈ 17 px tall.
"""

import matplotlib
from matplotlib.ticker import FuncFormatter, MaxNLocator

DPI = 100
#: The widest figure (inches) that JupyterLab shows unscaled at 1280 px with its side bar open.
WIDTH = 8.4
#: The smallest text in any figure, in points at `DPI`.
SMALLEST_FONT = 12

# Okabe & Ito (2008), "Color Universal Design": eight colours told apart with every common form of
# colour blindness.
BLACK, ORANGE, SKY_BLUE, GREEN, YELLOW, BLUE, VERMILLION, PURPLE = (
    "#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
GREY = "#7f7f7f"

#: One colour per thing, in every notebook: a residual net is always blue, a BN net always green.
COLORS = {
    "plain": VERMILLION, "residual": BLUE,
    "no BN": PURPLE, "BN": GREEN,
    "sigmoid": ORANGE, "tanh": SKY_BLUE, "relu": GREEN, "leaky_relu": PURPLE, "identity": GREY,
    "positive": BLUE, "negative": VERMILLION,  # weights and signs
    "class 0": BLUE, "class 1": ORANGE,
    "path": VERMILLION,  # a descent path, its steps
    "reference": GREY,  # bounds, constant guesses, the loss curve itself
}
POSITIVE, NEGATIVE = COLORS["positive"], COLORS["negative"]

#: Sequential and diverging colour maps that read in greyscale and with colour blindness.
SEQUENTIAL, DIVERGING = "viridis", "RdBu_r"

RC = {
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "figure.constrained_layout.use": True,
    "font.size": SMALLEST_FONT,
    "axes.titlesize": 13,
    "axes.labelsize": SMALLEST_FONT,
    "xtick.labelsize": SMALLEST_FONT,
    "ytick.labelsize": SMALLEST_FONT,
    "legend.fontsize": SMALLEST_FONT,
    "legend.title_fontsize": SMALLEST_FONT,
    "figure.titlesize": 13,
    "lines.linewidth": 2.0,
    "lines.markersize": 6,
    "axes.prop_cycle": matplotlib.cycler(color=[BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE,
                                                BLACK, YELLOW]),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "image.cmap": SEQUENTIAL,
    "legend.framealpha": 0.9,
}
matplotlib.rcParams.update(RC)


def integer_ticks(*axes):
    """Ticks only at whole numbers (layers, steps, epochs): never a "layer 2.5"."""
    for axis in axes:
        axis.set_major_locator(MaxNLocator(nbins="auto", integer=True, steps=[1, 2, 5, 10]))


def three_digits(value, _position=None):
    """A tick label with at most 3 significant digits: 2.02, not 2.016."""
    return f"{value:.3g}".replace("-", "−")


def colorbar(figure, mappable, ax, label):
    """A colour bar beside `ax` whose ticks have at most 3 significant digits."""
    bar = figure.colorbar(mappable, ax=ax, label=label)
    if bar.ax.get_yscale() != "log":
        bar.locator = MaxNLocator(5)
        bar.formatter = FuncFormatter(three_digits)
        bar.update_ticks()
    return bar


def say_why(ax, message, color=GREY):
    """A panel with nothing to draw says why, in words, where its data would be."""
    ax.text(0.5, 0.5, message, ha="center", va="center", wrap=True, color=color,
            transform=ax.transAxes)

