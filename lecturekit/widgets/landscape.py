"""Notebook 08's explorer: loss landscapes with and without skip connections."""


from ..experiments import LANDSCAPE as LANDSCAPE_SETUP
from ..experiments import constant_guess_loss, loss_landscape
from ..plots.landscape import LandscapePlot
from .explorer import Choice, Explorer, Slider, checked


@checked
def landscape_view(plot=None, depth=20, activation="relu", direction_seed=0, resolution=31):
    """Train a plain and a residual net (LANDSCAPE, same seed; the residual blocks start as the
    identity) and draw the loss around each one's trained weights along two filter-normalized
    random directions. ReLU nets use He init, tanh nets Xavier init. Each setting's nets and grids
    are computed once (`loss_landscape` remembers them)."""
    init = "he" if activation == "relu" else "xavier"
    setup = LANDSCAPE_SETUP.but(depth=depth, activation=activation, init=init)
    grids = {label: loss_landscape(setup.but(residual=residual), direction_seed, resolution)
             for label, residual in (("plain", False), ("residual", True))}
    constant = constant_guess_loss()
    untrained = [label for label, grid in grids.items() if not grid.trained_loss < constant / 2]
    heading = f"depth {depth}, {activation}, {resolution}×{resolution} grid"
    plot = (plot or LandscapePlot()).update(grids, heading, untrained)
    if untrained:
        plot.summary += (f" Not trained (loss ≥ {constant / 2:.3g}, half the constant guess): "
                         f"{', '.join(untrained)}.")
    return plot


LANDSCAPE = Explorer(
    landscape_view,
    {
        "depth": Slider("depth", 4, 40, 2, 20, integer=True),
        "activation": Choice("activation", ("relu", "tanh"), "relu"),
        "direction_seed": Slider("direction seed", 0, 9, 1, 0, integer=True),
        "resolution": Slider("grid points per side", 11, 51, 2, 31, integer=True),
    },
    compute=True,
)
