"""Shared fixtures are in tests/fixtures/; each feature's module is listed here."""

pytest_plugins = [
    "tests.fixtures.smtp",
    "tests.fixtures.demo",
    "tests.fixtures.sandbox",
    "tests.fixtures.engine",
    "tests.fixtures.s3",
    "tests.fixtures.airflow",
]
