"""The conversions between HTCDS values and Amparo's, both ways, as tables and small
functions. docs/htcds.md "Mapping to Amparo" gives the reasons for each.

Pure Python: no Django import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from amparo.htcds import codes

# prs_Gender -> people.Person.sex. Amparo records sex (F, M, X, U), not gender
# identity: the two transgender values keep the gender they name and lose the word
# "transgender", which the import reports for the batch (never silently).
GENDER_TO_SEX = {
    "Feminine": "F",
    "Masculine": "M",
    "TransgenderFeminine": "F",
    "TransgenderMasculine": "M",
    "NonConforming": "X",
    "NonSpecifiedUnknown": "U",
}
NARROWED_GENDERS = frozenset({"TransgenderFeminine", "TransgenderMasculine"})
SEX_TO_GENDER = {
    "F": "Feminine",
    "M": "Masculine",
    "X": "NonConforming",
    "U": "NonSpecifiedUnknown",
}

# cas_Status -> (cases.Case.status, closure_reason), and back. Amparo's workflow has
# more steps than HTCDS's "Active"; "Follow Up" is its last open one.
STATUS_TO_CASE = {
    "Active": ("open", ""),
    "FollowUp": ("in_progress", ""),
    "Closed": ("closed", "other"),
    "ClosedReferred": ("closed", "referred"),
}


def case_status(status: str, closure_reason: str) -> str:
    if status == "closed":
        return "ClosedReferred" if closure_reason == "referred" else "Closed"
    return "FollowUp" if status == "in_progress" else "Active"


# vic_TraffickingStatus -> the identification decisions (stage, finding) it stands
# for. "Possible" is a positive decision on reasonable grounds (the person may be a
# victim); "Actual" a conclusive one, which Amparo accepts only after a decision on
# reasonable grounds, so both are recorded; "Not a victim" a negative decision.
DECISIONS = {
    "PossibleVictimOfTrafficking": (("reasonable_grounds", "positive"),),
    "ActualVictimOfTrafficking": (
        ("reasonable_grounds", "positive"),
        ("conclusive", "positive"),
    ),
    "NotAVictimOfTrafficking": (("reasonable_grounds", "negative"),),
}
_ORG_BY_LABEL = {label: name for name, label in codes.DECISION_MAKING_ORG}
ORG_LABEL = dict(codes.DECISION_MAKING_ORG)


def trafficking_status(decisions: Sequence[tuple[str, str, str]]) -> tuple[str, str]:
    """(vic_TraffickingStatus, vic_TraffickingStatusDecisionMakingOrg) from the case's
    identification decisions (stage, finding, decided_by) in time order; the
    organisation only when the last decision names one of HTCDS's by its label."""
    if not decisions:
        return "", ""
    stage, finding, decided_by = decisions[-1]
    if finding == "negative":
        status = "NotAVictimOfTrafficking"
    elif stage == "conclusive" or any(
        s == "conclusive" and f == "positive" for s, f, _by in decisions
    ):
        status = "ActualVictimOfTrafficking"
    else:
        status = "PossibleVictimOfTrafficking"
    return status, _ORG_BY_LABEL.get(decided_by, "")


# Several HTCDS fields share one Amparo text (the contact, the opening reason, a
# note), one `Label: value` line each, the label as the standard writes it (not
# translated: the export reads it back). The lines after a value's first continue
# it, indented by two spaces, so a value may hold line breaks and still be found.
INDENT = "  "


def pack(pairs: Iterable[tuple[str, str]]) -> str:
    lines: list[str] = []
    for label, value in pairs:
        first, *rest = value.split("\n")
        lines.append(f"{label}: {first}")
        lines.extend(INDENT + line for line in rest)
    return "\n".join(lines)


def unpack(text: str, labels: Iterable[str]) -> dict[str, str]:
    """The values of `labels` found in `text` (others' lines are skipped)."""
    wanted = set(labels)
    found: dict[str, str] = {}
    current = ""
    for line in text.split("\n"):
        if current and line.startswith(INDENT):
            found[current] += "\n" + line[len(INDENT) :]
            continue
        current = ""
        label, separator, value = line.partition(": ")
        if separator and label in wanted and label not in found:
            found[label] = value
            current = label
    return found
