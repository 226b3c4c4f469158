"""Services and a protected witness for the demo: a small directory (a clinic, a
legal aid office, the other demo agency's shelter, and a police unit that no referral
may reach), referrals from the victim case identified on reasonable grounds (legal aid,
urgent and accepted; psychosocial support, waiting), and a victim-witness shown under a
pseudonym outside the protection team. Recorded through the real actions."""

from __future__ import annotations

from django.utils import timezone

from amparo.accounts.models import Agency, User
from amparo.cases.models import Case
from amparo.people.actions import record_consent
from amparo.people.models import Consent
from amparo.people.queries import lawful_basis
from amparo.services.actions import (
    ProviderEntry,
    answer_referral,
    save_provider,
    send_referral,
)
from amparo.services.models import Provider
from amparo.witnesses.actions import protect

DIRECTORY = (
    ProviderEntry(
        name="Clínica Comunitaria Santa Fe (demo)",
        services=["medical", "psychosocial"],
        languages=["es", "en", "fr"],
        area="Tapachula and the Soconusco region",
        eligibility="Anyone, whatever their migration status; free of charge.",
        contact="Reception, Mon–Sat 8:00–18:00, +52 962 000 0101",
    ),
    ProviderEntry(
        name="Legal Aid Office (demo)",
        services=["legal", "interpretation"],
        languages=["es", "en", "ar"],
        area="The whole state",
        eligibility="Victims of crime and trafficking; asylum seekers.",
        contact="Duty lawyer, +52 962 000 0202",
    ),
    ProviderEntry(
        name="Migration police unit (demo)",
        services=["consular"],
        area="Border crossing",
        contact="Front desk",
        enforcement=True,
    ),
)


def add_services(
    agency: Agency, other: Agency, *, caseworker: User, supervisor: User
) -> int:
    """The directory, referrals and a protected witness; returns how many referrals."""
    providers = [save_provider(entry, acting_user=supervisor) for entry in DIRECTORY]
    shelter = save_provider(
        ProviderEntry(
            name=f"{other.name}: shelter and legal aid",
            services=["shelter", "legal"],
            languages=["es", "en"],
            area="Tapachula",
            eligibility="Women and children at risk.",
            contact="Through Amparo",
            amparo_agency=other,
        ),
        acting_user=supervisor,
    )
    victims = list(
        Case.objects.filter(agency=agency, types__code="victim")
        .exclude(status=Case.Status.CLOSED)
        .exclude(assigned_to=None)
        .order_by("reference")[:2]
    )
    if not victims:
        return 0
    identified = victims[0]
    _consent_to_referral(identified, caseworker)
    legal = send_referral(
        identified,
        acting_user=caseworker,
        provider=providers[1],
        service="legal",
        urgency="urgent",
        fields=["names", "languages", "case_types"],
        message="Identified on reasonable grounds; needs advice on a residence "
        "permit and on the criminal complaint.",
        person_agreed=True,
    )
    answer_referral(legal, acting_user=caseworker, status="accepted")
    send_referral(
        identified,
        acting_user=caseworker,
        provider=_offering(providers, shelter, "psychosocial"),
        service="psychosocial",
        urgency="routine",
        fields=["names", "languages"],
        message="Counselling in Spanish, after a long period of forced labour.",
        person_agreed=True,
    )
    if len(victims) > 1:
        protect(
            victims[1].primary_person,
            acting_user=supervisor,
            kind="victim_witness",
            reason="Will testify against the recruiters; threats reported.",
            team=[caseworker],
        )
    return 2


def _consent_to_referral(case: Case, user: User) -> None:
    person = case.primary_person
    if lawful_basis(person, Consent.Purpose.REFERRAL) is None:
        record_consent(
            person,
            acting_user=user,
            purpose=Consent.Purpose.REFERRAL,
            basis=Consent.Basis.CONSENT,
            method=Consent.Method.ORAL,
            given_by=Consent.GivenBy.PERSON,
            obtained_on=timezone.localdate(),
        )


def _offering(providers: list[Provider], shelter: Provider, service: str) -> Provider:
    return next(p for p in [*providers, shelter] if service in p.services)
