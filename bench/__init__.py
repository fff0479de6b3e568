"""Benchmarks (`make bench`): each module adds rows to bench/report.json."""
