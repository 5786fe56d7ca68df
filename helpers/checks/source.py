"""Read an attendee's function as code, for notes on correct answers that go against the advice.

A check decides on behaviour; these helpers only add a remark (``np.linalg.inv`` where the notebook
recommends ``solve``, a Python loop where it asks for vectorised code). They answer False whenever
the source cannot be read (a builtin, a function typed in a plain interpreter).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
from collections.abc import Callable
from typing import Any


def function_tree(fn: Callable[..., Any]) -> ast.AST | None:
    """The parsed source of ``fn``, or None when it cannot be read."""
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None


def calls(fn: Callable[..., Any], dotted: str) -> bool:
    """Whether ``fn``'s source calls ``dotted`` (e.g. ``"np.linalg.inv"``), however imported:
    ``np.linalg.inv(A)``, ``numpy.linalg.inv(A)`` and ``linalg.inv(A)`` all count."""
    tree = function_tree(fn)
    if tree is None:
        return False
    return any(
        isinstance(node, ast.Call) and _same_tail(_dotted_name(node.func), dotted)
        for node in ast.walk(tree)
    )


def has_loop(fn: Callable[..., Any]) -> bool:
    """Whether ``fn``'s source has a ``for`` or ``while`` loop or a comprehension."""
    tree = function_tree(fn)
    loops = (ast.For, ast.While, ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp)
    return tree is not None and any(isinstance(node, loops) for node in ast.walk(tree))


def global_names(fn: Callable[..., Any]) -> set[str]:
    """Every global name ``fn``'s code (nested functions included) refers to."""
    code = getattr(fn, "__code__", None)
    names: set[str] = set()
    stack = [code] if isinstance(code, types.CodeType) else []
    while stack:
        current = stack.pop()
        names.update(current.co_names)
        stack += [c for c in current.co_consts if isinstance(c, types.CodeType)]
    return names


def _dotted_name(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def _same_tail(name: str, dotted: str) -> bool:
    # "linalg.inv" and "numpy.linalg.inv" match "np.linalg.inv": compare without the numpy alias
    strip = {"np", "numpy"}
    a = [p for p in name.split(".") if p not in strip]
    b = [p for p in dotted.split(".") if p not in strip]
    return a == b[-len(a):] if a else False
