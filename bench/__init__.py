"""Benchmark harness for mirascope-groq: ``python bench/run.py`` (see bench/README.md)."""
