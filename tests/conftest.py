"""Shared test setup."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # tests draw figures without a screen

import matplotlib.font_manager  # noqa: E402,F401  builds the font cache before kernels start
