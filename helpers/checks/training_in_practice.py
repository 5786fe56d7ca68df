"""Checks for notebook training_in_practice (declared on helpers.checks.engine)."""

__all__: list[str] = []
