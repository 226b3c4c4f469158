"""Views, searches and refused accesses of personal data leave an audit event."""

import pytest

from amparo.audit.models import AuditEvent
from amparo.cases.tests.factories import make_case
from amparo.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _events(action, **filters):
    return AuditEvent.objects.filter(action=action, **filters)


def test_viewing_a_person_or_a_case_is_audited_on_the_web_and_the_api(
    client, api, caseworker
):
    case = make_case(caseworker)
    person = case.primary_person
    client.force_login(caseworker)
    client.get(f"/people/{person.pk}/")
    client.get(f"/cases/{case.pk}/")
    api.get(f"/api/v1/persons/{person.pk}")
    api.get(f"/api/v1/cases/{case.pk}")
    assert (
        _events(
            "people.person.viewed", subject_id=str(person.pk), actor=caseworker
        ).count()
        == 2
    )
    assert (
        _events("cases.case.viewed", subject_id=str(case.pk), actor=caseworker).count()
        == 2
    )


def test_a_search_is_audited_without_what_was_searched(client, caseworker):
    make_person(caseworker, "Mohamed", "Al Hassan")
    client.force_login(caseworker)
    client.get("/people/", {"q": "Muhammad Alhassan"})
    event = _events("people.person.searched", actor=caseworker).get()
    assert event.data == {"results": 1}
    assert "hassan" not in str(event.data).lower()


def test_an_outsider_asking_for_a_record_is_audited_as_denied(
    client, caseworker, outsider
):
    case = make_case(caseworker)
    client.force_login(outsider)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.get(f"/people/{case.primary_person_id}/").status_code == 404
    denied = _events("access.denied", actor=outsider)
    assert set(denied.values_list("subject_type", "subject_id")) == {
        ("cases.case", str(case.pk)),
        ("people.person", str(case.primary_person_id)),
    }
    assert not _events("cases.case.viewed", actor=outsider).exists()


def test_logins_failed_logins_and_logouts_are_audited(client, caseworker):
    client.post("/accounts/login/", {"username": "carmen", "password": "wrong"})
    client.post(
        "/accounts/login/", {"username": "carmen", "password": "correct-horse-battery"}
    )
    client.post("/accounts/logout/")
    failed = _events("accounts.user.login_failed").get()
    assert (failed.actor, failed.subject_id) == (None, "carmen")
    assert "correct-horse" not in str(failed.data) and "wrong" not in str(failed.data)
    assert _events("accounts.user.logged_in", actor=caseworker).count() == 1
    assert _events("accounts.user.logged_out", actor=caseworker).count() == 1


def test_a_statistician_refused_a_page_is_audited(client, statistician):
    client.force_login(statistician)
    assert client.get("/people/").status_code == 404
    assert _events("access.denied", actor=statistician, subject_id="/people/").exists()
