"""Interactive widgets that let attendees explore (sliders for weights, learning rates, sizes).

One module per notebook topic, like :mod:`helpers.plotting`; this package re-exports each
module's ``__all__`` so notebooks write ``from helpers import interactive`` and then, e.g.,
``interactive.neuron_playground(X, y, W_hidden, W_output)``. A notebook cell shows the idea in one
call; the slider wiring lives here.
"""

from __future__ import annotations

import importlib
import pkgutil

__all__: list[str] = []
for _info in pkgutil.iter_modules(__path__):
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    for _name in getattr(_module, "__all__", ()):
        globals()[_name] = getattr(_module, _name)
        __all__.append(_name)
