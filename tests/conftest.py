"""Shared fixtures are in tests/fixtures/; each feature's module is listed here."""

pytest_plugins = [
    "tests.fixtures.demo",
]
