from datetime import timedelta

from django.utils import timezone

from amparo.accounts.models import Agency, User
from amparo.cases.models import Case
from amparo.cases.tests.factories import make_case
from amparo.people.tests.factories import make_person
from amparo.referrals.actions import record_agreement
from amparo.referrals.models import SharingAgreement
from amparo.services.actions import ProviderEntry, save_provider, send_referral
from amparo.services.models import Provider, ServiceReferral

MESSAGE = "Needs to see a doctor this week; she speaks Tigrinya."


def make_provider(
    supervisor: User,
    *,
    name: str = "Clínica San Rafael",
    services: tuple[str, ...] = ("medical",),
    amparo_agency: Agency | None = None,
    enforcement: bool = False,
    active: bool = True,
) -> Provider:
    return save_provider(
        ProviderEntry(
            name=name,
            services=list(services),
            area="Tapachula, Chiapas",
            contact="+52 962 000 0000",
            languages=["es", "en"],
            eligibility="Anyone, whatever their status.",
            amparo_agency=amparo_agency,
            enforcement=enforcement,
            active=active,
        ),
        acting_user=supervisor,
    )


def make_victim_case(user: User) -> Case:
    """A case (the user's) whose person has a value in every field a referral can
    share, each easy to find in a packet or a page."""
    person = make_person(
        user,
        "Selam",
        "Tesfaye",
        sex="F",
        contact="+251 911 000 000",
        nationalities=("ERI",),
        migration_status="asylum_seeker",
        languages=["ti", "en"],
        preferred_language="ti",
        place_of_origin="Keren",
    )
    return make_case(user, person=person, types=("general",))


def make_agreement(
    dpo: User, to_agency: Agency, fields: tuple[str, ...] = ("names", "languages")
) -> SharingAgreement:
    """The DPO's data-sharing agreement with `to_agency`, in force for a year."""
    return record_agreement(
        acting_user=dpo,
        to_agency=to_agency,
        purpose="Medical and legal assistance of victims",
        fields=list(fields),
        safeguards="MoU of 2026, clause 4: confidentiality, no onward sharing.",
        valid_from=timezone.localdate() - timedelta(days=1),
        valid_until=timezone.localdate() + timedelta(days=365),
    )


def make_referral(
    case: Case,
    user: User,
    provider: Provider,
    *,
    service: str = "medical",
    urgency: str = "routine",
    fields: tuple[str, ...] = ("names",),
    message: str = MESSAGE,
    person_agreed: bool = True,
) -> ServiceReferral:
    return send_referral(
        case,
        acting_user=user,
        provider=provider,
        service=service,
        urgency=urgency,
        fields=list(fields),
        message=message,
        person_agreed=person_agreed,
    )
