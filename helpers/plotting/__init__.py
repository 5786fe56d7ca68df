"""One consistent look for every figure of the series.

Importing this package applies the workshop's matplotlib style. The general functions live in
:mod:`helpers.plotting.core`; pictures specific to one part of the series live in the modules
beside it and are re-exported here, so notebooks only need ``from helpers import plotting``.
"""

from helpers.plotting import backprop, classification, digits, networks, regression
from helpers.plotting.backprop import *  # noqa: F403
from helpers.plotting.classification import *  # noqa: F403
from helpers.plotting.core import (
    CLASS_COLORS,
    COLORS,
    LiveFigure,
    figure,
    plot,
    plot_classes,
    plot_confusion_matrix,
    plot_data_and_fit,
    plot_decision_boundary,
    plot_losses,
    set_axes,
    use_style,
)
from helpers.plotting.digits import *  # noqa: F403
from helpers.plotting.networks import *  # noqa: F403
from helpers.plotting.regression import *  # noqa: F403

__all__ = [
    "CLASS_COLORS", "COLORS", "LiveFigure", "figure", "plot", "plot_classes",
    "plot_confusion_matrix", "plot_data_and_fit", "plot_decision_boundary", "plot_losses",
    "set_axes", "use_style",
    *backprop.__all__, *classification.__all__, *digits.__all__, *networks.__all__,
    *regression.__all__,
]

use_style()
