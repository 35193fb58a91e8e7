"""Pure figure builders: data in, a matplotlib Figure (or a `Plot` an explorer updates) out.

One module per notebook; `base` holds what they share and `lecturekit.style` the house style.
No pyplot state: each builder makes its own figure, so a notebook cell that ends with one shows
it, and an explorer can redraw it without touching other figures. Labels are in English (they must
render on machines without CJK fonts).
"""

from .base import LectureFigure, PlainLogFormatter, Plot, sub
from .batchnorm import batchnorm_figure, comparison_figure, drift_figure
from .descent import descent_1d_figure, descent_2d_figure
from .landscape import landscape_figure, landscape_trend_figure
from .network import network_figure
from .relu import dead_relu_figure, dead_traces_figure, training_dead_figure
from .remedies import REMEDY_COLORS, REMEDY_DASHES, clip_figure, histories_figure, weights_figure
from .resnet import degradation_figure, scalar_resnet_figure
from .training import boundaries_figure, training_figure
from .vanishing import activation_figure, depth_figure, saturation_figure

__all__ = [
    "REMEDY_COLORS", "REMEDY_DASHES", "LectureFigure", "PlainLogFormatter", "Plot", "activation_figure",
    "batchnorm_figure", "boundaries_figure", "clip_figure", "comparison_figure", "dead_relu_figure",
    "dead_traces_figure", "degradation_figure", "depth_figure", "descent_1d_figure",
    "descent_2d_figure", "drift_figure", "histories_figure", "landscape_figure",
    "landscape_trend_figure", "network_figure", "saturation_figure",
    "scalar_resnet_figure", "sub", "training_dead_figure", "training_figure", "weights_figure",
]
