"""Every write of witness protection: protecting a person (their identity goes into
the encrypted record, a pseudonym takes its place), changing the team, changing the
identity, ending the protection, and re-identification (requested with a reason and a
time limit, approved by two people, one a legal officer). One transaction each, with
its audit event, which never holds a name."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.audit.actions import record as audit
from amparo.core.text import clean_text
from amparo.people.actions import refuse_anonymised, write_record
from amparo.people.models import Person
from amparo.people.queries import persons_visible_to
from amparo.people.records import PersonRecord
from amparo.referrals import packet
from amparo.referrals.models import Referral
from amparo.services.models import ServiceReferral
from amparo.witnesses import identity
from amparo.witnesses.models import Protection, Reidentification
from amparo.witnesses.queries import can_protect, decides, on_team, protection_of

MAX_HOURS = 72
MAX_REASON = 5_000


@transaction.atomic
def protect(
    person: Person,
    *,
    acting_user: User,
    kind: str,
    reason: str,
    team: Iterable[User],
) -> Protection:
    """Protect `person` as a witness or victim-witness. The acting supervisor is
    always on the team; every member must work on cases in the person's agency."""
    _require_supervisor_seeing(acting_user, person)
    # Locked: a second supervisor protecting the same person at once waits, then
    # finds the protection.
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk").first()
    refuse_anonymised(person)
    if kind not in Protection.Kind.values:
        raise ValidationError({"kind": _("Choose witness or victim-witness.")})
    if protection_of(person) is not None:
        raise ValidationError({"kind": _("This person is already protected.")})
    members = _team(person, acting_user, team)
    now = timezone.now()
    real = identity.record_of(person)
    for _attempt in range(5):
        pseudonym = identity.new_pseudonym()
        try:
            with transaction.atomic():
                protection = Protection.objects.create(
                    person=person,
                    agency_id=person.agency_id,
                    kind=kind,
                    pseudonym=pseudonym,
                    identity=identity.dumps(real),
                    reason=clean_text(
                        reason, field="reason", max_length=MAX_REASON, required=True
                    ),
                    started_by=acting_user,
                    started_at=now,
                )
            break
        except IntegrityError:
            if Protection.objects.filter(person=person, ended_at__isnull=True).exists():
                raise ValidationError(
                    {"kind": _("This person is already protected.")}
                ) from None
            continue  # a pseudonym already taken: one in 10^9, draw again
    else:
        raise RuntimeError("No free pseudonym after five draws.")
    protection.team.set(members)
    write_record(person, identity.pseudonymous(real, pseudonym))
    _pseudonymise_copies(person, pseudonym)
    audit(
        acting_user,
        "witnesses.protection.started",
        protection,
        {"kind": kind, "team": sorted(str(m.pk) for m in members)},
    )
    return protection


@transaction.atomic
def change_team(
    protection: Protection, *, acting_user: User, team: Iterable[User]
) -> Protection:
    protection = _lock(protection)
    _require_team_supervisor(acting_user, protection)
    members = _team(protection.person, acting_user, team)
    protection.team.set(members)
    audit(
        acting_user,
        "witnesses.protection.team_changed",
        protection,
        {"team": sorted(str(m.pk) for m in members)},
    )
    return protection


@transaction.atomic
def change_identity(
    protection: Protection, *, acting_user: User, record: PersonRecord
) -> Protection:
    """A team member corrects the identity; the record keeps showing the pseudonym."""
    protection = _lock(protection)
    if not acting_user.works_on_cases or not on_team(acting_user, protection):
        raise PermissionError("Only the protection team changes the identity.")
    person = protection.person
    write_record(person, record)  # validates, as for any change of a record
    protection.identity = identity.dumps(identity.record_of(person))
    protection.save(update_fields=["identity", "updated_at"])
    write_record(person, identity.pseudonymous(record, protection.pseudonym))
    audit(acting_user, "witnesses.identity.changed", protection)
    return protection


@transaction.atomic
def end_protection(
    protection: Protection, *, acting_user: User, reason: str
) -> Protection:
    """A supervisor on the team ends the protection: the identity returns to the
    record, and the encrypted copy is emptied."""
    protection = _lock(protection)
    _require_team_supervisor(acting_user, protection)
    protection.end_reason = clean_text(
        reason, field="reason", max_length=MAX_REASON, required=True
    )
    real = identity.loads(protection.identity)
    protection.ended_at = timezone.now()
    protection.ended_by = acting_user
    protection.identity = identity.dumps(PersonRecord(names=[]))
    protection.save()
    protection.reidentifications.filter(status=Reidentification.Status.PENDING).update(
        status=Reidentification.Status.REFUSED, decided_at=protection.ended_at
    )
    write_record(protection.person, real)
    audit(acting_user, "witnesses.protection.ended", protection)
    return protection


@transaction.atomic
def request_reidentification(
    protection: Protection, *, acting_user: User, reason: str, hours: int
) -> Reidentification:
    """Someone who sees the person under the pseudonym asks to know who they are."""
    protection = _lock(protection)
    if not persons_visible_to(acting_user).filter(pk=protection.person_id).exists():
        raise PermissionError("The user does not see this person.")
    if on_team(acting_user, protection):
        raise ValidationError(
            {"reason": _("You are on the team: you see the identity.")}
        )
    if not 1 <= hours <= MAX_HOURS:
        raise ValidationError(
            {"hours": _("Between 1 and %(max)s hours.") % {"max": MAX_HOURS}}
        )
    if protection.reidentifications.filter(
        requested_by=acting_user, status=Reidentification.Status.PENDING
    ).exists():
        raise ValidationError({"reason": _("Your request already waits for approval.")})
    request = Reidentification.objects.create(
        protection=protection,
        requested_by=acting_user,
        reason=clean_text(reason, field="reason", max_length=MAX_REASON, required=True),
        hours=hours,
    )
    audit(
        acting_user, "witnesses.reidentification.requested", request, {"hours": hours}
    )
    return request


@transaction.atomic
def approve(request: Reidentification, *, acting_user: User) -> Reidentification:
    """One approval. At the second, one of them a legal officer's, the requester sees
    the identity for the hours asked, from now."""
    request = _lock_pending(request, acting_user)
    approvers = list(request.approvers.all())
    if acting_user in approvers:
        raise ValidationError({"status": _("You have already approved this request.")})
    if approvers and not any(
        u.role == User.Role.LEGAL_OFFICER for u in [*approvers, acting_user]
    ):
        raise ValidationError(
            {"status": _("The second approval must be a legal officer's.")}
        )
    request.approvers.add(acting_user)
    if approvers:
        now = timezone.now()
        request.status = Reidentification.Status.APPROVED
        request.decided_at = now
        request.expires_at = now + timedelta(hours=request.hours)
        request.save()
    audit(
        acting_user,
        "witnesses.reidentification.approved",
        request,
        {"approvals": len(approvers) + 1},
        agency_id=request.protection.agency_id,
    )
    return request


@transaction.atomic
def refuse(
    request: Reidentification, *, acting_user: User, reason: str
) -> Reidentification:
    request = _lock_pending(request, acting_user)
    request.refusal_reason = clean_text(
        reason, field="reason", max_length=MAX_REASON, required=True
    )
    request.status = Reidentification.Status.REFUSED
    request.refused_by = acting_user
    request.decided_at = timezone.now()
    request.save()
    audit(acting_user, "witnesses.reidentification.refused", request)
    return request


def _pseudonymise_copies(person: Person, pseudonym: str) -> None:
    """The copies that referrals still hold of the person's record (to another agency
    or a service provider, not yet answered or closed) take the pseudonym too: they
    are shown to people outside the team."""
    for model in (Referral, ServiceReferral):
        held = model.objects.filter(case__primary_person=person).only("pk", "packet")
        for referral in held:
            if referral.packet == "{}":
                continue  # answered or closed: its copy was removed
            referral.packet = packet.dumps(
                packet.pseudonymous(packet.loads(referral.packet), pseudonym)
            )
            referral.save(update_fields=["packet", "updated_at"])


def _lock(protection: Protection) -> Protection:
    locked = (
        Protection.objects.select_for_update()
        .select_related("person")
        .get(pk=protection.pk)
    )
    if locked.ended_at is not None:
        raise ValidationError({"status": _("This protection has ended.")})
    return locked


def _lock_pending(request: Reidentification, user: User) -> Reidentification:
    locked = (
        Reidentification.objects.select_for_update()
        .select_related("protection")
        .get(pk=request.pk)
    )
    if (
        not decides(user)
        or user.agency_id != locked.protection.agency_id
        or user.pk == locked.requested_by_id
    ):
        raise PermissionError("This user does not decide on this request.")
    if locked.status != Reidentification.Status.PENDING:
        raise ValidationError({"status": _("This request has already been decided.")})
    if locked.protection.ended_at is not None:
        raise ValidationError({"status": _("This protection has ended.")})
    return locked


def _require_supervisor_seeing(user: User, person: Person) -> None:
    if (
        not can_protect(user)
        or not persons_visible_to(user).filter(pk=person.pk).exists()
    ):
        raise PermissionError("Only a supervisor who sees the person protects them.")


def _require_team_supervisor(user: User, protection: Protection) -> None:
    if not can_protect(user) or not on_team(user, protection):
        raise PermissionError("Only a supervisor on the team does this.")


def _team(person: Person, acting_user: User, team: Iterable[User]) -> list[User]:
    members = {u.pk: u for u in team} | {acting_user.pk: acting_user}
    wrong = [
        u
        for u in members.values()
        if u.agency_id != person.agency_id or not u.works_on_cases or not u.is_active
    ]
    if wrong:
        raise ValidationError(
            {
                "team": _(
                    "The team is made of case workers and supervisors of the person's "
                    "agency."
                )
            }
        )
    return list(members.values())
