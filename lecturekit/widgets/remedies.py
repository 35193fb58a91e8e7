"""Notebook 06's explorers: the remedies, gradient clipping and L1/L2 penalties."""


from ..experiments import (
    EXPLODING,
    PENALTY_BASE,
    VANISHING,
    remedies,
    trained,
)
from ..plots.remedies import (
    REMEDY_COLORS,
    REMEDY_DASHES,
    REMEDY_GRAD_RANGE,
    REMEDY_LOSS_RANGE,
    ClipPlot,
    HistoriesPlot,
    WeightsPlot,
)
from .explorer import Choice, Explorer, Slider, checked

REMEDY_CHOICES = tuple(remedies())


REMEDY_SETUPS = {"vanishing": VANISHING, "exploding": EXPLODING}


@checked
def remedy_view(plot=None, problem="vanishing", remedy="2. ReLU + He init", learning_rate=0.03, depth=8,
                seed=0):
    """06's vanishing or exploding setup against one remedy, same seed. Each run is trained
    once per setting (experiments.trained remembers it)."""
    setup = REMEDY_SETUPS[problem].but(learning_rate=learning_rate, depth=depth, seed=seed)
    options = remedies(setup)
    runs = {name: trained(options[name])[1] for name in dict.fromkeys(("baseline", remedy))}
    result = "; ".join(f"{name}: final loss {h.final_loss:.3g}" if h.diverged_at is None
                       else f"{name}: diverged at step {h.diverged_at}" for name, h in runs.items())
    summary = f"{problem}, depth {depth}, α = {learning_rate:.3g}, seed {seed}: {result}"
    plot = plot or HistoriesPlot(2, setup.steps, REMEDY_LOSS_RANGE, REMEDY_GRAD_RANGE, live=True)
    return plot.update(runs, REMEDY_COLORS, REMEDY_DASHES, summary)


REMEDY = Explorer(
    remedy_view,
    {
        "problem": Choice("setup", tuple(REMEDY_SETUPS), "vanishing"),
        "remedy": Choice("remedy", REMEDY_CHOICES, "2. ReLU + He init"),
        "learning_rate": Slider("learning rate α", 0.01, 1.0, 0.01, 0.03, log=True),
        "depth": Slider("depth", 2, 40, 1, 8, integer=True),
        "seed": Slider("seed", 0, 9, 1, 0, integer=True),
    },
    compute=True,
)


@checked
def clip_view(plot=None, g1=3.0, g2=1.0, threshold=1.0):
    """A gradient (g1, g2) clipped by norm and by value at `threshold` (lecturekit.optim)."""
    return (plot or ClipPlot()).update([g1, g2], threshold)


CLIPPING = Explorer(
    clip_view,
    {
        "g1": Slider("g₁", -5.0, 5.0, 0.1, 3.0),
        "g2": Slider("g₂", -5.0, 5.0, 0.1, 1.0),
        "threshold": Slider("threshold c", 0.1, 5.0, 0.1, 1.0),
    },
)


@checked
def regularization_view(plot=None, penalty="L1", strength=1e-2, steps=150):
    """A 3-layer ReLU net trained without and with an L1 or L2 penalty: its weights. "Near 0"
    is |w| < αλ, the step by which L1 pushes each weight (remembered per setting by trained)."""
    base = PENALTY_BASE.but(steps=steps)
    plain, _ = trained(base)
    setup = base.but(l1=strength) if penalty == "L1" else base.but(l2=strength)
    regularized, history = trained(setup)
    nets = {"no penalty": plain, f"{penalty}, λ = {strength:.2g}": regularized}
    near = base.learning_rate * strength
    return (plot or WeightsPlot(2)).update(nets, near=near, summary=f"{penalty} λ = {strength:.2g}, "
                                           f"α = {base.learning_rate:g}: {history.message}")


REGULARIZATION = Explorer(
    regularization_view,
    {
        "penalty": Choice("penalty", ("L1", "L2"), "L1"),
        "strength": Slider("strength λ", 1e-4, 1e-1, 0.1, 1e-2, log=True),
        "steps": Slider("steps", 10, 600, 10, 150, integer=True),
    },
    compute=True,
)
