"""Benchmark scripts for policyqa (not tests). Run them as modules from the repository root:
``.venv/bin/python -m bench.run_all --sizes 1k`` (see bench/README.md)."""
