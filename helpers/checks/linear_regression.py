"""Checks for notebook linear_regression (declared on helpers.checks.engine)."""

__all__: list[str] = []
