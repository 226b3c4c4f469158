"""Detention rules of the safeguards engine (resolution 68/179 paras 4(a), 4(b)).
Pure: imports nothing from Django.

A detention episode is the run of facts that share an `episode` id, from its
`detention_started` to its `detention_ended` (or the person's death). Every duty here is
owed per episode: an obligation's key is the episode (and, for periodic reviews, the
review's number: `E1/review-2`). Deadlines are counted in the place of detention's time
zone: the zone of the latest transfer, else the one given at the start.

The rules read facts as they stood at the evaluation time: a fact dated after `now` has
not happened yet. A fact of an episode that has no start is ignored.

When an episode ends, its time-based duties stop. A duty whose point is the person's
liberty (the reviews, the maximum period, the indefinite-detention check, alternatives,
a child's release) is met by the release itself (`met_by` the `detention_ended` fact),
late if the release came after the deadline: release is what a review would have
ordered. A duty owed to the person while detained (vulnerability screening), and every
duty once the person has died, becomes `not_applicable`, with `details["missed"]`
telling whether its deadline had passed first.

Severities: a met or inapplicable duty is `info`, except a child's detention, which
stays `critical` on the record. Open and overdue: the first review info / critical;
periodic reviews info / warning; the maximum period info, warning from 80 % of it,
critical once it has run out; the indefinite-detention check warning / critical;
screening info / warning; alternatives after a positive screen warning / critical; a
child in detention `escalated` and critical.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from amparo.children import age
from amparo.children.age import Childhood
from amparo.safeguards.deadlines import Duration, fraction_of, time_zone
from amparo.safeguards.engine import Rule, deadline, each, figure_duration, register
from amparo.safeguards.facts import CaseFile, Fact
from amparo.safeguards.obligations import Obligation, Severity, Status, timed_status
from amparo.safeguards.profiles import Profile

RESOLUTION = "A/RES/68/179 para 4(a)"
# Policy constant (not law): warn once 80 % of the maximum period has gone.
WARNING_SHARE = 0.8
# UNHCR Guideline 7: detention is reviewed by "a judicial or other independent
# authority". An administrative review (the detaining authority checking itself) is
# recorded and shown, but meets neither the first nor a periodic review.
REVIEWING_AUTHORITIES = frozenset({"judicial", "independent"})
# The International Detention Coalition's Community Assessment and Placement model.
IDC_STEPS = (1, 2, 3, 4, 5)

DETENTION_RULES = (
    "detention.alternatives_review",
    "detention.child",
    "detention.first_review",
    "detention.indefinite_risk",
    "detention.maximum_period",
    "detention.periodic_review",
    "detention.vulnerability_screening",
)

EPISODE_KINDS = frozenset(
    {
        "detention_started",
        "detention_reviewed",
        "detention_extended",
        "detention_transferred",
        "detention_ended",
        "vulnerability_screened",
        "alternatives_step",
        "alternative_applied",
    }
)

NO_FIGURE_NOTE = "The profile has no figure {name!r} in force on {day}."
ADMINISTRATIVE_NOTE = (
    "An administrative review ({ids}) does not meet this duty: it needs a judicial or "
    "other independent authority (UNHCR Guideline 7)."
)
JUDICIAL_ORDER_NOTE = (
    "Detention was ordered by a judicial authority: the order is the judicial "
    "scrutiny of the decision to detain (Directive 2008/115/EC art. 15(2) asks for a "
    "speedy judicial review only of administrative orders)."
)
RELEASE_ORDERED_NOTE = (
    "A review ordered release ({id}): record the end of detention (detention_ended)."
)
CHILD_NOTE = (
    "Detaining a child for immigration reasons is never in the child's best interests "
    "(CMW GC No. 4 / CRC GC No. 23, 2017): release or place the child in an "
    "alternative to detention, and start a best-interests assessment."
)
PROHIBITED_NOTE = " The law of this jurisdiction prohibits detaining children."


@dataclass(frozen=True)
class Episode:
    """One detention episode as it stood at the evaluation time."""

    id: str
    started: Fact
    # The episode's own facts after its start, up to its end (or now), in time order.
    facts: tuple[Fact, ...]
    # What ended it: `detention_ended`, or the person's `death`; None while detained.
    closing: Fact | None
    # The IANA zone of the place of detention (None: the profile's zone).
    zone: str | None

    @property
    def start(self) -> datetime:
        return self.started.at

    @property
    def released(self) -> Fact | None:
        if self.closing is not None and self.closing.kind == "detention_ended":
            return self.closing
        return None

    @property
    def judicial_order(self) -> bool:
        return bool(self.started.get("order") == "judicial")

    def until(self, now: datetime) -> datetime:
        """The end of detention so far: its end, or `now` while detained."""
        return self.closing.at if self.closing is not None else now

    def of(self, kind: str) -> list[Fact]:
        return [f for f in self.facts if f.kind == kind]

    def reviews(self, *, qualifying: bool) -> list[Fact]:
        return [
            f
            for f in self.of("detention_reviewed")
            if not qualifying or f.get("by") in REVIEWING_AUTHORITIES
        ]

    def local_start_date(self, profile: Profile) -> date:
        # Every rule asks, for each figure: the start's own zone's answer is kept.
        if self._start_date_at_place is not None:
            return self._start_date_at_place
        return self.start.astimezone(profile.time_zone).date()

    @cached_property
    def _start_date_at_place(self) -> date | None:
        """The start's local date, where the start names its place's zone."""
        zone = self.started.get("time_zone")
        return self.start.astimezone(time_zone(str(zone))).date() if zone else None


def episodes(case: CaseFile, now: datetime) -> list[Episode]:
    """`_episodes`, computed once per case and time for all the rules (a copy of the
    list, so that no rule can change another's)."""
    return list(case.derived(("detention.episodes", now), lambda: _episodes(case, now)))


def _episodes(case: CaseFile, now: datetime) -> list[Episode]:
    """The case's detention episodes that had started by `now`, in order of start."""
    known = [f for f in case.facts if f.at <= now]
    death = next((f for f in known if f.kind == "death"), None)
    starts = [f for f in known if f.kind == "detention_started"]
    found = []
    for episode_id in each(_episode_id(f) for f in starts):
        started = next(f for f in starts if _episode_id(f) == episode_id)
        own = [
            f
            for f in known
            if f.kind in EPISODE_KINDS
            and f is not started
            and f.get("episode") == episode_id
            and f.at >= started.at
        ]
        ends = [f for f in own if f.kind == "detention_ended"]
        if death is not None and death.at >= started.at:
            ends.append(death)
        closing = min(ends, key=lambda f: (f.at, f.id)) if ends else None
        if closing is not None:
            own = [f for f in own if f.at <= closing.at]
        found.append(
            Episode(episode_id, started, tuple(own), closing, _place(started, own))
        )
    return found


def _episode_id(started: Fact) -> str:
    # A start without an episode id is still a detention: its own fact id names it.
    episode = started.get("episode")
    return str(episode) if episode else started.id


def _place(started: Fact, own: Iterable[Fact]) -> str | None:
    zone = started.get("time_zone") or None
    for fact in own:
        if fact.kind == "detention_transferred" and fact.get("time_zone"):
            zone = fact.get("time_zone")
    return str(zone) if zone else None


def _zone(name: object, profile: Profile) -> ZoneInfo:
    return time_zone(str(name)) if name else profile.time_zone


class DetentionRule(Rule):
    """The shared shape of the detention rules: one figure per episode, settled by a
    meeting fact, by the release, or by the clock."""

    def figure(
        self, profile: Profile, name: str, episode: Episode
    ) -> tuple[Duration | None, str]:
        return figure_duration(profile, name, episode.local_start_date(profile))

    def not_applicable(
        self,
        case: CaseFile,
        *,
        key: str,
        due: str,
        note: str,
        triggered_by: Sequence[str] = (),
        details: dict[str, Any] | None = None,
    ) -> Obligation:
        return self.obligation(
            case,
            key=key,
            due=due,
            due_at=None,
            status=Status.NOT_APPLICABLE,
            severity=Severity.INFO,
            triggered_by=tuple(triggered_by),
            note=note,
            details=details or {},
        )

    def no_figure(
        self, case: CaseFile, profile: Profile, episode: Episode, key: str, name: str
    ) -> Obligation:
        return self.not_applicable(
            case,
            key=key,
            due=self.title,
            note=NO_FIGURE_NOTE.format(
                name=name, day=episode.local_start_date(profile).isoformat()
            ),
            triggered_by=(episode.started.id,),
        )

    def settle(
        self,
        case: CaseFile,
        episode: Episode,
        now: datetime,
        *,
        key: str,
        due: str,
        due_at: datetime,
        met: Sequence[Fact],
        release_meets: bool,
        severity: tuple[Severity, Severity],
        triggered_by: Sequence[str],
        details: dict[str, Any],
        note: str = "",
    ) -> Obligation:
        """Met by `met`; else by the release (if `release_meets`) or lapsed with the
        episode; else open or overdue by the clock. `severity` is (open, overdue)."""
        common: dict[str, Any] = {
            "key": key,
            "due": due,
            "due_at": due_at,
            "triggered_by": tuple(triggered_by),
            "details": details,
        }
        if met:
            return self.obligation(
                case,
                status=Status.MET,
                severity=Severity.INFO,
                met_by=tuple(f.id for f in met),
                met_at=max(f.at for f in met),
                note=note,
                **common,
            )
        closing = episode.closing
        if closing is not None and release_meets and episode.released is not None:
            late = " late" if closing.at > due_at else ""
            return self.obligation(
                case,
                status=Status.MET,
                severity=Severity.INFO,
                met_by=(closing.id,),
                met_at=closing.at,
                note=_join(note, f"Met{late} by the end of detention."),
                **common,
            )
        if closing is not None:
            missed = closing.at > due_at
            common["details"] = {**details, "missed": missed}
            ended = "The person died" if closing.kind == "death" else "Detention ended"
            when = "after the deadline, without it" if missed else "before it fell due"
            return self.obligation(
                case,
                status=Status.NOT_APPLICABLE,
                severity=Severity.INFO,
                note=_join(note, f"{ended} {when}."),
                **common,
            )
        status = timed_status(due_at, None, now)
        return self.obligation(
            case,
            status=status,
            severity=severity[1] if status is Status.OVERDUE else severity[0],
            note=note,
            **common,
        )


def _join(*notes: str) -> str:
    return " ".join(n for n in notes if n)


@register
class FirstReview(DetentionRule):
    """A judicial or other independent authority must review the decision to detain
    promptly: by default within 48 hours of the start of detention (the profile's
    `detention_first_review`), unless the person is released first. A review by the
    detaining administration itself does not count. Where a judge ordered the
    detention, the order is that judicial scrutiny. Sources: UNHCR Detention Guidelines
    (2012), Guideline 7 (review ideally automatic, within 24-48 hours); ICCPR art. 9(4);
    Directive 2008/115/EC art. 15(2) (speedy judicial review of administrative orders)."""

    id = "detention.first_review"
    title = "First review of detention"
    citations = (
        RESOLUTION,
        "UNHCR Detention Guidelines (2012), Guideline 7",
        "ICCPR art. 9(4)",
    )

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        for episode in episodes(case, now):
            duration, source = self.figure(profile, "detention_first_review", episode)
            if duration is None:
                yield self.no_figure(
                    case, profile, episode, episode.id, "detention_first_review"
                )
                continue
            qualifying = episode.reviews(qualifying=True)
            met = [episode.started] if episode.judicial_order else qualifying[:1]
            before = met[0].at if met else now
            administrative = [
                r.id
                for r in episode.reviews(qualifying=False)
                if r.get("by") not in REVIEWING_AUTHORITIES and r.at <= before
            ]
            note = _join(
                JUDICIAL_ORDER_NOTE if episode.judicial_order else "",
                ADMINISTRATIVE_NOTE.format(ids=", ".join(administrative))
                if administrative
                else "",
            )
            yield self.settle(
                case,
                episode,
                now,
                key=episode.id,
                due=(
                    f"Review of detention {episode.id} by a judicial or other "
                    f"independent authority, within {duration}"
                ),
                due_at=deadline(profile, episode.start, duration, episode.zone),
                met=met,
                release_meets=True,
                severity=(Severity.INFO, Severity.CRITICAL),
                triggered_by=(episode.started.id,),
                details={"source": source, "administrative_reviews": administrative},
                note=note,
            )


@register
class PeriodicReview(DetentionRule):
    """While the person is detained, a judicial or other independent authority must
    review the detention again at regular intervals: the next review falls due one
    interval (the profile's `detention_periodic_review`, by default 30 days as a policy
    figure) after the last review, or after the start while there has been none. Where
    the law sets a shorter interval for the second review (Canada: 7 days after the
    first, `detention_second_review`), that one counts first. Release ends the duty.
    Sources: UNHCR Detention Guidelines (2012), Guideline 7; UN Working Group on
    Arbitrary Detention, Revised Deliberation No. 5 (2018): automatic periodic review."""

    id = "detention.periodic_review"
    title = "Periodic review of detention"
    citations = (
        RESOLUTION,
        "UNHCR Detention Guidelines (2012), Guideline 7",
        "WGAD Revised Deliberation No. 5 (2018)",
    )

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        for episode in episodes(case, now):
            interval, source = self.figure(
                profile, "detention_periodic_review", episode
            )
            if interval is None:
                yield self.no_figure(
                    case,
                    profile,
                    episode,
                    f"{episode.id}/review-1",
                    "detention_periodic_review",
                )
                continue
            second, second_source = self.figure(
                profile, "detention_second_review", episode
            )
            yield from self._chain(
                case,
                profile,
                episode,
                now,
                interval=(interval, source),
                second=(second, second_source),
            )

    def _chain(
        self,
        case: CaseFile,
        profile: Profile,
        episode: Episode,
        now: datetime,
        *,
        interval: tuple[Duration, str],
        second: tuple[Duration | None, str],
    ) -> Iterator[Obligation]:
        # The first review (its own rule) anchors the chain; until it is held, the
        # start does. A judicial order stands for the first review.
        reviews = episode.reviews(qualifying=True)
        if episode.judicial_order or not reviews:
            first_held = episode.judicial_order
            anchors, meeting = [episode.started, *reviews], reviews
        else:
            first_held = True
            anchors, meeting = reviews, reviews[1:]
        for index, anchor in enumerate(anchors):
            length, source = interval
            if index == 0 and first_held and second[0] is not None:
                length, source = second[0], second[1]
            met = meeting[index : index + 1]
            released = [r.id for r in met or [anchor] if r.get("outcome") == "released"]
            yield self.settle(
                case,
                episode,
                now,
                key=f"{episode.id}/review-{index + 1}",
                due=(
                    f"Periodic review {index + 1} of detention {episode.id} by a "
                    f"judicial or other independent authority, within {length} of "
                    "the last review"
                ),
                due_at=deadline(profile, anchor.at, length, episode.zone),
                met=met,
                release_meets=True,
                severity=(Severity.INFO, Severity.WARNING),
                triggered_by=(anchor.id,),
                details={"source": source, "review": index + 1},
                note=RELEASE_ORDERED_NOTE.format(id=released[0])
                if released and not met
                else "",
            )


@register
class MaximumPeriod(DetentionRule):
    """Detention must end before the maximum period the law sets (the profile's
    `detention_maximum`; once extended, `detention_maximum_extended`, e.g. 6 and 18
    months under the EU Return Directive; 36 hours in Mexico since the Supreme Court's
    ruling of 2023). Where the law counts episodes together, time already served in
    earlier episodes counts. A warning at 80 % of the period, critical once it has run
    out. Release when there is no realistic prospect of removal is recorded as the end
    (reason `no_prospect_of_removal`). Sources: UNHCR Detention Guidelines (2012),
    Guideline 6 (maximum periods set in law); Directive 2008/115/EC art. 15(4)-(6);
    CJEU Kadzoev C-357/09."""

    id = "detention.maximum_period"
    title = "Maximum period of detention"
    citations = (RESOLUTION, "UNHCR Detention Guidelines (2012), Guideline 6")

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        found = episodes(case, now)
        cumulative = bool(profile.setting("cumulative_detention", False))
        for episode in found:
            maximum, source = self.figure(profile, "detention_maximum", episode)
            if maximum is None:
                yield self.not_applicable(
                    case,
                    key=episode.id,
                    due=self.title,
                    note=(
                        "The law sets no maximum period of detention: see "
                        "detention.indefinite_risk."
                    ),
                    triggered_by=(episode.started.id,),
                )
                continue
            counted = _earlier(found, episode) if cumulative else []
            yield self._period(case, profile, episode, now, counted, (maximum, source))

    def _period(
        self,
        case: CaseFile,
        profile: Profile,
        episode: Episode,
        now: datetime,
        counted: list[Episode],
        maximum: tuple[Duration, str],
    ) -> Obligation:
        served_before = sum(
            (_served(e, now, before=episode.start) for e in counted), timedelta(0)
        )
        # Earlier episodes move the start back by the time they took.
        start = episode.start - served_before
        base_due = deadline(profile, start, maximum[0], episode.zone)
        extensions = [
            f for e in [*counted, episode] for f in e.of("detention_extended")
        ]
        ceiling, source = maximum
        extended, extended_source = self.figure(
            profile, "detention_maximum_extended", episode
        )
        is_extended = bool(extensions) and extended is not None
        if extended is not None and is_extended:
            ceiling, source = extended, extended_source
        due_at = deadline(profile, start, ceiling, episode.zone)
        warning_at = fraction_of(start, due_at, WARNING_SHARE)
        details: dict[str, Any] = {
            "source": source,
            "maximum": str(ceiling),
            "extended": is_extended,
            # Moments, not running figures: the stored obligation changes only when
            # the case does, and the page counts the days.
            "detained_since": episode.start.isoformat(),
            "counted_from": start.isoformat(),
            "warning_at": warning_at.isoformat(),
            "episodes_counted": [e.id for e in counted] + [episode.id],
        }
        note = ""
        if extensions and extended is None:
            note = "The profile has no extended maximum: the extension changes nothing."
        elif extensions and extensions[0].at > base_due:
            note = "The extension was recorded after the maximum period had run out."
        if episode.closing is not None and episode.closing.kind == "detention_ended":
            details["end_reason"] = episode.closing.get("reason", "")
        severity = (
            Severity.WARNING if now >= warning_at else Severity.INFO,
            Severity.CRITICAL,
        )
        return self.settle(
            case,
            episode,
            now,
            key=episode.id,
            due=f"End detention {episode.id} before its maximum period ({ceiling}) runs out",
            due_at=due_at,
            met=[],
            release_meets=True,
            severity=severity,
            triggered_by=(
                *(e.started.id for e in counted),
                episode.started.id,
                *(f.id for f in extensions),
            ),
            details=details,
            note=note,
        )


def _earlier(found: list[Episode], episode: Episode) -> list[Episode]:
    return [
        e
        for e in found
        if e is not episode and (e.start, e.id) < (episode.start, episode.id)
    ]


def _served(earlier: Episode, now: datetime, *, before: datetime) -> timedelta:
    # Only the time before the later episode began: overlapping records count once.
    return max(min(earlier.until(now), before) - earlier.start, timedelta(0))


@register
class IndefiniteRisk(DetentionRule):
    """Where the law sets no maximum period of detention, detention risks becoming
    indefinite, which is arbitrary: the case is flagged while the person is detained,
    and someone must check, at the policy interval (the profile's
    `indefinite_detention_review`, by default 30 days) after the last review of any
    kind, that detention is still necessary and removal still realistic. Sources: UNHCR
    Detention Guidelines (2012), Guideline 6; WGAD Revised Deliberation No. 5 (2018);
    Hardial Singh principles (UK); NZYQ v Minister [2023] HCA 37 (Australia)."""

    id = "detention.indefinite_risk"
    title = "Risk of indefinite detention"
    citations = (
        RESOLUTION,
        "UNHCR Detention Guidelines (2012), Guideline 6",
        "WGAD Revised Deliberation No. 5 (2018)",
    )

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        for episode in episodes(case, now):
            maximum, _ = self.figure(profile, "detention_maximum", episode)
            if maximum is not None:
                yield self.not_applicable(
                    case,
                    key=episode.id,
                    due=self.title,
                    note=f"The law sets a maximum period ({maximum}): see detention.maximum_period.",
                    triggered_by=(episode.started.id,),
                )
                continue
            interval, source = self.figure(
                profile, "indefinite_detention_review", episode
            )
            if interval is None:
                yield self.no_figure(
                    case, profile, episode, episode.id, "indefinite_detention_review"
                )
                continue
            # A policy check, not the legal review: any review, administrative too.
            reviews = episode.reviews(qualifying=False)
            anchor = reviews[-1] if reviews else episode.started
            yield self.settle(
                case,
                episode,
                now,
                key=episode.id,
                due=(
                    f"No statutory maximum: check detention {episode.id} is still "
                    f"necessary and removal realistic, every {interval}"
                ),
                due_at=deadline(profile, anchor.at, interval, episode.zone),
                met=[],
                release_meets=True,
                severity=(Severity.WARNING, Severity.CRITICAL),
                triggered_by=tuple(each([episode.started.id, anchor.id])),
                details={
                    "source": source,
                    "detained_since": episode.start.isoformat(),
                    "reviews": len(reviews),
                },
            )


@register
class ChildDetained(DetentionRule):
    """A child must not be held in immigration detention: it is never in the child's
    best interests. A child in detention is always critical until released or placed in
    an alternative. A person counts as a child while under 18 by the recorded date of
    birth (with only a year or month known, the youngest possible age), or by the
    minimum age of an age assessment, or while their age is disputed (benefit of the
    doubt). Sources: CMW GC No. 4 / CRC GC No. 23 (2017); CRC art. 37(b); CRC GC No. 6
    (2005) para 31(i) (benefit of the doubt); A/RES/71/177 para 67."""

    id = "detention.child"
    title = "Child in immigration detention"
    citations = (
        RESOLUTION,
        "CMW GC No. 4 / CRC GC No. 23 (2017)",
        "CRC art. 37(b)",
    )

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        prohibited = bool(profile.setting("children_detention_prohibited", False))
        for episode in episodes(case, now):
            window = (episode.start, episode.until(now))
            childhood = age.childhood(case, now, window, _zone(episode.zone, profile))
            due = f"Release the child from detention {episode.id} or place them in an alternative"
            if childhood is None:
                yield self.not_applicable(
                    case,
                    key=episode.id,
                    due=due,
                    note="Not a child by the recorded facts (birth, age assessment, age dispute).",
                    triggered_by=(episode.started.id,),
                )
                continue
            yield self._child(case, episode, now, childhood, due, prohibited)

    def _child(
        self,
        case: CaseFile,
        episode: Episode,
        now: datetime,
        childhood: Childhood,
        due: str,
        prohibited: bool,
    ) -> Obligation:
        details: dict[str, Any] = {
            "child_since": childhood.since.isoformat(),
            "child_until": childhood.until.isoformat() if childhood.until else None,
            "basis": list(childhood.basis),
            "detained_since": episode.start.isoformat(),
            "prohibited": prohibited,
        }
        if childhood.adult_at is not None:
            # The moment time alone ends the duty, so that `refresh` looks then.
            details["adult_at"] = childhood.adult_at.isoformat()
        common: dict[str, Any] = {
            "key": episode.id,
            "due": due,
            "due_at": childhood.since,
            "triggered_by": (episode.started.id, *childhood.evidence),
            "details": details,
        }
        note = CHILD_NOTE + (PROHIBITED_NOTE if prohibited else "")
        ended = [
            f for f in episode.of("alternative_applied") if f.at >= childhood.since
        ]
        if episode.released is not None:
            ended.append(episode.released)
        if ended:
            first = min(ended, key=lambda f: (f.at, f.id))
            return self.obligation(
                case,
                status=Status.MET,
                severity=Severity.CRITICAL,
                met_by=(first.id,),
                met_at=first.at,
                note=note,
                **common,
            )
        if episode.closing is not None or childhood.until is not None:
            # Died in detention, or no longer a child while still detained: the record
            # stays (critical), but there is no child left to release.
            return self.obligation(
                case,
                status=Status.NOT_APPLICABLE,
                severity=Severity.CRITICAL,
                note=_join(note, "No longer applicable: see child_until."),
                **common,
            )
        return self.obligation(
            case,
            status=Status.ESCALATED,
            severity=Severity.CRITICAL,
            note=note,
            **common,
        )


@register
class VulnerabilityScreening(DetentionRule):
    """Everyone detained must be screened for vulnerability at intake: by default
    within 24 hours of the start of detention (the profile's `vulnerability_screening`).
    Screening looks for children, survivors of torture or trauma, victims of
    trafficking, pregnant or nursing women, people with disabilities or serious
    illness, older people, LGBTI people and others with special needs. A positive
    screen requires a review of alternatives to detention
    (detention.alternatives_review). Source: UNHCR Detention Guidelines (2012),
    Guideline 9."""

    id = "detention.vulnerability_screening"
    title = "Vulnerability screening"
    citations = (RESOLUTION, "UNHCR Detention Guidelines (2012), Guideline 9")

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        for episode in episodes(case, now):
            duration, source = self.figure(profile, "vulnerability_screening", episode)
            if duration is None:
                yield self.no_figure(
                    case, profile, episode, episode.id, "vulnerability_screening"
                )
                continue
            screens = episode.of("vulnerability_screened")
            details: dict[str, Any] = {"source": source}
            if screens:
                details["positive"] = screens[0].get("positive") is True
                details["needs"] = list(screens[0].get("needs") or [])
            yield self.settle(
                case,
                episode,
                now,
                key=episode.id,
                due=f"Screen the person detained ({episode.id}) for vulnerability, within {duration}",
                due_at=deadline(profile, episode.start, duration, episode.zone),
                met=screens[:1],
                release_meets=False,
                severity=(Severity.INFO, Severity.WARNING),
                triggered_by=(episode.started.id,),
                details=details,
            )


@register
class AlternativesReview(DetentionRule):
    """After a positive vulnerability screen, the detention must be reviewed against
    alternatives, following the International Detention Coalition's five steps: (1)
    presume detention is not necessary; (2) screen and assess the individual case; (3)
    assess the community setting; (4) apply conditions in the community where needed;
    (5) detain only as a last resort. It is met once all five steps are recorded, or an
    alternative is applied (reporting, release to the community, case management,
    guarantor, bail, open centre), or the person is released; by default within 72
    hours of the screen (the profile's `alternatives_review`, a policy figure). Sources:
    A/RES/68/179 para 4(a) (use alternatives to detention); UNHCR Detention Guidelines
    (2012), Guidelines 4 and 9; IDC Community Assessment and Placement model."""

    id = "detention.alternatives_review"
    title = "Review of alternatives to detention"
    citations = (
        RESOLUTION,
        "UNHCR Detention Guidelines (2012), Guidelines 4, 9",
        "IDC Community Assessment and Placement model",
    )

    def evaluate(
        self, case: CaseFile, profile: Profile, now: datetime
    ) -> Iterator[Obligation]:
        for episode in episodes(case, now):
            screen = next(
                (
                    f
                    for f in episode.of("vulnerability_screened")
                    if f.get("positive") is True
                ),
                None,
            )
            if screen is None:
                yield self.not_applicable(
                    case,
                    key=episode.id,
                    due=self.title,
                    note="No positive vulnerability screen in this detention.",
                    triggered_by=(episode.started.id,),
                )
                continue
            duration, source = self.figure(profile, "alternatives_review", episode)
            if duration is None:
                yield self.no_figure(
                    case, profile, episode, episode.id, "alternatives_review"
                )
                continue
            steps = _steps(episode)
            met = _alternatives_met(episode, steps)
            yield self.settle(
                case,
                episode,
                now,
                key=episode.id,
                due=(
                    f"Review alternatives to detention {episode.id} (the IDC's five "
                    f"steps) after a positive vulnerability screen, within {duration}"
                ),
                due_at=deadline(profile, screen.at, duration, episode.zone),
                met=met,
                release_meets=True,
                severity=(Severity.WARNING, Severity.CRITICAL),
                triggered_by=(episode.started.id, screen.id),
                details={
                    "source": source,
                    "needs": list(screen.get("needs") or []),
                    "steps_recorded": sorted(steps),
                    "alternatives": [
                        str(f.get("type", ""))
                        for f in episode.of("alternative_applied")
                    ],
                },
            )


def _steps(episode: Episode) -> dict[int, Fact]:
    """The first record of each IDC step in the episode."""
    steps: dict[int, Fact] = {}
    for fact in episode.of("alternatives_step"):
        step = fact.get("step")
        # Steps are whole numbers 1-5 (a JSON `true` is not step 1).
        if type(step) is int and step in IDC_STEPS and step not in steps:
            steps[step] = fact
    return steps


def _alternatives_met(episode: Episode, steps: dict[int, Fact]) -> list[Fact]:
    """The facts that meet the review, whichever came first: all five steps (met when
    the last of them was recorded) or an alternative applied."""
    options: list[list[Fact]] = []
    if len(steps) == len(IDC_STEPS):
        options.append([steps[s] for s in IDC_STEPS])
    applied = episode.of("alternative_applied")
    if applied:
        options.append(applied[:1])
    if not options:
        return []
    return min(options, key=lambda facts: max(f.at for f in facts))
