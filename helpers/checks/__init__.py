"""``check_<exercise>(fn)`` for every exercise of the series.

Each check runs your function on small hand-made and random cases, prints short feedback and
returns a result that is truthy only when every case passed. It never raises because of your
code. The checks are declared, one topic module per notebook, on the engine in
:mod:`helpers.checks.engine`; :mod:`helpers.checks.registry` finds them. They are looked up on
first use (``from helpers.checks import check_mse_loss``), so that importing a part of this
package (``helpers.checks.hints``) does not import every topic module.
"""

from typing import Any


def __getattr__(name: str) -> Any:
    from helpers.checks.registry import all_checks

    if name == "__all__":
        return sorted(all_checks())
    try:
        return all_checks()[name]
    except KeyError:
        raise AttributeError(f"module 'helpers.checks' has no attribute {name!r}") from None


def __dir__() -> list[str]:
    from helpers.checks.registry import all_checks

    return sorted([*globals(), *all_checks()])
