"""Consular-access rules of the safeguards engine (resolution 68/179 para 4(h); VCCR
arts. 36-37). Pure: imports nothing from Django.

Every duty here is owed per nationality: a person with two foreign nationalities gets
one obligation per country (the obligation's key is the country). Three protections run
through all of them (domain-standards §1.4):

- a national of the detaining State (the profile's `country`) is owed no consular
  notification, even with a second nationality: every duty is `not_applicable`;
- a stateless person (XXA) has no consulate: `not_applicable`;
- an asylum seeker or refugee is never reported to a consulate without their explicit
  consent; where a treaty would make notification mandatory, or for a death or a
  guardianship, a legal officer decides (`escalated`), and any message carries no
  asylum data.

The rules read facts as they stood at the evaluation time: a fact dated after `now` has
not happened yet (an evaluation `--at` an earlier time sees the case as it was then).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any

from amparo.safeguards.deadlines import fraction_of, time_zone
from amparo.safeguards.engine import Rule, deadline, each, figure_duration, register
from amparo.safeguards.facts import CaseFile, Fact
from amparo.safeguards.obligations import Obligation, Severity, Status, timed_status
from amparo.safeguards.profiles import Listing, Profile

STATELESS = "XXA"
# The key of the duty to inform while the person is only suspected to be foreign and no
# country is recorded yet (domain-standards §1.4: unknown nationality counts as suspected).
UNKNOWN = "unknown"
# A nationality the authorities act on when telling a consulate; a merely suspected one
# starts the duty to inform the person (Avena) but names no consulate to write to.
ESTABLISHED = frozenset({"confirmed", "claimed"})
PROTECTED = frozenset({"asylum_seeker", "refugee"})
# Policy constant (not law): warn once 80 % of the time to a deadline has gone.
WARNING_SHARE = 0.8
RESOLUTION = "A/RES/68/179 para 4(h)"

CONSULAR_RULES = (
    "consular.death",
    "consular.forward_communications",
    "consular.guardianship",
    "consular.inform_rights",
    "consular.mandatory_notification",
    "consular.notify_on_request",
)

NATIONAL_NOTE = (
    "The person is a national of the detaining State ({country}): no consular "
    "notification, whatever their other nationality (dual nationals are treated as "
    "nationals of the detaining State)."
)
STATELESS_NOTE = "The person is stateless (XXA): there is no consulate to tell."
NO_ASYLUM_DATA = (
    "Any message to the consulate must carry no asylum, protection or claim data "
    "(not even that a claim was made)."
)
LEGAL_OFFICER_NOTE = (
    "The person is an asylum seeker or refugee: a legal officer decides whether the "
    "consulate of {country} is told (record legal_review_completed). " + NO_ASYLUM_DATA
)
CONSENT_NOTE = (
    "Blocked: the person is an asylum seeker or refugee, and their consulate ({country}) "
    "is never told without their explicit, informed consent "
    "(consular_notification_consented)."
)
WITHHELD_NOTE = "A legal officer decided not to tell the consulate of {country}."
OPPOSED_NOTE = (
    "The person expressly opposes consular visits (VCCR art. 36(1)(c)): arrange no "
    "visits; the duties to inform still apply."
)
BEST_INTERESTS_NOTE = (
    "Blocked pending a best-interests assessment of the child before anything is sent "
    "(domain-standards §1.4 and §3)."
)


# --- What the rules read -------------------------------------------------------------


@dataclass(frozen=True)
class Custody:
    """One continuous time in custody: detention episodes that follow each other
    without a release count as one (a transfer between authorities is no release)."""

    start: Fact
    ended_at: datetime | None
    # (when, IANA zone) of the start and each transfer, in time order.
    places: tuple[tuple[datetime, str], ...]

    def ongoing_after(self, moment: datetime) -> bool:
        return self.ended_at is None or self.ended_at > moment

    def zone_at(self, moment: datetime) -> str | None:
        zone = self.places[0][1] if self.places else None
        for when, name in self.places:
            if when <= moment:
                zone = name
        return zone or None


@dataclass(frozen=True)
class Person:
    """What the consular rules know of the person at the evaluation time."""

    case: CaseFile  # only the facts up to `now`
    profile: Profile
    now: datetime
    custodies: tuple[Custody, ...]  # only those that trigger consular duties

    # What every rule asks of the person, once (cached_property): a Person is made once
    # per case file and time (`person`), and its facts do not change.

    @cached_property
    def national(self) -> bool:
        home = self.profile.country
        return bool(home) and any(
            f.get("country") == home and _established(f) for f in self.nationalities
        )

    @cached_property
    def nationalities(self) -> list[Fact]:
        return self.case.of("nationality")

    def countries(self, *, established_only: bool = False) -> list[str]:
        """Foreign countries recorded as the person's, first seen first."""
        return list(
            each(
                str(f.get("country"))
                for f in self.nationalities
                if f.get("country")
                and f.get("country") != self.profile.country
                and (_established(f) or not established_only)
            )
        )

    @cached_property
    def stateless_only(self) -> bool:
        return self.countries() == [STATELESS]

    @cached_property
    def protected(self) -> bool:
        status = self.case.last("asylum_status")
        return status is not None and status.get("status") in PROTECTED

    def suspicion(self) -> Fact | None:
        """When the authorities first had grounds to think the person is foreign
        without knowing the country: a suspicion, or a nationality recorded unknown."""
        return self._suspicion

    @cached_property
    def _suspicion(self) -> Fact | None:
        found = [
            f
            for f in self.case.of("foreign_nationality_suspected", "nationality")
            if f.kind == "foreign_nationality_suspected"
            or f.get("status") == "unknown"
            or not f.get("country")
        ]
        return found[0] if found else None

    def known_foreign(self, country: str) -> Fact | None:
        """Avena's trigger for `country`: the earlier of a suspicion that the person is
        foreign and the first record of that nationality."""
        first = self.case.first("nationality", where={"country": country})
        candidates = [f for f in (self.suspicion(), first) if f is not None]
        return min(candidates, key=lambda f: (f.at, f.id)) if candidates else None

    def custody_after(self, moment: datetime) -> Custody | None:
        """The latest custody still running at or after `moment`: the duties arise
        anew with each detention, and a release before `moment` triggered nothing."""
        found = [c for c in self.custodies if c.ongoing_after(moment)]
        return found[-1] if found else None

    def first_since(
        self, kind: str, since: datetime, where: dict[str, Any] | None = None
    ) -> Fact | None:
        return next(
            (
                f
                for f in self.case.of(kind)
                if f.at >= since
                and all(f.get(k) == v for k, v in (where or {}).items())
            ),
            None,
        )

    def notified(
        self, countries: Iterable[str], about: str, since: datetime
    ) -> Fact | None:
        """The first notice to the consulate of one of `countries` about `about`
        (a notice without `about` is about the detention)."""
        wanted = set(countries)
        return next(
            (
                f
                for f in self.case.of("consulate_notified")
                if f.at >= since
                and f.get("country") in wanted
                and f.get("about", "detention") == about
            ),
            None,
        )

    def review(
        self, countries: Iterable[str], about: str, since: datetime
    ) -> Fact | None:
        """A legal officer's decision on telling the consulate of one of `countries`
        (an `about` on the fact, where given, must match)."""
        wanted = set(countries)
        return next(
            (
                f
                for f in self.case.of("legal_review_completed")
                if f.at >= since
                and f.get("country") in wanted
                and f.get("about", about) == about
            ),
            None,
        )

    def opposes_access(self, country: str) -> bool:
        return (
            self.case.first("consular_access_opposed", where={"country": country})
            is not None
        )


def person(case: CaseFile, profile: Profile, now: datetime) -> Person:
    """`_person`, computed once per case, profile and time for all the rules."""
    return case.derived(
        ("consular.person", profile.code, profile.version, now),
        lambda: _person(case, profile, now),
    )


def _person(case: CaseFile, profile: Profile, now: datetime) -> Person:
    # The facts are in time order: when the last is not after `now` (nearly always),
    # the case file is already as it stood then, and needs no copy.
    seen = (
        case
        if not case.facts or case.facts[-1].at <= now
        else CaseFile(
            case.case_id,
            case.person_id,
            case.jurisdiction,
            tuple(f for f in case.facts if f.at <= now),
        )
    )
    return Person(
        case=seen,
        profile=profile,
        now=now,
        custodies=tuple(c for c in _custodies(seen) if _triggers(c, profile)),
    )


def _established(nationality: Fact) -> bool:
    return nationality.get("status", "confirmed") in ESTABLISHED


def _custodies(case: CaseFile) -> list[Custody]:
    episodes: dict[str, dict[str, Any]] = {}
    for fact in case.of(
        "detention_started", "detention_transferred", "detention_ended"
    ):
        name = str(fact.get("episode", ""))
        if fact.kind == "detention_started":
            episodes.setdefault(
                name,
                {
                    "start": fact,
                    "end": None,
                    "places": [(fact.at, fact.get("time_zone", ""))],
                },
            )
        elif name in episodes and fact.kind == "detention_transferred":
            episodes[name]["places"].append((fact.at, fact.get("time_zone", "")))
        elif name in episodes and episodes[name]["end"] is None:
            episodes[name]["end"] = fact.at
    merged: list[Custody] = []
    for episode in sorted(
        episodes.values(), key=lambda e: (e["start"].at, e["start"].id)
    ):
        last = merged[-1] if merged else None
        if last is not None and (
            last.ended_at is None or last.ended_at >= episode["start"].at
        ):
            merged[-1] = Custody(
                start=last.start,
                ended_at=(
                    None
                    if last.ended_at is None or episode["end"] is None
                    else max(last.ended_at, episode["end"])
                ),
                places=tuple(sorted((*last.places, *episode["places"]))),
            )
        else:
            merged.append(
                Custody(episode["start"], episode["end"], tuple(episode["places"]))
            )
    return merged


def _triggers(custody: Custody, profile: Profile) -> bool:
    """Detention, or custody beyond the profile's threshold or overnight (CNA manual):
    a custody that ended within a few hours the same day triggers nothing."""
    if custody.ended_at is None:
        return True
    zone = custody.zone_at(custody.start.at)
    threshold, _ = figure_duration(
        profile, "consular_custody_threshold", _day(custody.start.at, profile, zone)
    )
    if threshold is None:
        return True
    if custody.ended_at > deadline(profile, custody.start.at, threshold, zone):
        return True
    local = profile.time_zone if zone is None else time_zone(zone)
    return (
        custody.ended_at.astimezone(local).date()
        != custody.start.at.astimezone(local).date()
    )


# --- Deadlines, statuses, severities -------------------------------------------------


def _day(moment: datetime, profile: Profile, zone: str | None) -> date:
    """The local day of `moment` at the place (the figure in force that day applies)."""
    return moment.astimezone(time_zone(zone) if zone else profile.time_zone).date()


@dataclass(frozen=True)
class Clock:
    start: datetime
    due_at: datetime | None
    critical_at: datetime | None
    source: str

    def status(self, met_at: datetime | None, now: datetime) -> Status:
        if self.due_at is None:  # the profile sets no figure: due, with no deadline
            return Status.MET if met_at is not None and met_at <= now else Status.OPEN
        return timed_status(self.due_at, met_at, now)

    def severity(self, status: Status, now: datetime) -> Severity:
        """Info while there is time; warning from 80 % of it, or past a target that has
        a later critical limit, or waiting on a legal officer; critical past the limit
        (the deadline itself where there is no separate limit)."""
        if status in (Status.MET, Status.NOT_APPLICABLE):
            return Severity.INFO
        if self.due_at is None:
            return Severity.WARNING if status is Status.ESCALATED else Severity.INFO
        if now > (self.critical_at or self.due_at):
            return Severity.CRITICAL
        if (
            status is Status.ESCALATED
            or now > self.due_at
            or now >= fraction_of(self.start, self.due_at, WARNING_SHARE)
        ):
            return Severity.WARNING
        return Severity.INFO


def clock(
    profile: Profile,
    start: datetime,
    zone: str | None,
    figure: str,
    limit: str | None = None,
) -> Clock:
    day = _day(start, profile, zone)
    duration, source = figure_duration(profile, figure, day)
    due_at = deadline(profile, start, duration, zone) if duration else None
    critical_at = None
    if limit is not None:
        limit_duration, _ = figure_duration(profile, limit, day)
        critical_at = (
            deadline(profile, start, limit_duration, zone) if limit_duration else None
        )
    return Clock(start, due_at, critical_at, source)


class ConsularRule(Rule):
    """Shared building of the consular obligations."""

    def build(
        self,
        who: Person,
        *,
        key: str,
        due: str,
        when: Clock,
        triggered_by: Iterable[Fact],
        met_by: Iterable[Fact] = (),
        status: Status | None = None,
        notes: Iterable[str] = (),
        details: dict[str, Any] | None = None,
    ) -> Obligation:
        meeting = tuple(met_by)
        met_at = max((f.at for f in meeting), default=None)
        final = status or when.status(met_at, who.now)
        extra = dict(details or {})
        if when.critical_at is not None:
            extra["critical_at"] = when.critical_at.isoformat()
        if when.source:
            extra["figure_source"] = when.source
        return self.obligation(
            who.case,
            key=key,
            due=due,
            due_at=when.due_at,
            status=final,
            severity=when.severity(final, who.now),
            triggered_by=tuple(each(f.id for f in triggered_by)),
            met_by=tuple(f.id for f in meeting),
            met_at=met_at if final is Status.MET else None,
            note=" ".join(n for n in notes if n),
            details=extra,
        )

    def excluded(self, who: Person, country: str) -> str:
        """Why no consulate is told at all: the person is a national of the detaining
        State, or `country` is statelessness. Empty when neither."""
        if who.national:
            return NATIONAL_NOTE.format(country=who.profile.country)
        if country == STATELESS:
            return STATELESS_NOTE
        return ""

    def protected_notice(
        self,
        who: Person,
        *,
        key: str,
        due: str,
        when: Clock,
        about: str,
        since: datetime,
        triggered_by: tuple[Fact, ...],
        needs: tuple[Fact | None, ...],
        consulates: tuple[str, ...] = (),
        notes: tuple[str, ...] = (),
        details: dict[str, Any] | None = None,
    ) -> Obligation:
        """An asylum seeker's or refugee's consulate: escalated to a legal officer until
        a review; met by a decision to withhold; a decision to notify leaves the notice
        itself due (`needs`: the facts that meet it), without asylum data."""
        review = who.review(consulates or (key,), about, since)
        # Only an express decision to notify lets the notice go; anything else withholds.
        go_ahead = review is not None and review.get("decision") == "notify"
        details = {
            **(details or {}),
            "legal_review": review.get("decision") if review else None,
        }
        early = [
            f
            for f in needs
            if f is not None
            and f.kind == "consulate_notified"
            and (review is None or f.at < review.at)
        ]
        if early:
            notes = (
                f"The consulate was told (fact {early[0].id}) before a legal officer "
                "decided: check at once what the message carried.",
                *notes,
            )
        if review is None:
            return self.build(
                who,
                key=key,
                due=due,
                when=when,
                triggered_by=triggered_by,
                status=Status.ESCALATED,
                notes=(LEGAL_OFFICER_NOTE.format(country=key), *notes),
                details=details,
            )
        if not go_ahead:
            return self.build(
                who,
                key=key,
                due=due,
                when=when,
                triggered_by=triggered_by,
                met_by=(review,),
                notes=(WITHHELD_NOTE.format(country=key), *notes),
                details=details,
            )
        done = all(f is not None for f in needs)
        return self.build(
            who,
            key=key,
            due=due,
            when=when,
            triggered_by=(*triggered_by, review),
            met_by=(review, *(f for f in needs if f is not None)) if done else (),
            notes=(NO_ASYLUM_DATA, *notes),
            details=details,
        )


# --- The rules -----------------------------------------------------------------------


@register
class InformRights(ConsularRule):
    """Tell a detained foreign national, without delay and in a language they
    understand, that they may have their consulate told of their detention and may
    write to it, and record it (VCCR art. 36(1)(b)). The clock starts when the
    authorities know, or have grounds to think, that the person is foreign (ICJ, Avena,
    2004), not at arrest; and only while the person is detained: a custody that ended
    within a few hours on the same day does not count (US Consular Notification and
    Access manual). Deadline: the profile's `consular_rights_information` (baseline
    24 h). One duty per foreign nationality (or one while the country is unknown).
    Opposing consular visits does not lift it. Not owed to a national of the detaining
    State, even one with a second nationality, nor to a stateless person."""

    id = "consular.inform_rights"
    title = "Tell the person of their consular rights"
    citations = (RESOLUTION, "VCCR art. 36(1)(b)", "ICJ Avena (2004)")

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        who = person(case, profile, now)
        keys = who.countries() or ([UNKNOWN] if who.suspicion() else [])
        for key in keys:
            found = self.one(who, key)
            if found is not None:
                yield found

    def one(self, who: Person, key: str) -> Obligation | None:
        trigger = who.suspicion() if key == UNKNOWN else who.known_foreign(key)
        custody = who.custody_after(trigger.at) if trigger else None
        if trigger is None or custody is None:
            return None
        start = max(trigger.at, custody.start.at)
        when = clock(
            who.profile, start, custody.zone_at(start), "consular_rights_information"
        )
        due = (
            "Tell the person, in a language they understand, that their consulate"
            + ("" if key == UNKNOWN else f" ({key})")
            + " can be told of their detention if they ask, and that they may write to it"
        )
        common: dict[str, Any] = {"key": key, "due": due, "when": when}
        triggered = (trigger, custody.start)
        excluded = self.excluded(who, key)
        if excluded:
            return self.build(
                who,
                **common,
                triggered_by=triggered,
                status=Status.NOT_APPLICABLE,
                notes=(excluded,),
            )
        informed = who.first_since("rights_informed", custody.start.at)
        notes = [
            "Asylum seeker or refugee: also tell them their consulate will not be told "
            "without their explicit consent."
            if who.protected
            else "",
            OPPOSED_NOTE if who.opposes_access(key) else "",
        ]
        details = {"language": informed.get("language") if informed else None}
        if informed is not None and not informed.get("language"):
            notes.append("Record the language the person was told in.")
        death = who.case.first("death")
        if informed is None and death is not None:
            # Nobody can tell a dead person; the consulate is told of the death instead.
            return self.build(
                who,
                **common,
                triggered_by=(*triggered, death),
                status=Status.NOT_APPLICABLE,
                notes=("The person died before being told.", *notes),
                details={
                    **details,
                    "breached": when.due_at is not None and death.at > when.due_at,
                },
            )
        return self.build(
            who,
            **common,
            triggered_by=triggered,
            met_by=(informed,) if informed else (),
            notes=notes,
            details=details,
        )


@register
class NotifyOnRequest(ConsularRule):
    """If a detained foreign national asks, tell their consulate of the detention
    without delay (VCCR art. 36(1)(b); ICRMW art. 16(7)). The clock starts at the
    request (or at the detention, for a request standing from before it). Deadline: the
    profile's `consular_notification_target` (baseline 24 h), critical past
    `consular_notification_limit` (baseline 72 h) (US Consular Notification and Access
    manual: normally within 24 hours, certainly within 72). A later
    `consular_notification_declined` withdraws the request. An asylum seeker's or
    refugee's consulate is never told without their explicit, informed consent
    (`consular_notification_consented` for that country), and the message carries no
    asylum data (UNHCR; EU Directive 2013/32 art. 30). Not for a national of the
    detaining State, nor a stateless person."""

    id = "consular.notify_on_request"
    title = "Tell the consulate when the person asks"
    citations = (RESOLUTION, "VCCR art. 36(1)(b)", "ICRMW art. 16(7)")

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        who = person(case, profile, now)
        asked = who.case.of("consular_notification_requested")
        for country in each(str(f.get("country")) for f in asked if f.get("country")):
            found = self.one(who, country)
            if found is not None:
                yield found

    def one(self, who: Person, country: str) -> Obligation | None:
        wishes = [
            f
            for f in who.case.of(
                "consular_notification_requested", "consular_notification_declined"
            )
            if f.get("country") == country
        ]
        declines = [
            n
            for n, f in enumerate(wishes)
            if f.kind == "consular_notification_declined"
        ]
        standing = wishes[declines[-1] + 1 :] if declines else wishes
        # The request in force: the first since the last decline, else the last one made.
        request = (
            standing[0]
            if standing
            else next(
                f
                for f in reversed(wishes)
                if f.kind == "consular_notification_requested"
            )
        )
        custody = who.custody_after(request.at)
        if custody is None:
            return None
        consent = who.case.last(
            "consular_notification_consented", where={"country": country}
        )
        start = max(request.at, custody.start.at)
        if who.protected and consent is not None:
            start = max(start, consent.at)
        when = clock(
            who.profile,
            start,
            custody.zone_at(start),
            "consular_notification_target",
            "consular_notification_limit",
        )
        common: dict[str, Any] = {
            "key": country,
            "due": f"Tell the consulate of {country} of the detention, as the person asked",
            "when": when,
            "triggered_by": tuple(f for f in (request, custody.start, consent) if f),
        }
        notice = who.notified((country,), "detention", custody.start.at)
        unconsented = (
            f"The consulate was told (fact {notice.id}) without the person's consent: "
            "check at once what the message carried."
            if who.protected
            and notice is not None
            and (consent is None or notice.at < consent.at)
            else ""
        )
        blocked = self.blocked(who, country, consent)
        if blocked:
            return self.build(
                who,
                **common,
                status=Status.NOT_APPLICABLE,
                notes=(blocked, unconsented),
                details={"blocked": "consent"}
                if who.protected and consent is None
                else {},
            )
        if not standing and (notice is None or notice.at > wishes[-1].at):
            return self.build(
                who,
                **common,
                status=Status.NOT_APPLICABLE,
                notes=(f"The person withdrew the request (fact {wishes[-1].id}).",),
            )
        notes = (
            unconsented,
            NO_ASYLUM_DATA if who.protected else "",
            OPPOSED_NOTE if who.opposes_access(country) else "",
        )
        return self.build(
            who,
            **common,
            met_by=(notice,) if notice else (),
            notes=notes,
        )

    def blocked(self, who: Person, country: str, consent: Fact | None) -> str:
        excluded = self.excluded(who, country)
        if excluded:
            return excluded
        if who.protected and consent is None:
            return CONSENT_NOTE.format(country=country)
        return ""


@register
class MandatoryNotification(ConsularRule):
    """Where a treaty binding the detaining State makes it mandatory (the profile's
    `mandatory_notification` list, e.g. the United States' bilateral consular
    conventions), tell the consulate of the person's detention without delay whatever
    the person wants, and tell the person it is being told (US Consular Notification
    and Access manual). The clock starts at detention, or when the nationality is
    recorded if later. Deadline: `consular_notification_target` (baseline 24 h),
    critical past `consular_notification_limit` (72 h). The list's modifiers apply: not
    for holders of the named passport (a Taiwan passport for China), not for the
    detaining State's permanent residents where the entry says so; then only on
    request. For an asylum seeker or refugee, a legal officer decides (escalated), and
    any message carries no asylum data. Not for a national of the detaining State."""

    id = "consular.mandatory_notification"
    title = "Mandatory notification of the consulate"
    citations = (
        RESOLUTION,
        "VCCR art. 36(1)(b)",
        "Bilateral consular conventions of the detaining State",
    )

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        listing = profile.listing("mandatory_notification")
        if listing is None:
            return
        who = person(case, profile, now)
        for country in who.countries(established_only=True):
            entry = _listed(listing, country)
            if entry is not None:
                found = self.one(who, country, entry, listing)
                if found is not None:
                    yield found

    def one(
        self, who: Person, country: str, entry: dict[str, Any], listing: Listing
    ) -> Obligation | None:
        known = next(
            f
            for f in who.nationalities
            if f.get("country") == country and _established(f)
        )
        custody = who.custody_after(known.at)
        if custody is None:
            return None
        start = max(known.at, custody.start.at)
        listed = str(entry["country"])
        common: dict[str, Any] = {
            "key": country,
            "due": f"Tell the consulate of {listed} of the detention (mandatory) and tell the person it is being told",
            "when": clock(
                who.profile,
                start,
                custody.zone_at(start),
                "consular_notification_target",
                "consular_notification_limit",
            ),
            "triggered_by": (known, custody.start),
            "details": {
                "listed_as": listed,
                "list_source": listing.source,
                "list_confidence": entry.get("confidence", listing.confidence),
            },
        }
        entry_note = str(entry.get("note", ""))
        excluded = self.excluded(who, country) or _modifier(who, entry)
        if excluded:
            return self.build(
                who,
                **common,
                status=Status.NOT_APPLICABLE,
                notes=(excluded, entry_note),
            )
        notice = who.notified(
            tuple(each((country, listed))), "detention", custody.start.at
        )
        told = who.first_since("rights_informed", custody.start.at)
        opposed = OPPOSED_NOTE if who.opposes_access(country) else ""
        if who.protected:
            return self.protected_notice(
                who,
                **common,
                about="detention",
                since=custody.start.at,
                needs=(notice, told),
                consulates=tuple(each((country, listed))),
                notes=(entry_note, opposed),
            )
        missing = [
            name
            for name, f in (("consulate_notified", notice), ("rights_informed", told))
            if f is None
        ]
        common["details"]["missing"] = missing
        return self.build(
            who,
            **common,
            met_by=() if missing else (notice, told),  # type: ignore[arg-type]
            notes=(entry_note, opposed),
        )


def _listed(listing: Listing, country: str) -> dict[str, Any] | None:
    return next(
        (
            e
            for e in listing.entries
            if e.get("country") == country or country in e.get("also_covers", ())
        ),
        None,
    )


def _modifier(who: Person, entry: dict[str, Any]) -> str:
    """Why a listed nationality is not mandatory for this person (then: on request)."""
    passport = entry.get("not_for_passport")
    if passport and who.case.first("passport", where={"country": passport}):
        return (
            f"Not mandatory for a holder of a {passport} passport: tell the consulate "
            "only if the person asks."
        )
    home = who.profile.country
    if entry.get("not_for_permanent_residents") and who.case.first(
        "permanent_resident", where={"country": home}
    ):
        return (
            f"Not mandatory for a permanent resident of {home}: tell the consulate only "
            "if the person asks."
        )
    return ""


@register
class ForwardCommunications(ConsularRule):
    """Forward to the consulate, without delay, every letter or message the detained
    person addresses to it (VCCR art. 36(1)(b); ICRMW art. 16(7)). Each
    `communication_received` is due by the profile's `communication_forwarding`
    (baseline 24 h), met by the `communication_forwarded` of the same communication.
    Not for a national of the detaining State, nor a stateless person."""

    id = "consular.forward_communications"
    title = "Forward the person's communications to the consulate"
    citations = (RESOLUTION, "VCCR art. 36(1)(b)", "ICRMW art. 16(7)")

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        who = person(case, profile, now)
        received = who.case.of("communication_received")
        for name in each(str(f.get("communication", f.id)) for f in received):
            first = next(
                f for f in received if str(f.get("communication", f.id)) == name
            )
            yield self.one(who, name, first)

    def one(self, who: Person, name: str, received: Fact) -> Obligation:
        custody = who.custody_after(received.at)
        zone = custody.zone_at(received.at) if custody else None
        common: dict[str, Any] = {
            "key": name,
            "due": f"Forward communication {name} to the consulate",
            "when": clock(who.profile, received.at, zone, "communication_forwarding"),
            "triggered_by": (received,),
        }
        excluded = self.excluded(who, STATELESS if who.stateless_only else "")
        if excluded:
            return self.build(
                who, **common, status=Status.NOT_APPLICABLE, notes=(excluded,)
            )
        sent = who.first_since(
            "communication_forwarded",
            received.at,
            where={"communication": received.get("communication", received.id)},
        )
        return self.build(who, **common, met_by=(sent,) if sent else ())


@register
class Death(ConsularRule):
    """When a foreign national dies, tell their consulate without delay (VCCR art.
    37(a)), by the profile's `consular_death_notification` (baseline 24 h), one notice
    per foreign nationality; met by `consulate_notified` about the death. For an asylum
    seeker or refugee, a legal officer decides (escalated), and any message carries no
    asylum data: the family may still be at risk. Not for a national of the detaining
    State, nor a stateless person."""

    id = "consular.death"
    title = "Tell the consulate of a death"
    citations = (RESOLUTION, "VCCR art. 37(a)")

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        who = person(case, profile, now)
        death = who.case.first("death")
        if death is None:
            return
        for country in who.countries(established_only=True):
            yield self.one(who, country, death)

    def one(self, who: Person, country: str, death: Fact) -> Obligation:
        custody = who.custody_after(death.at)
        zone = custody.zone_at(death.at) if custody else None
        common: dict[str, Any] = {
            "key": country,
            "due": f"Tell the consulate of {country} of the death",
            "when": clock(who.profile, death.at, zone, "consular_death_notification"),
            "triggered_by": (death,),
        }
        excluded = self.excluded(who, country)
        if excluded:
            return self.build(
                who, **common, status=Status.NOT_APPLICABLE, notes=(excluded,)
            )
        notice = who.notified((country,), "death", death.at)
        if who.protected:
            return self.protected_notice(
                who, **common, about="death", since=death.at, needs=(notice,)
            )
        return self.build(who, **common, met_by=(notice,) if notice else ())


@register
class Guardianship(ConsularRule):
    """When a guardianship is opened for a foreign child (or an adult lacking full
    capacity), or a guardian appointed for a child (children.guardian), tell their
    consulate without delay (VCCR art. 37(b)), by the profile's
    `consular_guardianship_notification` (baseline 24 h); met by `consulate_notified`
    about the guardianship. For an asylum-seeking or refugee child this can endanger
    the child: a legal officer decides (escalated), nothing is sent before a best
    interests assessment (`bia_completed`), and any message carries no asylum data. Not for a
    national of the detaining State, nor a stateless person."""

    id = "consular.guardianship"
    title = "Tell the consulate of a guardianship"
    citations = (RESOLUTION, "VCCR art. 37(b)")

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        who = person(case, profile, now)
        # A guardian appointed for a child opens a guardianship (children.guardian).
        opened = who.case.first("guardianship_opened", "guardian_appointed")
        if opened is None:
            return
        for country in who.countries(established_only=True):
            yield self.one(who, country, opened)

    def one(self, who: Person, country: str, opened: Fact) -> Obligation:
        child = _child(who.case, opened.at)
        custody = who.custody_after(opened.at)
        zone = custody.zone_at(opened.at) if custody else None
        common: dict[str, Any] = {
            "key": country,
            "due": f"Tell the consulate of {country} of the guardianship",
            "when": clock(
                who.profile, opened.at, zone, "consular_guardianship_notification"
            ),
            "triggered_by": (opened,),
            "details": {"child": child},
        }
        excluded = self.excluded(who, country)
        if excluded:
            return self.build(
                who, **common, status=Status.NOT_APPLICABLE, notes=(excluded,)
            )
        notice = who.notified((country,), "guardianship", opened.at)
        if who.protected:
            assessed = who.case.last("bia_completed")
            blocked = child and (assessed is None or assessed.at < opened.at)
            if blocked:
                common["details"]["blocked_by"] = "best_interests_assessment"
            return self.protected_notice(
                who,
                **common,
                about="guardianship",
                since=opened.at,
                needs=(notice,),
                notes=(BEST_INTERESTS_NOTE if blocked else "",),
            )
        return self.build(who, **common, met_by=(notice,) if notice else ())


ADULT = 18


def _child(case: CaseFile, at: datetime) -> bool:
    """A child unless shown to be an adult: an open age dispute counts as a child, and
    an imprecise birth date is read as the latest day it can be (the benefit of the
    doubt)."""
    dispute = case.last("age_dispute")
    if dispute is not None and dispute.get("open"):
        return True
    assessed = case.last("age_assessed")
    if assessed is not None and int(assessed.get("minimum_age", 0)) >= ADULT:
        return False
    born = _youngest_birth(case.last("birth"))
    if born is None:
        return True
    day = at.date()
    age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return age < ADULT


def _youngest_birth(birth: Fact | None) -> date | None:
    if birth is None:
        return None
    try:
        day = date.fromisoformat(str(birth.get("date")))
    except ValueError:
        return None
    precision = birth.get("precision", "day")
    if precision == "year":
        return date(day.year, 12, 31)
    if precision == "month":
        return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day
