"""Checks for notebook backpropagation (declared on helpers.checks.engine)."""

__all__: list[str] = []
