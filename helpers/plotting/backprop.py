"""Figures for the backprop part of the series."""

__all__: list[str] = []
