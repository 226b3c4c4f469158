"""The database connection as the settings make it."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_sessions_run_without_parallel_query():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
