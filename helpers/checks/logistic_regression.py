"""Checks for notebook logistic_regression (declared on helpers.checks.engine)."""

__all__: list[str] = []
