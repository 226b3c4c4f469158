"""Benchmarks for Amparo's performance targets. Run `python -m bench.run --help`."""
