"""The case file an export hands over, and the encrypted archive it travels in.

The archive is a ZIP file whose entries are encrypted with AES-256 (WinZip AE-2),
which 7-Zip, PeaZip, WinZip and The Unarchiver open with the passphrase
(docs/decisions/0009). ZIP encrypts the contents, not the entry names, so the names
say nothing about the person.
"""

import io
import json
from datetime import datetime
from typing import Any

import pyzipper  # type: ignore[import-untyped]
from django.core.serializers.json import DjangoJSONEncoder
from django.views.decorators.debug import sensitive_variables

from amparo.cases.models import Case
from amparo.cases.queries import notes_of, timeline
from amparo.people.models import Consent, Person

CASE_FILE = "case.json"
README = "README.txt"


def _person(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.display_name,
        "names": [
            {
                "kind": name.kind,
                "given_names": name.given_names,
                "family_names": name.family_names,
                "script": name.script,
                "language": name.language,
            }
            for name in person.names.all()
        ],
        "sex": person.sex,
        "birth_date": person.birth_date,
        "birth_date_precision": person.birth_date_precision,
        "estimated_age": person.estimated_age,
        "age_estimated_on": person.age_estimated_on,
        "nationalities": [
            {"country": n.country, "status": n.status}
            for n in person.nationalities.all()
        ],
        "country_of_birth": person.country_of_birth,
        "place_of_origin": person.place_of_origin,
        "preferred_language": person.preferred_language,
        "languages": person.languages,
        "contact": person.contact,
        "specific_needs": person.vulnerabilities,
        "migration_status": person.migration_status,
    }


WITHHELD = "(withheld: no lawful basis recorded for sharing their data)"


def case_file(case: Case) -> dict[str, Any]:
    """The person's record, the case, its notes and its timeline, in clear."""
    members = list(case.members.select_related("person"))
    may_share = set(
        Consent.objects.filter(
            person__in=[m.person_id for m in members],
            purpose=Consent.Purpose.DATA_SHARING,
            withdrawn_at__isnull=True,
        ).values_list("person_id", flat=True)
    )
    return {
        "person": _person(case.primary_person),
        "case": {
            "reference": case.reference,
            "status": case.status,
            "risk": case.risk,
            "types": [t.code for t in case.types.all()],
            "opened_at": case.opened_at,
            "opening_reason": case.opening_reason,
            "assigned_to": str(case.assigned_to or ""),
            "closed_at": case.closed_at,
            "closure_reason": case.closure_reason,
            "closure_note": case.closure_note,
            "others_on_the_case": [
                {
                    # Each relative's name travels only on their own basis for sharing.
                    "name": m.person.display_name
                    if m.person_id in may_share
                    else WITHHELD,
                    "relationship": m.relationship,
                }
                for m in members
            ],
        },
        "notes": [
            {"written_at": n.created_at, "author": str(n.author), "text": n.body}
            for n in notes_of(case)
        ],
        "timeline": [
            {
                "at": e.occurred_at,
                "what": e.kind,
                "by": str(e.actor),
                "details": e.data,
            }
            for e in timeline(case)
        ],
    }


def readme(*, reference: str, exported_at: datetime, exported_by: str) -> str:
    # Not translated: the recipient's language is not known, and the file names and
    # keys of case.json are English too.
    return (
        "CONFIDENTIAL - personal data of a person at risk.\n\n"
        f"Case {reference}, exported from Amparo on {exported_at:%Y-%m-%d %H:%M %Z}\n"
        f"by {exported_by}, with the approval of the data protection officer.\n\n"
        f"{CASE_FILE} holds the person's record, the case, its notes and its\n"
        "timeline (JSON, UTF-8; any text editor opens it).\n\n"
        "Use it only for the purpose it was given for. Do not copy it further,\n"
        "and delete it when that purpose is served.\n"
    )


@sensitive_variables("passphrase")
def encrypt(files: dict[str, str], passphrase: str) -> bytes:
    """A ZIP archive of `files` (name → text), each entry AES-256 encrypted with a
    key derived from `passphrase`."""
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(
        buffer, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(passphrase.encode())
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        for name, text in files.items():
            archive.writestr(name, text.encode())
    return buffer.getvalue()


def archive_files(
    case: Case, *, exported_at: datetime, exported_by: str
) -> dict[str, str]:
    return {
        README: readme(
            reference=case.reference, exported_at=exported_at, exported_by=exported_by
        ),
        CASE_FILE: json.dumps(
            case_file(case), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
        ),
    }
