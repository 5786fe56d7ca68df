"""Helpers for the "deep learning from scratch with numpy" workshop.

Modules
-------
checks        ``check_<exercise>(fn)`` for every exercise: feedback on an attendee's function.
gradcheck     numerical gradients and gradient checking.
plotting      one consistent look for every figure of the series.
progress_bar  a progress bar for training loops (a widget in Jupyter, text elsewhere).
jupyter       whether the code runs in a Jupyter kernel.
data          loaders for the ``data/`` folder.
reference     trusted implementations of the exercises, reused by later notebooks.
exercises     ``python -m helpers.exercises`` generates ``notebooks/`` from ``solutions/``.
"""

__version__ = "0.1.0"
