"""What the audit trail and encryption at rest cost, and how fast the chain verifies.

    python -m bench.audit                    # 1,000,000 events on PostgreSQL
    python -m bench.audit --events 100000    # a quick check

Targets (issue 3): a case view and a case update with their audit events at most 1.5x
the same work without them, measured here in one run; `amparo audit verify` over
1,000,000 events under 60 s.

The "without" reference runs exactly the same code with, in this process only, the one
function that writes audit events (`amparo.audit.actions.record_raw`) writing nothing
and the keyring's encrypt and decrypt returning the text unchanged; the two are
interleaved in blocks so that drift hits both alike. Views are measured before updates:
a note written without encryption would not decrypt when a later page shows it.
Measured at two levels: the page or API request through Django's test Client
(middleware, session, template), and the query or action function alone.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from bench.run import (
    amparo_command,
    bench_environment,
    prepare_database,
    run_amparo,
    sample,
    setup_django,
    verified_client,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/amparo_bench_audit"
RATIO_TARGET = 1.5
VERIFY_TARGET_S = 60.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.audit")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--var-dir", default="/tmp/amparo-bench-audit-var")  # noqa: S108
    return parser.parse_args(argv)


def make_fixture():  # type: ignore[no-untyped-def]
    from amparo.accounts.actions import create_agency, create_user
    from amparo.cases.actions import open_case
    from amparo.people.actions import register_person
    from amparo.people.records import NameRecord, PersonRecord

    agency = create_agency("Bench Agency", code="bench")
    user = create_user(
        "bench", agency=agency, role="caseworker", password=secrets.token_urlsafe(16)
    )
    person = register_person(
        PersonRecord(names=[NameRecord(given_names="Amina", family_names="Diallo")]),
        acting_user=user,
    )
    case = open_case(
        person,
        acting_user=user,
        types=["general"],
        risk="low",
        reason="Bench.",
        lawful_basis={"basis": "consent", "method": "oral", "given_by": "person"},
    )
    return user, case


@contextmanager
def protections_off():  # type: ignore[no-untyped-def]
    """No audit event and no encryption: the one function that writes audit events
    writes nothing, and the keyring's seal and open return the text as it is."""
    from amparo.audit import actions
    from amparo.core.crypto import Ciphertext, Keyring, Plaintext

    saved = actions.record_raw, Keyring.encrypt, Keyring.decrypt
    actions.record_raw = lambda *args, **kwargs: None  # type: ignore[assignment]
    Keyring.encrypt = lambda self, text, *, context: Ciphertext(text)  # type: ignore[method-assign]
    Keyring.decrypt = lambda self, text, *, context: Plaintext(text)  # type: ignore[method-assign]
    try:
        yield
    finally:
        actions.record_raw, Keyring.encrypt, Keyring.decrypt = saved  # type: ignore[method-assign]


def compare(name, call, repeat):  # type: ignore[no-untyped-def]
    audited, plain = [], []
    for _block in range(5):
        with protections_off():
            plain += sample(call, repeat=repeat // 5, warmup=5)
        audited += sample(call, repeat=repeat // 5, warmup=5)
    a, p = statistics.median(audited), statistics.median(plain)
    a95 = statistics.quantiles(audited, n=20)[18]
    p95 = statistics.quantiles(plain, n=20)[18]
    ok = "met" if a / p <= RATIO_TARGET else "MISSED"
    return f"| {name} | {p:.2f} / {p95:.2f} | {a:.2f} / {a95:.2f} | {a / p:.2f} | ≤ {RATIO_TARGET} | {ok} |"


def ok(response, status=200):  # type: ignore[no-untyped-def]
    """The response, if it is the one expected: a redirect to a login or two-factor
    page instead of the case page would time the wrong thing."""
    if response.status_code != status:
        sys.exit(f"benchmark request answered {response.status_code}, not {status}")
    return response


def fill_chain(events: int) -> float:
    """Append `events` valid, chained events in bulk (as a year of use would leave)."""
    from django.utils import timezone

    from amparo.audit import chain
    from amparo.audit.keys import active_audit_key
    from amparo.audit.models import AuditChainHead, AuditEvent

    key_id, key = active_audit_key()
    head = AuditChainHead.objects.get(pk=1)
    sequence, previous = head.last_sequence, head.last_hash
    started, moment = time.perf_counter(), timezone.now()
    batch: list[AuditEvent] = []
    for i in range(events):
        sequence += 1
        fields = {
            "occurred_at": moment + timedelta(microseconds=i),
            "actor_id": None,
            "agency_id": None,
            "action": "cases.case.viewed",
            "subject_type": "cases.case",
            "subject_id": f"{i:032x}",
            "data": {"n": i},
        }
        digest = chain.event_hash(
            key, key_id=key_id, sequence=sequence, previous_hash=previous, **fields
        )
        batch.append(
            AuditEvent(
                sequence=sequence,
                key_id=key_id,
                previous_hash=previous,
                hash=digest,
                **fields,
            )
        )
        previous = digest
        if len(batch) == 10_000:
            AuditEvent.objects.bulk_create(batch)
            batch.clear()
    AuditEvent.objects.bulk_create(batch)
    AuditChainHead.objects.filter(pk=1).update(
        last_sequence=sequence, last_hash=previous
    )
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    var_dir = Path(args.var_dir)
    env = bench_environment(args.database_url, var_dir)
    prepare_database(args.database_url, var_dir, env)
    run_amparo(["collectstatic", "--no-input", "--verbosity", "0"], env)
    setup_django(env)
    from amparo.accounts.actions import issue_api_token
    from amparo.cases.actions import add_note
    from amparo.cases.queries import view_case

    user, case = make_fixture()
    from django.test import Client

    client = verified_client(user)
    token = issue_api_token(user, name="bench", acting_user=user)[1]
    api = Client(SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
    rows = [
        "| Operation | without audit and encryption: median / p95 ms | with both: median / p95 ms | ratio of medians | target | |",
        "|---|--:|--:|--:|--:|---|",
        compare(
            "GET /cases/<id>/ (case page)",
            lambda _i: ok(client.get(f"/cases/{case.pk}/")),
            args.repeat,
        ),
        compare(
            "GET /api/v1/cases/<id>",
            lambda _i: ok(api.get(f"/api/v1/cases/{case.pk}")),
            args.repeat,
        ),
        compare("view_case() alone", lambda _i: view_case(user, case.pk), args.repeat),
        compare(
            "POST /cases/<id>/note/ (add a note)",
            lambda i: ok(
                client.post(f"/cases/{case.pk}/note/", {"body": f"note {i}"}), 302
            ),
            args.repeat,
        ),
        compare(
            "add_note() alone",
            lambda i: add_note(case, acting_user=user, body=f"note {i}"),
            args.repeat,
        ),
    ]
    print("\n".join(rows))
    filled = fill_chain(args.events)
    from amparo.audit.models import AuditEvent

    total = AuditEvent.objects.count()
    print(
        f"\nAppended {args.events:,} chained events in {filled:.1f} s; the chain holds {total:,}."
    )
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 (our own command)
        [*amparo_command(), "audit", "verify"], env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    print(done.stdout.strip() or done.stderr.strip())
    verdict = "met" if done.returncode == 0 and wall < VERIFY_TARGET_S else "MISSED"
    print(
        f"`amparo audit verify` over {total:,} events: {wall:.1f} s wall (target < {VERIFY_TARGET_S:.0f} s): {verdict}"
    )
    if done.returncode:
        sys.exit(1)


if __name__ == "__main__":
    main()
