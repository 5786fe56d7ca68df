"""Figures for the classification part of the series."""

__all__: list[str] = []
