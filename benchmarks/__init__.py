"""Performance benchmarks: `python -m benchmarks` prints the table (see docs/performance.md)."""
