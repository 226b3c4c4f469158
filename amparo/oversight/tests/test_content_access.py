"""A DPO reads one case (and its persons) for a stated reason and a limited time; every
view is audited with the grant, the team sees that the DPO looked, and nothing can be
written."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from amparo.accounts.actions import issue_api_token
from amparo.audit.models import AuditEvent
from amparo.cases.actions import add_note
from amparo.cases.models import CaseEvent, Note
from amparo.cases.queries import cases_visible_to
from amparo.cases.tests.factories import make_case
from amparo.oversight.actions import end_content_access, grant_content_access
from amparo.oversight.models import ContentAccessGrant
from amparo.oversight.tests.conftest import REASON
from amparo.people.queries import persons_visible_to
from amparo.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

START = "2026-03-02 09:00Z"


def _ask(client, case, *, reason=REASON, hours=8):
    return client.post(
        "/oversight/access/",
        {"reference": case.reference, "reason": reason, "hours": hours},
    )


@time_machine.travel(START, tick=False)
def test_the_case_is_visible_until_the_grant_expires(client, dpo, case, child):
    client.force_login(dpo)
    assert client.get(f"/oversight/cases/{case.pk}/").status_code == 404

    response = _ask(client, case, hours=2)
    assert response.status_code == 302
    assert response["Location"] == f"/oversight/cases/{case.pk}/"
    grant = ContentAccessGrant.objects.get()
    assert grant.expires_at == timezone.now() + timedelta(hours=2)
    assert client.get(f"/oversight/cases/{case.pk}/").status_code == 200
    assert client.get(f"/oversight/persons/{child.pk}/").status_code == 200
    assert list(cases_visible_to(dpo)) == [case]

    # Logged in again after each jump: the session would expire on inactivity.
    with time_machine.travel(timezone.now() + timedelta(hours=2, seconds=-1)):
        client.force_login(dpo)
        assert client.get(f"/oversight/cases/{case.pk}/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        client.force_login(dpo)
        assert client.get(f"/oversight/cases/{case.pk}/").status_code == 404
        assert client.get(f"/oversight/persons/{child.pk}/").status_code == 404
        assert not cases_visible_to(dpo).exists()
        assert not persons_visible_to(dpo).exists()


def test_the_persons_visible_are_those_of_the_granted_case_only(
    caseworker, dpo, case, child
):
    elsewhere = make_case(caseworker)
    unrelated = make_person(caseworker, "Saba", "Tekle")
    grant_content_access(case, dpo=dpo, reason=REASON, hours=1)
    assert set(persons_visible_to(dpo)) == {case.primary_person, child}
    assert elsewhere not in cases_visible_to(dpo)
    assert unrelated not in persons_visible_to(dpo)


@pytest.mark.parametrize("reason", ["", "   ", "Too short."])
def test_a_reason_is_required(client, dpo, case, reason):
    client.force_login(dpo)
    response = _ask(client, case, reason=reason)
    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()
    assert not ContentAccessGrant.objects.exists()
    with pytest.raises(ValidationError) as error:
        grant_content_access(case, dpo=dpo, reason=reason, hours=1)
    assert "reason" in error.value.message_dict


def test_the_duration_is_bounded_by_the_setting(client, dpo, case, settings):
    settings.AMPARO_DPO_ACCESS_MAX_HOURS = 4
    client.force_login(dpo)
    form = client.get("/oversight/access/").context["form"]
    assert form["hours"].initial == 4  # the default (8) never exceeds the maximum
    for hours in (5, 0):
        response = _ask(client, case, hours=hours)
        assert response.status_code == 400
        assert 'id="id_hours_error"' in response.content.decode()
    assert not ContentAccessGrant.objects.exists()
    assert _ask(client, case, hours=4).status_code == 302


def test_granting_is_audited_and_shown_on_the_case_timeline(
    client, dpo, supervisor, case
):
    client.force_login(dpo)
    _ask(client, case)
    grant = ContentAccessGrant.objects.get()
    event = AuditEvent.objects.get(action="oversight.content_access.granted")
    assert (event.actor, event.subject_id) == (dpo, str(case.pk))
    assert event.data["grant"] == str(grant.pk)
    assert REASON not in str(event.data)
    timeline = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.DPO_ACCESS)
    assert timeline.actor == dpo
    # The case's supervisor sees that the DPO had access, not why.
    client.force_login(supervisor)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Data protection officer given access" in page
    assert REASON not in page


def test_the_case_page_shows_the_banner_and_no_write_form(client, dpo, case):
    client.force_login(dpo)
    _ask(client, case)
    page = client.get(f"/oversight/cases/{case.pk}/").content.decode()
    assert "Access for data protection review until" in page
    assert REASON in page
    assert case.opening_reason in page
    assert f"/cases/{case.pk}/note/" not in page
    assert "Answer and close" not in page


def test_every_view_is_audited_with_the_grant(client, dpo, case, child):
    client.force_login(dpo)
    _ask(client, case)
    grant = ContentAccessGrant.objects.get()
    client.get(f"/oversight/cases/{case.pk}/")
    client.get(f"/oversight/cases/{case.pk}/")
    client.get(f"/oversight/persons/{child.pk}/")
    case_views = AuditEvent.objects.filter(action="cases.case.viewed", actor=dpo)
    assert case_views.count() == 2
    assert all(e.data == {"grant": str(grant.pk)} for e in case_views)
    person_view = AuditEvent.objects.get(action="people.person.viewed", actor=dpo)
    assert (person_view.subject_id, person_view.data) == (
        str(child.pk),
        {"grant": str(grant.pk)},
    )


def test_a_dpo_with_a_grant_still_cannot_write(client, dpo, case):
    grant_content_access(case, dpo=dpo, reason=REASON, hours=1)
    notes = Note.objects.count()
    with pytest.raises(PermissionError):
        add_note(case, acting_user=dpo, body="x")
    # The web forms of the case are for the roles that work on cases.
    client.force_login(dpo)
    assert client.post(f"/cases/{case.pk}/note/", {"body": "x"}).status_code == 404
    # The API lets the DPO read the granted case, and refuses every change.
    raw = issue_api_token(dpo, name="t", acting_user=dpo, scope="read_write")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(f"/api/v1/cases/{case.pk}", **auth).status_code == 200
    for path, body in [
        (f"/api/v1/cases/{case.pk}/notes", {"body": "x"}),
        (f"/api/v1/cases/{case.pk}/risk", {"risk": "low"}),
        (f"/api/v1/cases/{case.pk}/close", {"reason": "goals_met"}),
    ]:
        response = client.post(path, body, content_type="application/json", **auth)
        assert response.status_code == 403, path
    response = client.put(
        f"/api/v1/persons/{case.primary_person_id}",
        {"names": [{"given_names": "X"}]},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 403
    assert Note.objects.count() == notes
    case.refresh_from_db()
    assert (case.risk, case.status) == ("medium", "open")
    # Each refused change is in the audit trail.
    refused = AuditEvent.objects.filter(action="access.forbidden", actor=dpo)
    assert refused.count() == 4


def test_the_dpo_ends_access_early(client, dpo, case):
    client.force_login(dpo)
    _ask(client, case)
    grant = ContentAccessGrant.objects.get()
    response = client.post(f"/oversight/access/{grant.pk}/end/")
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert client.get(f"/oversight/cases/{case.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="oversight.content_access.ended").exists()
    # Twice is harmless: it says so and changes nothing.
    ended = grant.revoked_at
    client.post(f"/oversight/access/{grant.pk}/end/")
    grant.refresh_from_db()
    assert grant.revoked_at == ended


def test_the_list_shows_past_and_current_access(client, dpo, caseworker, case):
    older = make_case(caseworker)
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        grant_content_access(older, dpo=dpo, reason=REASON, hours=1)
    current = grant_content_access(case, dpo=dpo, reason=REASON, hours=1)
    client.force_login(dpo)
    response = client.get("/oversight/access/")
    page = response.content.decode()
    assert [g.case for g in response.context["grants"]] == [case, older]
    assert "Expired" in page and "Current" in page
    assert f"/oversight/access/{current.pk}/end/" in page


def test_one_current_grant_per_case(dpo, case):
    grant_content_access(case, dpo=dpo, reason=REASON, hours=1)
    with pytest.raises(ValidationError):
        grant_content_access(case, dpo=dpo, reason=REASON, hours=1)
    assert ContentAccessGrant.objects.count() == 1


def test_a_dpo_of_another_agency_gets_nothing(client, dpo, other_dpo, case):
    client.force_login(other_dpo)
    response = _ask(client, case)
    assert response.status_code == 400
    assert "Your agency has no case with this reference." in response.content.decode()
    assert not ContentAccessGrant.objects.exists()
    assert AuditEvent.objects.filter(actor=other_dpo, action="access.denied").exists()
    with pytest.raises(PermissionError):
        grant_content_access(case, dpo=other_dpo, reason=REASON, hours=1)
    # Nor does another DPO's grant carry over.
    grant = grant_content_access(case, dpo=dpo, reason=REASON, hours=1)
    assert client.get(f"/oversight/cases/{case.pk}/").status_code == 404
    assert client.post(f"/oversight/access/{grant.pk}/end/").status_code == 404
    with pytest.raises(PermissionError):
        end_content_access(grant, dpo=other_dpo)


@pytest.mark.parametrize(
    "persona", ["caseworker", "supervisor", "statistician", "legal_officer"]
)
def test_only_a_dpo_asks_for_access(client, request, persona, case):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get("/oversight/access/").status_code == 404
    assert _ask(client, case).status_code == 404
    with pytest.raises(PermissionError):
        grant_content_access(case, dpo=user, reason=REASON, hours=1)


def test_grants_are_refused_behind_the_firewall(enforcement_agency, case):
    from amparo.accounts.models import User
    from amparo.accounts.tests.factories import UserFactory

    dpo = UserFactory(username="eva", agency=enforcement_agency, role=User.Role.DPO)
    with pytest.raises(PermissionError):
        grant_content_access(case, dpo=dpo, reason=REASON, hours=1)
    assert not cases_visible_to(dpo).exists()
