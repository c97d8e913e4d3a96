"""The test suite. A package so that ``python -m tests.refresh_golden`` runs."""
