"""The service directory and referrals to services, through their actions: who keeps
the directory, what a referral refuses (and that a refusal saves nothing), that a
referral carries exactly the fields chosen, how it moves from sent to delivered or
closed, and that the audit trail names fields, never values."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from amparo.accounts.models import User
from amparo.accounts.tests.factories import AgencyFactory, UserFactory
from amparo.audit.models import AuditEvent
from amparo.cases.actions import close_case
from amparo.people.actions import record_consent, withdraw_consent
from amparo.people.tests.factories import give_consent
from amparo.referrals import packet
from amparo.referrals.actions import end_agreement
from amparo.safeguards.models import CaseFact
from amparo.services import actions
from amparo.services.actions import ProviderEntry, save_provider
from amparo.services.models import Provider, ServiceReferral
from amparo.services.tests.factories import (
    MESSAGE,
    make_agreement,
    make_provider,
    make_referral,
    make_victim_case,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# Every value of the person's record that a referral could carry, by field.
VALUES = {
    "names": "Tesfaye",
    "contact": "+251 911 000 000",
    "migration_status": "asylum_seeker",
    "nationalities": "ERI",
    "origin": "Keren",
}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(caseworker):
    return make_victim_case(caseworker)


@pytest.fixture
def consented(case, caseworker):
    """The case, with the person's consent to be referred."""
    give_consent(case.primary_person, caseworker, "referral")
    return case


@pytest.fixture
def clinic(supervisor):
    return make_provider(supervisor, services=("medical", "psychosocial"))


@pytest.fixture
def receiver(other_agency):
    """Agency B's supervisor, who answers the referrals to agency B as a provider."""
    return UserFactory(
        username="beatriz", agency=other_agency, role=User.Role.SUPERVISOR
    )


@pytest.fixture
def amparo_provider(supervisor, other_agency):
    """Agency B in agency A's directory: a provider on this Amparo."""
    return make_provider(
        supervisor,
        name="Agency B legal aid",
        services=("legal",),
        amparo_agency=other_agency,
    )


def entry(**changes: object) -> ProviderEntry:
    values: dict[str, object] = {
        "name": "Casa del Migrante",
        "services": ["shelter", "legal"],
        "area": "Tijuana",
        "contact": "casa@example.org",
    }
    return ProviderEntry(**(values | changes))  # type: ignore[arg-type]


def counts() -> tuple[int, int, int]:
    return (
        ServiceReferral.objects.count(),
        CaseFact.objects.count(),
        AuditEvent.objects.count(),
    )


def refused(case, user, provider, field: str | None = None, **changes):
    """Sending is refused (on `field`, or with PermissionError without one) and leaves
    no referral, no fact and no audit event; the refusal's messages."""
    before = counts()
    values = {
        "service": "medical",
        "urgency": "urgent",
        "fields": ["names"],
        "message": MESSAGE,
        "person_agreed": True,
    } | changes
    error: type[Exception] = PermissionError if field is None else ValidationError
    with pytest.raises(error) as caught:
        actions.send_referral(case, acting_user=user, provider=provider, **values)
    assert counts() == before
    if field is None:
        return ""
    assert field in caught.value.message_dict, caught.value.message_dict
    return " ".join(caught.value.message_dict[field])


# --- The directory ---------------------------------------------------------------------


@pytest.mark.parametrize("keeper", ["supervisor", "agency_admin"])
def test_supervisors_and_agency_admins_keep_the_directory(request, keeper):
    user = request.getfixturevalue(keeper)
    provider = save_provider(
        entry(services=["legal", "shelter", "legal"]), acting_user=user
    )
    provider.refresh_from_db()
    assert provider.agency_id == user.agency_id
    assert provider.services == ["legal", "shelter"]
    assert provider.recorded_by == user
    assert provider.active and not provider.enforcement
    changed = save_provider(
        entry(name="Casa del Migrante Tijuana", area="Baja California"),
        acting_user=user,
        provider=provider,
    )
    changed.refresh_from_db()
    assert (changed.pk, changed.name, changed.area) == (
        provider.pk,
        "Casa del Migrante Tijuana",
        "Baja California",
    )
    assert Provider.objects.count() == 1
    actions_done = AuditEvent.objects.filter(action__startswith="services.provider.")
    assert sorted(actions_done.values_list("action", flat=True)) == [
        "services.provider.added",
        "services.provider.changed",
    ]


@pytest.mark.parametrize(
    "persona",
    ["caseworker", "statistician", "legal_officer", "dpo", "sysadmin", "enforcer"],
)
def test_other_roles_do_not_keep_the_directory(request, persona):
    with pytest.raises(PermissionError):
        save_provider(entry(), acting_user=request.getfixturevalue(persona))
    assert not Provider.objects.exists()


def test_only_the_owning_agency_changes_its_entry(supervisor, other_agency):
    provider = save_provider(entry(), acting_user=supervisor)
    b_supervisor = UserFactory(
        username="bruno", agency=other_agency, role=User.Role.SUPERVISOR
    )
    with pytest.raises(PermissionError):
        save_provider(
            entry(name="Taken over"), acting_user=b_supervisor, provider=provider
        )
    provider.refresh_from_db()
    assert provider.name == "Casa del Migrante"


def test_an_enforcement_agency_is_an_enforcement_body_whatever_the_form_says(
    supervisor, enforcement_agency
):
    provider = save_provider(
        entry(name="Border Police medical unit", amparo_agency=enforcement_agency),
        acting_user=supervisor,
    )
    assert provider.enforcement
    # Changing the entry cannot lift it.
    save_provider(
        entry(name="Border Police medical unit", amparo_agency=enforcement_agency),
        acting_user=supervisor,
        provider=provider,
    )
    provider.refresh_from_db()
    assert provider.enforcement


def test_a_duplicate_name_is_refused_in_the_same_agency_only(supervisor, other_agency):
    save_provider(entry(), acting_user=supervisor)
    with pytest.raises(ValidationError) as caught:
        save_provider(entry(name="  Casa del Migrante "), acting_user=supervisor)
    assert set(caught.value.message_dict) == {"name"}
    second = save_provider(entry(name="Other"), acting_user=supervisor)
    with pytest.raises(ValidationError) as caught:
        save_provider(entry(), acting_user=supervisor, provider=second)
    assert set(caught.value.message_dict) == {"name"}
    second.refresh_from_db()
    assert second.name == "Other"
    # Another agency keeps its own directory entries, with any name.
    b_supervisor = UserFactory(
        username="bruno", agency=other_agency, role=User.Role.SUPERVISOR
    )
    save_provider(entry(), acting_user=b_supervisor)
    assert Provider.objects.filter(name="Casa del Migrante").count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"services": []}, "services"),
        ({"services": ["medical", "massage"]}, "services"),
        ({"services": ["immigration_control"]}, "services"),
        ({"name": "   "}, "name"),
        ({"area": ""}, "area"),
        ({"contact": ""}, "contact"),
    ],
)
def test_bad_entries_are_refused_on_their_field(supervisor, changes, field):
    with pytest.raises(ValidationError) as caught:
        save_provider(entry(**changes), acting_user=supervisor)
    assert field in caught.value.message_dict
    assert not Provider.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="services.").exists()


def test_an_agency_is_not_its_own_provider(supervisor, agency):
    with pytest.raises(ValidationError) as caught:
        save_provider(entry(amparo_agency=agency), acting_user=supervisor)
    assert "amparo_agency" in caught.value.message_dict
    assert not Provider.objects.exists()


# --- Sending: refusals -----------------------------------------------------------------


def test_without_consent_for_referral_nothing_is_sent(case, caseworker, clinic):
    # The case has a basis for case management only.
    message = refused(case, caseworker, clinic, "consent")
    assert "Referral or transfer to another agency" in message
    give_consent(case.primary_person, caseworker, "tracing")
    refused(case, caseworker, clinic, "consent")


def test_a_withdrawn_consent_is_no_consent(case, caseworker, clinic):
    consent = give_consent(case.primary_person, caseworker, "referral")
    withdraw_consent(consent, acting_user=caseworker, reason="She changed her mind")
    refused(case, caseworker, clinic, "consent")


def test_consent_needs_the_persons_agreement_to_this_provider(
    consented, caseworker, clinic
):
    message = refused(
        consented, caseworker, clinic, "person_agreed", person_agreed=False
    )
    assert "agree" in message


def test_another_lawful_basis_needs_no_agreement_of_the_person(
    case, caseworker, clinic
):
    record_consent(
        case.primary_person,
        acting_user=caseworker,
        purpose="referral",
        basis="vital_interest",
        justification="Unconscious; needs urgent care.",
        obtained_on=NOW.date(),
    )
    referral = make_referral(case, caseworker, clinic, person_agreed=False)
    assert referral.consent.basis == "vital_interest"
    assert referral.person_agreed is False


def test_an_enforcement_body_receives_nothing_whatever_the_consent(
    consented, caseworker, supervisor
):
    police = make_provider(supervisor, name="Policía Federal", enforcement=True)
    message = refused(consented, caseworker, police, "provider")
    assert "firewall" in message


def test_an_enforcement_agency_on_amparo_receives_nothing(
    consented, caseworker, supervisor, enforcement_agency
):
    police = make_provider(
        supervisor, name="Border Police", amparo_agency=enforcement_agency
    )
    assert "firewall" in refused(consented, caseworker, police, "provider")


def test_a_service_the_provider_does_not_offer_is_refused(
    consented, caseworker, clinic
):
    assert "does not offer" in refused(
        consented, caseworker, clinic, "service", service="legal"
    )
    refused(consented, caseworker, clinic, "service", service="massage")


def test_a_provider_out_of_the_directory_is_refused(consented, caseworker, supervisor):
    closed = make_provider(supervisor, name="Closed clinic", active=False)
    refused(consented, caseworker, closed, "provider")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"urgency": "whenever"}, "urgency"),
        ({"fields": []}, "fields"),
        ({"fields": ["names", "soul"]}, "fields"),
        ({"message": "   "}, "message"),
    ],
)
def test_bad_input_is_refused_on_its_field(
    consented, caseworker, clinic, changes, field
):
    refused(consented, caseworker, clinic, field, **changes)


def test_an_agency_on_amparo_needs_an_agreement_in_force(
    consented, caseworker, dpo, amparo_provider, other_agency
):
    message = refused(
        consented, caseworker, amparo_provider, "provider", service="legal"
    )
    assert "agreement" in message
    agreement = make_agreement(dpo, other_agency)
    end_agreement(agreement, acting_user=dpo)
    refused(consented, caseworker, amparo_provider, "provider", service="legal")
    # An agreement with a third agency does not count.
    make_agreement(dpo, AgencyFactory(name="Agency C", code="c"))
    refused(consented, caseworker, amparo_provider, "provider", service="legal")


def test_an_expired_agreement_no_longer_counts(
    consented, caseworker, dpo, amparo_provider, other_agency
):
    make_agreement(dpo, other_agency)
    with time_machine.travel(NOW + timedelta(days=400), tick=False):
        refused(consented, caseworker, amparo_provider, "provider", service="legal")


def test_fields_beyond_the_agreement_are_refused(
    consented, caseworker, dpo, amparo_provider, other_agency
):
    make_agreement(dpo, other_agency, fields=("names", "languages"))
    message = refused(
        consented,
        caseworker,
        amparo_provider,
        "fields",
        service="legal",
        fields=["names", "contact"],
    )
    assert "Contact" in message
    referral = make_referral(
        consented,
        caseworker,
        amparo_provider,
        service="legal",
        fields=("names", "languages"),
    )
    assert referral.fields == ["languages", "names"]


def test_a_closed_case_refers_no_one(consented, caseworker, clinic):
    close_case(consented, acting_user=caseworker, reason="goals_met")
    refused(consented, caseworker, clinic, "status")


@pytest.mark.parametrize(
    "persona", ["outsider", "statistician", "dpo", "legal_officer", "enforcer"]
)
def test_who_cannot_work_on_the_case_sends_nothing(request, consented, clinic, persona):
    refused(consented, request.getfixturevalue(persona), clinic)


# --- Sending: what travels -------------------------------------------------------------


def test_the_packet_holds_exactly_the_chosen_fields(consented, caseworker, clinic):
    referral = make_referral(consented, caseworker, clinic, fields=("names",))
    referral.refresh_from_db()
    assert referral.fields == ["names"]
    shared = packet.loads(referral.packet)
    assert set(shared) == {"names"}
    assert [(n["given_names"], n["family_names"]) for n in shared["names"]] == [
        ("Selam", "Tesfaye")
    ]
    for field, value in VALUES.items():
        if field != "names":
            assert value not in referral.packet, field


def test_two_fields_chosen_two_fields_shared(consented, caseworker, clinic):
    referral = make_referral(
        consented, caseworker, clinic, fields=("languages", "sex", "languages")
    )
    referral.refresh_from_db()
    assert referral.fields == ["languages", "sex"]
    shared = packet.loads(referral.packet)
    assert set(shared) == {"languages", "preferred_language", "sex"}
    assert (shared["sex"], shared["preferred_language"]) == ("F", "ti")
    assert sorted(shared["languages"]) == ["en", "ti"]
    for value in VALUES.values():
        assert value not in referral.packet


def test_what_is_sent_is_recorded_with_its_basis(consented, caseworker, clinic):
    referral = make_referral(consented, caseworker, clinic, urgency="urgent")
    referral.refresh_from_db()
    assert (referral.status, referral.sent_at, referral.sent_by) == (
        "sent",
        NOW,
        caseworker,
    )
    assert referral.consent.purpose == "referral"
    assert referral.person_agreed is True
    assert referral.message == MESSAGE
    assert referral.accepted_at is None and referral.delivered_at is None
    fact = CaseFact.objects.get(case=consented, kind="service_referred")
    assert fact.data == {
        "referral": str(referral.pk),
        "service": "medical",
        "urgency": "urgent",
    }
    assert fact.at == NOW


def test_the_copy_and_the_message_are_encrypted_at_rest(consented, caseworker, clinic):
    make_referral(consented, caseworker, clinic, fields=("names", "contact"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT packet, message FROM services_servicereferral")
        raw = " ".join(cursor.fetchone())
    assert "Tesfaye" not in raw and "+251" not in raw


# --- The referral's moves --------------------------------------------------------------


@pytest.fixture
def referral(consented, caseworker, clinic):
    """A referral to a clinic outside Amparo: the case team records its answers."""
    return make_referral(consented, caseworker, clinic, fields=("names", "contact"))


def answer(referral, user, status, reason=""):
    actions.answer_referral(referral, acting_user=user, status=status, reason=reason)
    referral.refresh_from_db()
    return referral


def moves_of(referral) -> list[str]:
    """The statuses of the referral's facts on its case, in order."""
    facts = CaseFact.objects.filter(
        case=referral.case, kind="service_referral_updated"
    ).order_by("at", "created_at")
    return [f.data["status"] for f in facts if f.data["referral"] == str(referral.pk)]


def test_accepted_then_delivered_with_their_times(referral, caseworker):
    later = NOW + timedelta(hours=3)
    with time_machine.travel(later, tick=False):
        answer(referral, caseworker, "accepted")
    assert (referral.status, referral.accepted_at) == ("accepted", later)
    assert referral.delivered_at is None
    done = NOW + timedelta(days=2)
    with time_machine.travel(done, tick=False):
        answer(referral, caseworker, "delivered")
    assert (referral.status, referral.accepted_at, referral.delivered_at) == (
        "delivered",
        later,
        done,
    )
    assert moves_of(referral) == ["accepted", "delivered"]
    # The copy stays while the service runs; it goes when the referral is closed.
    assert "Tesfaye" in referral.packet


def test_delivered_straight_away_counts_as_accepted_then(referral, supervisor):
    answer(referral, supervisor, "delivered")
    assert referral.status == "delivered"
    assert referral.accepted_at == referral.delivered_at == NOW


@pytest.mark.parametrize(
    ("path", "refused_move"),
    [
        ([], "closed"),  # closing is the case team's own move, not an answer
        ([], "sent"),
        ([], "bogus"),
        (["accepted"], "accepted"),
        (["delivered"], "accepted"),
        (["delivered"], "declined"),
        (["declined"], "accepted"),
        (["declined"], "delivered"),
    ],
)
def test_moves_that_are_refused(referral, caseworker, path, refused_move):
    for move in path:
        answer(referral, caseworker, move, reason="No capacity")
    before = (referral.status, counts())
    with pytest.raises(ValidationError) as caught:
        actions.answer_referral(
            referral, acting_user=caseworker, status=refused_move, reason="x"
        )
    assert "status" in caught.value.message_dict
    referral.refresh_from_db()
    assert (referral.status, counts()) == before


def test_no_answer_after_closing(referral, caseworker):
    actions.close_referral(referral, acting_user=caseworker)
    for move in ("accepted", "delivered", "declined"):
        with pytest.raises(ValidationError):
            actions.answer_referral(
                referral, acting_user=caseworker, status=move, reason="x"
            )
    referral.refresh_from_db()
    assert referral.status == "closed"


def test_declining_needs_a_reason_and_removes_the_copy(referral, caseworker):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        actions.answer_referral(
            referral, acting_user=caseworker, status="declined", reason="  "
        )
    assert "reason" in caught.value.message_dict
    referral.refresh_from_db()
    assert referral.status == "sent" and "Tesfaye" in referral.packet
    assert counts() == before
    later = NOW + timedelta(hours=5)
    with time_machine.travel(later, tick=False):
        answer(referral, caseworker, "declined", reason="No female doctor available")
    assert (referral.status, referral.declined_at) == ("declined", later)
    assert referral.decline_reason == "No female doctor available"
    assert packet.loads(referral.packet) == {}
    assert referral.fields == ["contact", "names"]  # what was shared stays known


def test_an_accepted_referral_may_still_be_declined(referral, caseworker):
    answer(referral, caseworker, "accepted")
    answer(referral, caseworker, "declined", reason="The doctor left")
    assert referral.status == "declined"
    assert referral.accepted_at is not None and referral.declined_at is not None


@pytest.mark.parametrize("path", [[], ["accepted"], ["declined"], ["delivered"]])
def test_closing_removes_the_copy_from_any_status(referral, caseworker, path):
    for move in path:
        answer(referral, caseworker, move, reason="No capacity")
    later = NOW + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        actions.close_referral(referral, acting_user=caseworker, note="Done with")
    referral.refresh_from_db()
    assert (referral.status, referral.closed_at, referral.closing_note) == (
        "closed",
        later,
        "Done with",
    )
    assert referral.packet == "{}"
    assert referral.fields == ["contact", "names"]
    assert moves_of(referral) == [*path, "closed"]
    with pytest.raises(ValidationError):
        actions.close_referral(referral, acting_user=caseworker)


def test_a_referral_is_closed_even_after_its_case(referral, caseworker):
    close_case(referral.case, acting_user=caseworker, reason="goals_met")
    actions.close_referral(referral, acting_user=caseworker)
    referral.refresh_from_db()
    assert referral.status == "closed"


@pytest.mark.parametrize("persona", ["outsider", "statistician", "dpo", "enforcer"])
def test_only_the_case_team_answers_for_a_provider_outside_amparo(
    request, referral, persona
):
    user = request.getfixturevalue(persona)
    before = counts()
    with pytest.raises(PermissionError):
        actions.answer_referral(referral, acting_user=user, status="accepted")
    with pytest.raises(PermissionError):
        actions.close_referral(referral, acting_user=user)
    referral.refresh_from_db()
    assert referral.status == "sent"
    assert counts() == before


def test_a_case_worker_not_on_the_case_neither_answers_nor_closes(referral, agency):
    colleague = UserFactory(username="cesar", agency=agency, role=User.Role.CASEWORKER)
    with pytest.raises(PermissionError):
        actions.answer_referral(referral, acting_user=colleague, status="accepted")
    with pytest.raises(PermissionError):
        actions.close_referral(referral, acting_user=colleague)


# --- A provider on this Amparo ---------------------------------------------------------


@pytest.fixture
def received(consented, caseworker, dpo, other_agency, amparo_provider):
    make_agreement(dpo, other_agency)
    return make_referral(
        consented, caseworker, amparo_provider, service="legal", fields=("names",)
    )


def test_the_provider_agencys_supervisor_answers(received, receiver):
    answer(received, receiver, "accepted")
    answer(received, receiver, "delivered")
    assert received.status == "delivered"
    fact = CaseFact.objects.filter(
        case=received.case, kind="service_referral_updated"
    ).latest("at", "created_at")
    assert fact.recorded_by == receiver
    # The answer is filed under the case's agency, whose DPO sees it.
    event = AuditEvent.objects.get(action="services.referral.delivered")
    assert (event.actor, event.agency_id) == (receiver, received.case.agency_id)


def test_the_sender_does_not_answer_for_a_provider_on_amparo(
    received, caseworker, supervisor, outsider
):
    # Agency A's staff, and agency B's case worker: not the provider's answer.
    for user in (caseworker, supervisor, outsider):
        with pytest.raises(PermissionError):
            actions.answer_referral(received, acting_user=user, status="accepted")
    received.refresh_from_db()
    assert received.status == "sent"


def test_the_provider_does_not_close_the_senders_referral(
    received, receiver, caseworker
):
    with pytest.raises(PermissionError):
        actions.close_referral(received, acting_user=receiver)
    actions.close_referral(received, acting_user=caseworker)
    received.refresh_from_db()
    assert received.status == "closed"


# --- The audit trail -------------------------------------------------------------------


def test_the_audit_trail_names_fields_never_values(referral, caseworker, clinic):
    answer(referral, caseworker, "accepted")
    answer(referral, caseworker, "declined", reason="No female doctor available")
    actions.close_referral(referral, acting_user=caseworker, note="Referred elsewhere")
    events = AuditEvent.objects.filter(action__startswith="services.referral.")
    assert sorted(events.values_list("action", flat=True)) == [
        "services.referral.accepted",
        "services.referral.closed",
        "services.referral.declined",
        "services.referral.sent",
    ]
    sent = events.get(action="services.referral.sent")
    assert sent.data["fields"] == ["contact", "names"]
    assert sent.data["provider"] == str(clinic.pk)
    assert (sent.data["service"], sent.data["urgency"]) == ("medical", "routine")
    assert sent.data["consent"] == str(referral.consent_id)
    assert sent.agency_id == referral.case.agency_id
    trail = str(list(AuditEvent.objects.values_list("data", flat=True)))
    for value in ("Selam", "Tesfaye", "+251", MESSAGE, "female doctor", "elsewhere"):
        assert value not in trail, value


def test_after_consent_is_withdrawn_the_provider_takes_nothing_further_on(
    case, caseworker, clinic
):
    consent = give_consent(case.primary_person, caseworker, "referral")
    referral = make_referral(case, caseworker, clinic)
    withdraw_consent(consent, acting_user=caseworker, reason="She changed her mind")
    with pytest.raises(ValidationError) as refusal:
        actions.answer_referral(referral, acting_user=caseworker, status="accepted")
    assert "consent" in refusal.value.message_dict
    referral.refresh_from_db()
    assert referral.status == "sent" and referral.accepted_at is None
    # Declining stays possible: it takes nothing on.
    actions.answer_referral(
        referral, acting_user=caseworker, status="declined", reason="Consent withdrawn"
    )
    referral.refresh_from_db()
    assert referral.status == "declined"


@pytest.mark.parametrize("languages", [["xx-nonsense"], ["zzzz"]])
def test_a_provider_with_an_unknown_language_is_refused(supervisor, languages):
    entry = ProviderEntry(
        name="Clinic", services=["medical"], area="Town", contact="Desk"
    )
    entry.languages = languages
    with pytest.raises(ValidationError) as refusal:
        save_provider(entry, acting_user=supervisor)
    assert "languages" in refusal.value.message_dict
    assert not Provider.objects.exists()


def test_a_providers_languages_are_stored_as_canonical_codes(supervisor):
    entry = ProviderEntry(
        name="Clinic", services=["medical"], area="Town", contact="Desk"
    )
    entry.languages = ["ara", "es", "es"]
    assert save_provider(entry, acting_user=supervisor).languages == ["ar", "es"]
