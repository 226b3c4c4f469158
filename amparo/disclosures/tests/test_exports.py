import io
import json
import zipfile
from datetime import timedelta

import pytest
import pyzipper
import time_machine
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from amparo.accounts.models import Agency
from amparo.accounts.tests.factories import AgencyFactory
from amparo.audit.models import AuditEvent
from amparo.cases.actions import add_note
from amparo.cases.tests.factories import ORAL_CONSENT, make_case
from amparo.disclosures.models import ExportRequest, FirewallOverride
from amparo.disclosures.tests.factories import allow_sharing, approved_override
from amparo.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

PASSPHRASE = "correct horse battery staple"
PURPOSE = "The shelter needs the file to admit her tonight."


@pytest.fixture
def person(caseworker):
    return make_person(
        caseworker, "Amina", "Diallo", migration_status="irregular", contact="+221 77"
    )


@pytest.fixture
def case(caseworker, person):
    case = make_case(caseworker, person)
    add_note(case, acting_user=caseworker, body="Met at the bus station; afraid.")
    allow_sharing(person, caseworker)
    return case


@pytest.fixture
def shelter():
    return AgencyFactory(name="Safe Shelter", code="shelter")


def _request(client, case, **data):
    data = {"purpose": PURPOSE, **data}
    return client.post(f"/disclosures/exports/new/{case.pk}/", data)


def _approve(client, export, dpo):
    client.force_login(dpo)
    response = client.post(
        f"/disclosures/exports/{export.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 302
    export.refresh_from_db()
    return export


def _download(client, export, passphrase=PASSPHRASE, again=None):
    return client.post(
        f"/disclosures/exports/{export.pk}/download/",
        {"passphrase": passphrase, "passphrase_again": again or passphrase},
    )


def _open(content, passphrase=PASSPHRASE):
    with pyzipper.AESZipFile(io.BytesIO(content)) as archive:
        archive.setpassword(passphrase.encode())
        return {name: archive.read(name).decode() for name in archive.namelist()}


@pytest.fixture
def approved(client, case, caseworker, dpo, shelter):
    client.force_login(caseworker)
    assert _request(client, case, recipient=shelter.pk).status_code == 302
    return _approve(client, ExportRequest.objects.get(), dpo)


def test_the_whole_lifecycle(client, case, caseworker, dpo, shelter):
    client.force_login(caseworker)
    assert (
        f"/disclosures/exports/new/{case.pk}/"
        in client.get(f"/cases/{case.pk}/").content.decode()
    )
    assert client.get(f"/disclosures/exports/new/{case.pk}/").status_code == 200
    response = _request(client, case, recipient=shelter.pk)
    export = ExportRequest.objects.get()
    assert response["Location"] == f"/disclosures/exports/{export.pk}/"
    assert export.status == "requested"
    assert export.recipient_kind == "protection"
    assert (
        f"/disclosures/exports/{export.pk}/"
        in client.get("/disclosures/exports/").content.decode()
    )
    # Nothing to download before the DPO decides.
    assert _download(client, export).status_code == 400

    # The DPO sees the purpose and the recipient, not the person or the file.
    client.force_login(dpo)
    assert (
        f"/disclosures/exports/{export.pk}/"
        in client.get("/disclosures/exports/").content.decode()
    )
    page = client.get(f"/disclosures/exports/{export.pk}/").content.decode()
    assert PURPOSE in page and "Safe Shelter" in page
    assert "Amina" not in page and "bus station" not in page
    export = _approve(client, export, dpo)
    assert export.status == "approved"
    assert export.decided_by == dpo
    assert export.expires_at > timezone.now() + timedelta(days=6)

    client.force_login(caseworker)
    response = _download(client, export)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="amparo-{case.reference}.zip"'
    )
    assert "no-store" in response["Cache-Control"]
    files = _open(response.content)
    assert sorted(files) == ["README.txt", "case.json"]
    data = json.loads(files["case.json"])
    assert data["person"]["name"] == "Amina Diallo"
    assert data["person"]["contact"] == "+221 77"
    assert data["case"]["reference"] == case.reference
    assert data["case"]["opening_reason"] == "Needs legal counselling."
    assert [n["text"] for n in data["notes"]] == ["Met at the bus station; afraid."]
    assert {e["what"] for e in data["timeline"]} == {"opened", "note_added"}
    export.refresh_from_db()
    assert export.status == "downloaded"
    assert export.download_count == 1
    assert export.downloaded_at is not None

    # Once only.
    again = _download(client, export)
    assert again.status_code == 400
    assert "already downloaded" in again.content.decode()

    actions = list(
        AuditEvent.objects.filter(subject_id=str(export.pk))
        .exclude(action="disclosures.export.viewed")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [
        "disclosures.export.requested",
        "disclosures.export.approved",
        "disclosures.export.downloaded",
    ]
    # No personal data, purpose, recipient name or passphrase in the audit trail.
    trail = json.dumps(list(AuditEvent.objects.values_list("data", flat=True)))
    for secret in ("Amina", "Diallo", "bus station", "shelter needs", PASSPHRASE):
        assert secret not in trail


def test_the_archive_does_not_open_without_the_passphrase(client, approved, caseworker):
    client.force_login(caseworker)
    content = _download(client, approved).content
    assert b"Amina" not in content and b"bus station" not in content
    # WinZip AES (method 99), 256-bit keys (strength 3), AE-2.
    with pyzipper.AESZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo("case.json")
        assert (info.wz_aes_strength, info.wz_aes_version) == (3, 2)
        with pytest.raises(RuntimeError):
            archive.read("case.json")
    with zipfile.ZipFile(io.BytesIO(content)) as plain:
        for info in plain.infolist():
            assert info.compress_type == 99
            assert info.flag_bits & 0x1  # encrypted
    with pytest.raises(RuntimeError):
        _open(content, "wrong horse battery staple")


def test_the_passphrase_has_twelve_characters_typed_twice(client, approved, caseworker):
    client.force_login(caseworker)
    short = _download(client, approved, "eleven-char")
    assert short.status_code == 400
    assert "at least 12 characters" in short.content.decode()
    different = _download(client, approved, PASSPHRASE, PASSPHRASE + "!")
    assert different.status_code == 400
    assert "not the same" in different.content.decode()
    approved.refresh_from_db()
    assert approved.status == "approved"
    # The passphrase is never stored or sent back.
    assert PASSPHRASE not in different.content.decode()
    assert _download(client, approved, "twelve chars").status_code == 200


def test_the_passphrase_is_not_stored(client, approved, caseworker):
    client.force_login(caseworker)
    _download(client, approved)
    trail = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert PASSPHRASE not in trail
    row = json.dumps(list(ExportRequest.objects.values()), default=str)
    assert PASSPHRASE not in row


def test_only_the_requester_downloads(
    client, approved, supervisor, dpo, outsider, enforcer
):
    client.force_login(dpo)
    assert _download(client, approved).status_code == 403
    for user in (supervisor, outsider, enforcer):
        client.force_login(user)
        assert _download(client, approved).status_code == 404
    approved.refresh_from_db()
    assert approved.status == "approved"


@override_settings(AMPARO_EXPORT_VALID_DAYS=3)
def test_an_approval_expires(client, case, caseworker, dpo, shelter):
    client.force_login(caseworker)
    _request(client, case, recipient=shelter.pk)
    export = _approve(client, ExportRequest.objects.get(), dpo)
    assert export.expires_at < timezone.now() + timedelta(days=3, seconds=1)
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        client.force_login(caseworker)
        response = _download(client, export)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    export.refresh_from_db()
    assert export.status == "expired"
    assert AuditEvent.objects.filter(action="disclosures.export.expired").exists()


def test_the_dpo_rejects_with_a_reason(client, case, caseworker, dpo, shelter):
    client.force_login(caseworker)
    _request(client, case, recipient=shelter.pk)
    export = ExportRequest.objects.get()
    client.force_login(dpo)
    url = f"/disclosures/exports/{export.pk}/decide/"
    assert client.post(url, {"decision": "reject"}).status_code == 400
    response = client.post(url, {"decision": "reject", "note": "Share a summary."})
    assert response.status_code == 302
    export.refresh_from_db()
    assert export.status == "rejected"
    assert AuditEvent.objects.filter(action="disclosures.export.rejected").exists()
    client.force_login(caseworker)
    assert _download(client, export).status_code == 400
    client.force_login(dpo)
    assert client.post(url, {"decision": "approve"}).status_code == 400


def test_who_may_request(
    client,
    case,
    supervisor,
    statistician,
    legal_officer,
    agency_admin,
    dpo,
    sysadmin,
    outsider,
    enforcer,
    shelter,
):
    client.force_login(supervisor)
    assert _request(client, case, recipient=shelter.pk).status_code == 302
    for user in (
        statistician,
        legal_officer,
        agency_admin,
        dpo,
        sysadmin,
        outsider,
        enforcer,
    ):
        client.force_login(user)
        assert client.get(f"/disclosures/exports/new/{case.pk}/").status_code == 404
        assert _request(client, case, recipient=shelter.pk).status_code == 404
    assert ExportRequest.objects.count() == 1


def test_who_may_decide(
    client, case, caseworker, supervisor, legal_officer, outsider, enforcer, shelter
):
    client.force_login(caseworker)
    _request(client, case, recipient=shelter.pk)
    export = ExportRequest.objects.get()
    url = f"/disclosures/exports/{export.pk}/decide/"
    assert client.post(url, {"decision": "approve"}).status_code == 403
    other_dpo = AgencyFactory(name="Agency B", code="b").users.create(
        username="bdpo", role="dpo"
    )
    for user in (supervisor, legal_officer, outsider, enforcer, other_dpo):
        client.force_login(user)
        assert client.post(url, {"decision": "approve"}).status_code == 404
        assert client.get(f"/disclosures/exports/{export.pk}/").status_code == 404
    export.refresh_from_db()
    assert export.status == "requested"


def test_lists_show_each_user_their_own(
    client, case, caseworker, supervisor, outsider, statistician, enforcer, shelter
):
    client.force_login(caseworker)
    _request(client, case, recipient=shelter.pk)
    export = ExportRequest.objects.get()
    for user in (supervisor, outsider):
        client.force_login(user)
        response = client.get("/disclosures/exports/")
        assert response.status_code == 200
        assert str(export.pk) not in response.content.decode()
    for user in (statistician, enforcer):
        client.force_login(user)
        assert client.get("/disclosures/exports/").status_code == 404


def test_no_export_without_a_lawful_basis_for_data_sharing(client, caseworker, shelter):
    case = make_case(caseworker)
    client.force_login(caseworker)
    response = _request(client, case, recipient=shelter.pk)
    assert response.status_code == 200
    assert "No consent or other lawful basis" in response.content.decode()
    assert not ExportRequest.objects.exists()


def test_consent_withdrawn_before_the_download_stops_it(
    client, approved, caseworker, person
):
    from amparo.people.actions import withdraw_consent

    withdraw_consent(
        person.consents.get(purpose="data_sharing"),
        acting_user=caseworker,
        reason="She changed her mind.",
    )
    client.force_login(caseworker)
    response = _download(client, approved)
    assert response.status_code == 400
    assert "No consent" in response.content.decode()
    approved.refresh_from_db()
    assert approved.status == "approved"


def test_a_recipient_is_an_agency_or_a_named_organisation(client, case, caseworker):
    client.force_login(caseworker)
    assert "Choose an agency" in _request(client, case).content.decode()
    missing_kind = _request(client, case, recipient_name="Family court of Tijuana")
    assert "what kind of organisation" in missing_kind.content.decode()
    assert not ExportRequest.objects.exists()
    response = _request(
        client, case, recipient_name="Family court of Tijuana", recipient_kind="court"
    )
    assert response.status_code == 302
    export = ExportRequest.objects.get()
    assert export.recipient_kind == "court"
    assert export.recipient_name == "Family court of Tijuana"


# The firewall


def test_an_enforcement_agency_gets_nothing_without_an_override(
    client, case, caseworker, enforcement_agency
):
    client.force_login(caseworker)
    response = _request(client, case, recipient=enforcement_agency.pk)
    assert response.status_code == 200
    assert "behind the firewall" in response.content.decode()
    assert not ExportRequest.objects.exists()


def test_a_declared_enforcement_body_gets_nothing_without_an_override(
    client, case, caseworker
):
    client.force_login(caseworker)
    response = _request(
        client, case, recipient_name="Migration Police", recipient_kind="enforcement"
    )
    assert response.status_code == 200
    assert "behind the firewall" in response.content.decode()
    assert not ExportRequest.objects.exists()


def test_a_referral_override_does_not_clear_an_export(
    client, case, caseworker, supervisor, enforcement_agency
):
    approved_override(case, supervisor, enforcement_agency, kind="referral")
    client.force_login(caseworker)
    response = _request(client, case, recipient=enforcement_agency.pk)
    assert "behind the firewall" in response.content.decode()
    assert not ExportRequest.objects.exists()


def test_with_an_approved_override_the_export_goes_and_uses_it(
    client, case, caseworker, supervisor, dpo, enforcement_agency
):
    override = approved_override(case, supervisor, enforcement_agency)
    client.force_login(caseworker)
    assert _request(client, case, recipient=enforcement_agency.pk).status_code == 302
    export = ExportRequest.objects.get()
    assert export.recipient_kind == "enforcement"
    assert export.override == override
    export = _approve(client, export, dpo)
    client.force_login(caseworker)
    assert _download(client, export).status_code == 200
    override.refresh_from_db()
    assert override.status == FirewallOverride.Status.USED
    event = AuditEvent.objects.get(action="disclosures.export.downloaded")
    assert event.data["override"] == str(override.pk)


def test_an_outside_enforcement_body_needs_an_override_naming_it(
    client, case, caseworker, supervisor, dpo
):
    override = approved_override(
        case, supervisor, None, recipient_name="Migration Police"
    )
    client.force_login(caseworker)
    other = _request(
        client, case, recipient_name="Border Guard", recipient_kind="enforcement"
    )
    assert "behind the firewall" in other.content.decode()
    response = _request(
        client,
        case,
        recipient_name="  migration   POLICE ",
        recipient_kind="enforcement",
    )
    assert response.status_code == 302
    export = _approve(client, ExportRequest.objects.get(), dpo)
    client.force_login(caseworker)
    assert _download(client, export).status_code == 200
    override.refresh_from_db()
    assert override.status == FirewallOverride.Status.USED


def test_an_override_used_meanwhile_stops_the_download(
    client, case, caseworker, supervisor, dpo, enforcement_agency
):
    from amparo.disclosures.actions import use_override

    override = approved_override(case, supervisor, enforcement_agency)
    client.force_login(caseworker)
    _request(client, case, recipient=enforcement_agency.pk)
    export = _approve(client, ExportRequest.objects.get(), dpo)
    use_override(override, acting_user=supervisor)  # by a referral, say
    client.force_login(caseworker)
    response = _download(client, export)
    assert response.status_code == 400
    assert "behind the firewall" in response.content.decode()
    export.refresh_from_db()
    assert export.status == "approved"


def test_the_database_allows_one_download(approved):
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportRequest.objects.filter(pk=approved.pk).update(
            status="downloaded", downloaded_at=timezone.now(), download_count=2
        )


def test_police_agency_kind_is_enforcement_too(client, case, caseworker):
    police = AgencyFactory(name="Police", code="pol", kind=Agency.Kind.LAW_ENFORCEMENT)
    client.force_login(caseworker)
    response = _request(client, case, recipient=police.pk)
    assert "behind the firewall" in response.content.decode()


def test_a_requester_who_no_longer_sees_the_case_cannot_download(
    client, approved, case, caseworker, supervisor
):
    from amparo.cases.actions import assign_case

    assign_case(case, acting_user=supervisor, assignee=supervisor)
    client.force_login(caseworker)
    assert _download(client, approved).status_code == 403
    approved.refresh_from_db()
    assert approved.status == "approved"


def test_a_relatives_name_travels_only_on_their_own_basis(case, caseworker):
    from amparo.cases.actions import add_case_member
    from amparo.disclosures.archive import WITHHELD, case_file

    agreed = make_person(caseworker, "Saba", "Tekle")
    silent = make_person(caseworker, "Yonas", "Tekle")
    allow_sharing(agreed, caseworker)
    for relative in (agreed, silent):
        add_case_member(
            case,
            relative,
            acting_user=caseworker,
            relationship="child",
            lawful_basis=ORAL_CONSENT,
        )
    others = case_file(case)["case"]["others_on_the_case"]
    assert sorted(o["name"] for o in others) == sorted(["Saba Tekle", WITHHELD])
    assert "Yonas" not in json.dumps(case_file(case), default=str)
