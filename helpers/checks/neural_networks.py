"""Checks for notebook neural_networks (declared on helpers.checks.engine)."""

__all__: list[str] = []
