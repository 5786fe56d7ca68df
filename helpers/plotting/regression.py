"""Figures for the regression part of the series."""

__all__: list[str] = []
