import pytest
import time_machine

from amparo.core.pagination import InvalidCursorError, decode_cursor, keyset_page
from amparo.people.models import Person
from amparo.people.tests.factories import make_person


@pytest.mark.django_db
def test_pages_walk_every_row_once_newest_first(caseworker):
    created = []
    for minute in range(7):
        with time_machine.travel(f"2026-01-01 10:{minute:02d}Z", tick=False):
            created.append(make_person(caseworker, f"P{minute}"))
    seen, cursor = [], None
    while True:
        page = keyset_page(
            Person.objects.all(), field="created_at", cursor=cursor, size=3
        )
        seen.extend(page.items)
        if not (cursor := page.next_cursor):
            break
    assert seen == list(reversed(created))


@pytest.mark.django_db
def test_rows_with_the_same_time_are_ordered_by_id_without_loss(caseworker):
    with time_machine.travel("2026-01-01 10:00Z", tick=False):
        people = [make_person(caseworker, f"P{i}") for i in range(5)]
    first = keyset_page(Person.objects.all(), field="created_at", cursor=None, size=2)
    rest = keyset_page(
        Person.objects.all(), field="created_at", cursor=first.next_cursor, size=10
    )
    assert {p.pk for p in first.items + rest.items} == {p.pk for p in people}
    assert rest.next_cursor is None


@pytest.mark.parametrize("cursor", ["garbage", "W10", "eyJhIjogMX0"])
def test_a_forged_cursor_is_rejected(cursor):
    with pytest.raises(InvalidCursorError):
        decode_cursor(cursor)


@pytest.mark.parametrize(
    "moment",
    [
        "9999-12-31T23:59:59-14:00",  # overflows once moved to UTC
        "2026-01-01T10:00:00",  # no offset: not one the server writes
    ],
)
def test_a_cursor_with_an_impossible_or_naive_time_is_rejected(moment):
    import base64
    import json

    raw = json.dumps([moment, "00000000-0000-0000-0000-000000000000"]).encode()
    with pytest.raises(InvalidCursorError):
        decode_cursor(base64.urlsafe_b64encode(raw).decode().rstrip("="))


@pytest.mark.django_db
def test_pages_answer_400_or_redirect_for_a_bad_cursor_instead_of_failing(
    client, caseworker
):
    client.force_login(caseworker)
    cursor = "WyI5OTk5LTEyLTMxVDIzOjU5OjU5LTE0OjAwIiwgIjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMCJd"
    assert client.get("/people/", {"after": cursor}).status_code == 302
    assert client.get("/cases/", {"after": cursor}).status_code == 302
    assert client.get("/api/v1/persons/", {"cursor": cursor}).status_code == 400


@pytest.mark.django_db
def test_integer_keyed_rows_page_too_and_a_key_of_the_wrong_kind_is_rejected(
    caseworker,
):
    from amparo.cases.actions import add_note
    from amparo.cases.models import CaseEvent
    from amparo.cases.tests.factories import make_case

    case = make_case(caseworker)
    with time_machine.travel("2026-01-01 10:00Z", tick=False):
        for text in ("a", "b", "c"):
            add_note(case, acting_user=caseworker, body=text)
    events = CaseEvent.objects.filter(case=case)
    first = keyset_page(events, field="occurred_at", cursor=None, size=2)
    rest = keyset_page(events, field="occurred_at", cursor=first.next_cursor, size=10)
    assert len(first.items) + len(rest.items) == events.count() == 4
    make_person(caseworker, "Another")
    uuid_cursor = keyset_page(
        Person.objects.all(), field="created_at", cursor=None, size=1
    )
    assert uuid_cursor.next_cursor
    with pytest.raises(InvalidCursorError):
        keyset_page(events, field="occurred_at", cursor=uuid_cursor.next_cursor, size=2)
