"""Whether the code runs in a Jupyter kernel: the one test behind widgets and live figures."""

from __future__ import annotations


def in_notebook() -> bool:
    """True inside a Jupyter kernel (a notebook, JupyterLab, nbval), False elsewhere.

    A plain IPython terminal has a shell but no kernel, and a script has neither: there the
    progress bar prints text and live figures do nothing.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # IPython is not installed: certainly not a notebook
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None
