import pytest

from amparo.accounts.models import Team, User
from amparo.accounts.tests.factories import UserFactory
from amparo.audit.models import AuditEvent
from amparo.cases.tests.factories import make_case
from amparo.disclosures.actions import use_override
from amparo.disclosures.models import FirewallOverride
from amparo.disclosures.tests.factories import approved_override, make_override

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(caseworker):
    return make_case(caseworker)


def test_a_supervisor_requests_an_override_from_the_case_page(
    client, case, supervisor, enforcement_agency
):
    client.force_login(supervisor)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/disclosures/overrides/new/{case.pk}/" in page
    assert f"/disclosures/exports/new/{case.pk}/" in page
    form = client.get(f"/disclosures/overrides/new/{case.pk}/")
    assert form.status_code == 200
    assert "Border Police" in form.content.decode()
    response = client.post(
        f"/disclosures/overrides/new/{case.pk}/",
        {
            "kind": "referral",
            "recipient": enforcement_agency.pk,
            "legal_basis": "vital_interests",
            "explanation": "Imminent danger; the police protects the shelter.",
            "purpose": "Protection of the person during the hearing.",
            "subject_notice": "unsafe",
            "notice_explanation": "Her trafficker watches her phone.",
            "share": ["names", "contact"],
        },
    )
    override = FirewallOverride.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/disclosures/overrides/{override.pk}/"
    assert override.requested_by == supervisor
    assert override.recipient == enforcement_agency
    detail = client.get(response["Location"]).content.decode()
    assert "Imminent danger" in detail
    assert override.fields == ["contact", "names"]
    assert override.subject_notice == "unsafe"
    assert override.notice_explanation == "Her trafficker watches her phone."
    assert "decide/" not in detail  # the requester does not decide


def test_the_override_form_shows_errors(client, case, supervisor, outsider):
    client.force_login(supervisor)
    response = client.post(
        f"/disclosures/overrides/new/{case.pk}/",
        {
            "kind": "export",
            "recipient": outsider.agency.pk,  # not behind the firewall: not offered
            "legal_basis": "court_order",
            "explanation": "x",
            "purpose": "y",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not FirewallOverride.objects.exists()


def test_a_case_worker_may_not_request_and_others_do_not_see_the_case(
    client, case, caseworker, statistician, dpo, outsider, enforcer
):
    url = f"/disclosures/overrides/new/{case.pk}/"
    client.force_login(caseworker)
    assert client.get(url).status_code == 403
    for user in (statistician, dpo, outsider, enforcer):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_approvers_decide_on_the_page(
    client, case, supervisor, legal_officer, dpo, enforcement_agency
):
    override = make_override(case, supervisor, enforcement_agency)
    url = f"/disclosures/overrides/{override.pk}/"
    client.force_login(legal_officer)
    assert f'action="{url}decide/"' in client.get(url).content.decode()
    assert client.post(url + "decide/", {"decision": "approve"}).status_code == 302
    # Once decided, the same person gets the form no more, and a second try fails.
    assert "decide/" not in client.get(url).content.decode()
    again = client.post(url + "decide/", {"decision": "approve"})
    assert again.status_code == 400
    assert "already decided" in again.content.decode()
    client.force_login(dpo)
    assert client.post(url + "decide/", {"decision": "approve"}).status_code == 302
    override.refresh_from_db()
    assert override.status == FirewallOverride.Status.APPROVED
    client.force_login(supervisor)
    assert client.post(url + "decide/", {"decision": "approve"}).status_code == 403


def test_a_rejection_without_a_note_is_refused_on_the_page(
    client, case, supervisor, dpo, enforcement_agency
):
    override = make_override(case, supervisor, enforcement_agency)
    client.force_login(dpo)
    response = client.post(
        f"/disclosures/overrides/{override.pk}/decide/", {"decision": "reject"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    override.refresh_from_db()
    assert override.status == FirewallOverride.Status.PENDING


def test_the_dpo_and_legal_officers_see_every_override_supervisors_their_own(
    client, agency, case, caseworker, supervisor, legal_officer, dpo, enforcement_agency
):
    other_team = Team.objects.create(agency=agency, name="Team Z")
    supervisor_z = UserFactory(
        username="zoe", agency=agency, role=User.Role.SUPERVISOR, team=other_team
    )
    worker_z = UserFactory(
        username="zack", agency=agency, role=User.Role.CASEWORKER, team=other_team
    )
    pending = make_override(case, supervisor, enforcement_agency)
    used = approved_override(make_case(caseworker), supervisor, enforcement_agency)
    use_override(used, acting_user=caseworker)
    theirs = make_override(make_case(worker_z), supervisor_z, enforcement_agency)
    for user in (legal_officer, dpo):
        client.force_login(user)
        page = client.get("/disclosures/overrides/").content.decode()
        for override in (pending, used, theirs):
            assert f"/disclosures/overrides/{override.pk}/" in page
    client.force_login(supervisor_z)
    page = client.get("/disclosures/overrides/").content.decode()
    assert f"/disclosures/overrides/{theirs.pk}/" in page
    assert f"/disclosures/overrides/{pending.pk}/" not in page
    assert client.get(f"/disclosures/overrides/{pending.pk}/").status_code == 404
    client.force_login(supervisor)
    page = client.get("/disclosures/overrides/").content.decode()
    assert f"/disclosures/overrides/{pending.pk}/" in page
    assert f"/disclosures/overrides/{theirs.pk}/" not in page


def test_the_recipient_outsiders_and_other_roles_get_404(
    client,
    case,
    supervisor,
    caseworker,
    statistician,
    agency_admin,
    outsider,
    enforcement_agency,
):
    override = make_override(case, supervisor, enforcement_agency)
    recipient_user = UserFactory(
        username="border-dpo", agency=enforcement_agency, role=User.Role.DPO
    )
    for user in (caseworker, statistician, agency_admin, outsider, recipient_user):
        client.force_login(user)
        assert client.get("/disclosures/overrides/").status_code == 404
        assert client.get(f"/disclosures/overrides/{override.pk}/").status_code == 404
        assert (
            client.post(
                f"/disclosures/overrides/{override.pk}/decide/", {"decision": "approve"}
            ).status_code
            == 404
        )
    assert not override.approvals.exists()
    denials = AuditEvent.objects.filter(
        action="access.denied", subject_id=str(override.pk)
    )
    assert denials.count() == 10


def test_viewing_an_override_is_audited(
    client, case, supervisor, dpo, enforcement_agency
):
    override = make_override(case, supervisor, enforcement_agency)
    client.force_login(dpo)
    client.get(f"/disclosures/overrides/{override.pk}/")
    assert AuditEvent.objects.filter(
        action="disclosures.override.viewed", actor=dpo, subject_id=str(override.pk)
    ).exists()
