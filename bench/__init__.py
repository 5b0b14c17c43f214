"""Benchmarks: figures side by side with baselines (see docs/benchmarks.md); not part of the tests."""
