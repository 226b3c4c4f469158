"""The database connection as the settings make it."""

import pytest
from django.db import connection

from amparo import settings


def test_postgresql_connections_are_configured_without_parallel_query(monkeypatch):
    # Read from the settings whichever database this run uses (SQLite or PostgreSQL).
    monkeypatch.setenv("DATABASE_URL", "postgres://amparo@db.example:5432/amparo")
    assert settings._database()["OPTIONS"]["options"] == (
        "-c max_parallel_workers_per_gather=0"
    )
    monkeypatch.setenv(
        "DATABASE_URL", "postgres://amparo@db.example/amparo?options=-c%20work_mem=8MB"
    )
    assert settings._database()["OPTIONS"]["options"] == "-c work_mem=8MB"


@pytest.mark.django_db
def test_postgresql_sessions_run_without_parallel_query():
    if connection.vendor != "postgresql":
        # Checked on the real session in the PostgreSQL run of .ci/run; the settings
        # that give it are checked above on every run.
        pytest.skip("a PostgreSQL session setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
