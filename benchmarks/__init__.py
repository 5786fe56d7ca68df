"""Benchmarks of the workshop: see ``benchmarks/README.md``."""
