"""The notebooks' sliders and dropdowns: explorers (`explorer.py`) over each notebook's views.

    from lecturekit import widgets
    widgets.explore(widgets.DEPTH)               # the live figure, with its controls
    widgets.depth_view(depth=50, init="he")      # one setting, as a static figure and summary
"""

from .batchnorm import BATCHNORM, batchnorm_view
from .descent import DESCENT_1D, DESCENT_2D, descent_1d_view, descent_2d_view
from .explorer import Choice, Explorer, Slider, explore
from .forward import FORWARD, forward_view
from .landscape import LANDSCAPE, landscape_view
from .relu import DEAD_RELU, dead_relu_view
from .remedies import CLIPPING, REGULARIZATION, REMEDY, clip_view, regularization_view, remedy_view
from .resnet import SCALAR_RESNET, scalar_resnet_view
from .stepper import STEPPER, stepper_view
from .training import TRAINING, training_view
from .vanishing import DEPTH, depth_view

#: Every explorer, by name (the tests and the gallery call all of them).
EXPLORERS = {explorer.name: explorer for explorer in (
    FORWARD, STEPPER, DESCENT_1D, DESCENT_2D, TRAINING, DEPTH, DEAD_RELU, REMEDY, CLIPPING, REGULARIZATION,
    SCALAR_RESNET, LANDSCAPE, BATCHNORM)}

__all__ = [
    "BATCHNORM", "CLIPPING", "DEAD_RELU", "DEPTH", "DESCENT_1D", "DESCENT_2D", "EXPLORERS", "FORWARD",
    "LANDSCAPE", "REGULARIZATION", "REMEDY", "SCALAR_RESNET", "STEPPER", "TRAINING", "Choice", "Explorer",
    "Slider", "batchnorm_view", "clip_view", "dead_relu_view", "depth_view", "descent_1d_view",
    "descent_2d_view", "explore", "forward_view", "landscape_view", "regularization_view",
    "remedy_view", "scalar_resnet_view", "stepper_view", "training_view",
]
