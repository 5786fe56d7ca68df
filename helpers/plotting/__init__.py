"""One consistent look for every figure of the series.

Importing this package applies the workshop's matplotlib style. The general functions live in
:mod:`helpers.plotting.core`; the pictures of one notebook live in the module named after its topic
(as in :mod:`helpers.checks` and :mod:`helpers.reference`) and are re-exported here, so notebooks
only need ``from helpers import plotting``.
"""

from helpers.plotting import (
    backpropagation,
    convolutional_networks,
    linear_regression,
    logistic_regression,
    neural_networks,
    recurrent_networks,
    training_in_practice,
)
from helpers.plotting.backpropagation import *  # noqa: F403
from helpers.plotting.convolutional_networks import *  # noqa: F403
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
from helpers.plotting.linear_regression import *  # noqa: F403
from helpers.plotting.logistic_regression import *  # noqa: F403
from helpers.plotting.neural_networks import *  # noqa: F403
from helpers.plotting.recurrent_networks import *  # noqa: F403
from helpers.plotting.training_in_practice import *  # noqa: F403

__all__ = [
    "CLASS_COLORS", "COLORS", "LiveFigure", "figure", "plot", "plot_classes",
    "plot_confusion_matrix", "plot_data_and_fit", "plot_decision_boundary", "plot_losses",
    "set_axes", "use_style",
    *linear_regression.__all__, *logistic_regression.__all__, *neural_networks.__all__,
    *backpropagation.__all__, *training_in_practice.__all__, *convolutional_networks.__all__,
    *recurrent_networks.__all__,
]

use_style()
