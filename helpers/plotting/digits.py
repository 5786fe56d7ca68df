"""Figures for the digits part of the series."""

__all__: list[str] = []
