"""``check_<exercise>(fn)`` for every exercise of the series (see ``../shared/CURRICULUM.md``).

Each check runs your function on small hand-made and random cases, prints short feedback and
returns a result that is truthy only when every case passed. It never raises because of your
code. The checks are declared, one module per notebook, on the engine in
:mod:`helpers.checks.engine`.
"""

from helpers.checks.backpropagation import *  # noqa: F403
from helpers.checks.linear_regression import *  # noqa: F403
from helpers.checks.logistic_regression import *  # noqa: F403
from helpers.checks.neural_networks import *  # noqa: F403
from helpers.checks.training_in_practice import *  # noqa: F403
