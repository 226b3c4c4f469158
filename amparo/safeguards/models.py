"""The safeguards engine in the database: a case's facts, the jurisdiction whose law
judges it, and its obligations as the engine last computed them (materialised, so that
"overdue" and "due within 24 hours" are index range scans, whatever the number of cases).

The engine itself (`engine.py`, the rules) stays pure; `actions.recompute` runs it on a
case's facts inside the transaction that changes them, and `amparo safeguards refresh`
re-runs it only where time alone may change an obligation (`CaseSafeguards.recheck_at`).

What is encrypted: a fact's `data` (nationality, asylum status, date of birth, place of
detention, the evidence of an alternatives step... all of it the person's, some of it
free text) and an obligation's `note` and `details` (which repeat some of it: "the person
is an asylum seeker or refugee", the vulnerability codes). What is not: what the
worklists filter and sort on (kind, times, rule, key, status, severity) and what names
the duty (`due`, `citations`). The key of a consular duty is the country, kept in clear
like a person's nationalities (`people.Nationality`).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amparo.core.fields import EncryptedTextField
from amparo.core.models import TimestampedModel
from amparo.safeguards import casefile, profiles
from amparo.safeguards.obligations import Severity, Status

# The statuses a worklist shows: something is still to be done.
LIVE_STATUSES = (Status.OPEN.value, Status.OVERDUE.value, Status.ESCALATED.value)
# A UTC offset is less than a day either way.
_DAY_SECONDS = 86_400


def _json_default(value: Any) -> Any:
    # Rules may put times, dates, durations or enums in an obligation's details.
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return str(value)


def dump_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_json_default)


class CaseSafeguards(models.Model):
    """Which jurisdiction's profile judges a case, and when the engine last ran on it.
    A case without a row is judged by the international baseline."""

    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="safeguards",
    )
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=40, default=profiles.BASELINE
    )
    evaluated_at = models.DateTimeField(_("evaluated"), null=True, blank=True)
    # The next moment time alone may change one of the case's obligations (the
    # earliest of theirs, or a fact dated later than the evaluation); None when only
    # a new fact can. One row a case: `refresh` finds its work by this index, and a
    # re-evaluation that changes nothing writes this row alone.
    recheck_at = models.DateTimeField(_("next check"), null=True, blank=True)

    class Meta:
        verbose_name = _("safeguards of a case")
        verbose_name_plural = _("safeguards of cases")
        indexes = [
            models.Index(
                fields=["recheck_at"],
                name="safeguards_case_recheck_idx",
                condition=Q(recheck_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.jurisdiction}"


class CaseFact(TimestampedModel):
    """One fact of the case file (docs/safeguards.md lists every kind): about the
    case's person, what happened or was established and when. Facts are added, never
    edited: a correction is a later fact (a new `birth`, an `age_dispute` closed)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="safeguard_facts"
    )
    kind = models.CharField(_("kind"), max_length=40)
    at = models.DateTimeField(_("when"))
    # The offset `at` was given in: some rules read the fact's local day (a birthday),
    # so the case file the engine reads must be the one recorded, not its UTC copy.
    at_utc_offset = models.IntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The kind's own fields, as JSON, encrypted (see the module's docstring).
    data_json = EncryptedTextField(_("data"), blank=True)

    class Meta:
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at", "id"], name="safeguards_fact_case_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=list(casefile.kinds())),
                name="safeguards_fact_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(at_utc_offset__gt=-_DAY_SECONDS)
                & Q(at_utc_offset__lt=_DAY_SECONDS),
                name="safeguards_fact_offset_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"

    @property
    def data(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.data_json) if self.data_json else {}
        return loaded

    @data.setter
    def data(self, value: dict[str, Any]) -> None:
        self.data_json = dump_json(value) if value else ""

    @property
    def local_at(self) -> datetime:
        """`at` in the offset it was recorded in."""
        zone = dt_timezone(timedelta(seconds=self.at_utc_offset))
        return self.at.astimezone(zone)


class Obligation(TimestampedModel):
    """One duty on one case as the engine last computed it (`obligations.Obligation`).
    `recheck_at` is the next moment time alone can change it (its deadline, its 80 %
    warning, a later critical limit); None when only a new fact can."""

    class StatusChoice(models.TextChoices):
        OPEN = Status.OPEN.value, _("Open")
        MET = Status.MET.value, _("Met")
        OVERDUE = Status.OVERDUE.value, _("Overdue")
        NOT_APPLICABLE = Status.NOT_APPLICABLE.value, _("Not applicable")
        ESCALATED = Status.ESCALATED.value, _("Escalated")

    class SeverityChoice(models.TextChoices):
        INFO = Severity.INFO.value, _("Information")
        WARNING = Severity.WARNING.value, _("Warning")
        CRITICAL = Severity.CRITICAL.value, _("Critical")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="obligations"
    )
    # The case's agency, copied so that a worklist's index starts with it.
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )
    rule_id = models.CharField(_("rule"), max_length=64)
    key = models.CharField(_("key"), max_length=200)
    due = models.TextField(_("what is due"))
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    # The zone of the deadline (the place of detention's): `due_at` is shown in it.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=StatusChoice.choices)
    severity = models.CharField(
        _("severity"), max_length=8, choices=SeverityChoice.choices
    )
    citations = models.JSONField(_("sources"), default=list)
    # Fact ids (CaseFact primary keys, as text).
    triggered_by = models.JSONField(_("facts that gave rise to it"), default=list)
    met_by = models.JSONField(_("facts that met it"), default=list)
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    details_json = EncryptedTextField(_("details"), blank=True)
    recheck_at = models.DateTimeField(_("next check"), null=True, blank=True)
    # A keyed hash of the values above (`actions._fingerprint`): a re-evaluation
    # compares it rather than reading and decrypting them. Empty: compare afresh.
    fingerprint = models.CharField(
        _("fingerprint"), max_length=32, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "rule_id", "key"], name="safeguards_obligation_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]),
                name="safeguards_obligation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(severity__in=[s.value for s in Severity]),
                name="safeguards_obligation_severity_valid",
            ),
        ]
        indexes = [
            # The worklists ("overdue": due_at < now; "due within 24 h": a range of
            # due_at) of an agency, over what is still to be done only, in the order
            # they are paged: the first page stops after its rows, with no sort.
            models.Index(
                fields=["agency", "due_at", "id"],
                name="safeguards_oblig_live_idx",
                condition=Q(status__in=LIVE_STATUSES),
            ),
            # "Critical", in the same order.
            models.Index(
                fields=["agency", "severity", "due_at", "id"],
                name="safeguards_oblig_severity_idx",
                condition=Q(status__in=LIVE_STATUSES),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.key} {self.status}"

    @property
    def details(self) -> dict[str, Any]:
        loaded: dict[str, Any] = (
            json.loads(self.details_json) if self.details_json else {}
        )
        return loaded

    @property
    def met_late(self) -> bool:
        return (
            self.met_at is not None
            and self.due_at is not None
            and self.met_at > self.due_at
        )

    @property
    def local_due_at(self) -> datetime | None:
        return self.local(self.due_at)

    @property
    def detained_since(self) -> datetime | None:
        """When the detention episode of a detention duty began (its details say so;
        the days detained are counted from it when shown, never stored)."""
        since = self.details.get("detained_since")
        if not isinstance(since, str):
            return None
        try:
            return self.local(datetime.fromisoformat(since))
        except ValueError:
            return None

    def local(self, moment: datetime | None) -> datetime | None:
        """`moment` in the deadline's zone (the place's), as the engine gave it."""
        if moment is None or not self.time_zone:
            return moment
        return moment.astimezone(ZoneInfo(self.time_zone))
