"""Figures for the networks part of the series."""

__all__: list[str] = []
