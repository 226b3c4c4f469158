"""Hostile text in the question, the answer and the DPO's reason is kept exactly and
shown escaped on every page that shows it."""

import html

import pytest

from amparo.oversight.models import ContentAccessGrant, Escalation

pytestmark = pytest.mark.django_db


def _samples(shared_data):
    polyglots = (
        (shared_data / "fuzz" / "seclists_XSS-Polyglots-Dmiessler.txt")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    return [p.strip()[:180] for p in polyglots if "<" in p and len(p.strip()) >= 20]


def _assert_escaped(page, text):
    assert html.escape(text) in page, text
    assert text not in page, text


def test_hostile_text_is_stored_verbatim_and_rendered_escaped(
    client, caseworker, legal_officer, dpo, case, shared_data
):
    samples = _samples(shared_data)[:10]
    assert samples
    for text in samples:
        client.force_login(caseworker)
        client.post(f"/oversight/cases/{case.pk}/escalate/", {"question": text})
        escalation = Escalation.objects.get(answered_at__isnull=True)
        assert escalation.question == text
        client.force_login(legal_officer)
        _assert_escaped(
            client.get(f"/oversight/cases/{case.pk}/").content.decode(), text
        )
        client.post(f"/oversight/escalations/{escalation.pk}/answer/", {"answer": text})
        escalation.refresh_from_db()
        assert escalation.answer == text
        client.force_login(caseworker)
        _assert_escaped(client.get(f"/cases/{case.pk}/").content.decode(), text)

        client.force_login(dpo)
        client.post(
            "/oversight/access/",
            {"reference": case.reference, "reason": text, "hours": 1},
        )
        grant = ContentAccessGrant.objects.get(revoked_at__isnull=True)
        assert grant.reason == text
        for url in (f"/oversight/cases/{case.pk}/", "/oversight/access/"):
            _assert_escaped(client.get(url).content.decode(), text)
        client.post(f"/oversight/access/{grant.pk}/end/")
