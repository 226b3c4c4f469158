"""The BID panel's pages through real HTTP: the child's part of the case page, signing
the undertaking of confidentiality, the supervisor's list of BIDs waiting for a panel,
and recording the panel's decision. Role or access refusals answer 404 (audited) and
record nothing."""

from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import time_machine

from amparo.accounts.models import User
from amparo.accounts.tests.factories import UserFactory
from amparo.audit.models import AuditEvent
from amparo.cases.actions import close_case
from amparo.cases.tests.factories import make_case
from amparo.safeguards.models import CaseFact, Obligation
from amparo.safeguards.tests.factories import record

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=3)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


@pytest.fixture
def colleagues(agency, team) -> list[User]:
    """Two more supervisors of agency A's team (made as conftest.py makes the
    supervisor): they see the team's cases, so they may sit on its panels."""
    return [
        UserFactory(username=name, agency=agency, role=User.Role.SUPERVISOR, team=team)
        for name in ("sofia", "sara")
    ]


@pytest.fixture
def child(caseworker):
    """An unaccompanied child's case (the case worker's), a guardian appointed, and a
    BID report B1 by the case worker for a durable solution."""
    case = make_case(caseworker)
    record(case, caseworker, "child_status", at(0), status="unaccompanied")
    record(
        case,
        caseworker,
        "guardian_appointed",
        at(1),
        guardian="G1",
        guardian_type="professional",
    )
    record(
        case,
        caseworker,
        "bid_report_submitted",
        at(2),
        bid="B1",
        bid_purpose="durable_solution",
    )
    return case


@pytest.fixture
def signed(child, supervisor, colleagues):
    """B1 with the undertakings of the supervisor and both colleagues."""
    for member in (supervisor, *colleagues):
        record(child, member, "bid_undertaking_signed", at(3), bid="B1")
    return child


def decide_url(case, bid: str = "B1") -> str:
    return f"/children/cases/{case.pk}/bids/{bid}/"


def sign_url(case, bid: str = "B1") -> str:
    return f"/children/cases/{case.pk}/bids/{bid}/sign/"


def facts(case, kind: str) -> list[CaseFact]:
    return list(CaseFact.objects.filter(case=case, kind=kind))


def denied(user, since: int) -> int:
    """How many refusals of `user` were audited after the event number `since`."""
    return AuditEvent.objects.filter(
        actor=user, action="access.denied", sequence__gt=since
    ).count()


def last_event() -> int:
    latest = AuditEvent.objects.order_by("-sequence").first()
    return latest.sequence if latest else 0


# --- The case page -------------------------------------------------------------------


def test_the_case_page_shows_the_child_with_the_bid_and_the_sign_button(
    client, caseworker, child
):
    client.force_login(caseworker)
    response = client.get(f"/cases/{child.pk}/")
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "Child and returns" in page
    assert "Unaccompanied child" in page  # the status, in words
    assert "G1" in page and "A professional guardian" in page  # the guardian
    assert "BID B1" in page.replace("<strong>", "").replace("<bdi>", "").replace(
        "</bdi>", ""
    )
    assert "Undertakings signed: 0 / 3" in " ".join(page.split())
    assert "Sign the undertaking of confidentiality" in page
    assert f'action="{sign_url(child)}"' in page
    # A case worker does not record the panel's decision.
    assert "Record the panel's decision" not in page
    assert f'href="{decide_url(child)}"' not in page


def test_the_supervisor_sees_the_decide_button_on_the_case_page(
    client, supervisor, child
):
    client.force_login(supervisor)
    page = unescape(client.get(f"/cases/{child.pk}/").content.decode())
    assert "Record the panel's decision" in page
    assert f'href="{decide_url(child)}"' in page


def test_a_case_without_childrens_facts_has_no_child_section(client, caseworker):
    case = make_case(caseworker)
    client.force_login(caseworker)
    assert "Child and returns" not in client.get(f"/cases/{case.pk}/").content.decode()


# --- Signing the undertaking ---------------------------------------------------------


def test_signing_through_the_page_records_the_undertaking(client, caseworker, child):
    client.force_login(caseworker)
    response = client.post(sign_url(child))
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{child.pk}/"
    [signed] = facts(child, "bid_undertaking_signed")
    assert signed.recorded_by == caseworker
    assert signed.data == {"bid": "B1"}
    assert signed.at == NOW
    page = unescape(client.get(f"/cases/{child.pk}/").content.decode())
    assert "Undertakings signed: 1 / 3" in " ".join(page.split())
    # Signed already: no button, and signing again records nothing.
    assert "Sign the undertaking of confidentiality" not in page
    again = client.post(sign_url(child), follow=True)
    assert "signed the undertaking for this BID already" in unescape(
        again.content.decode()
    )
    assert len(facts(child, "bid_undertaking_signed")) == 1


def test_signing_needs_a_post(client, caseworker, child):
    client.force_login(caseworker)
    assert client.get(sign_url(child)).status_code == 405
    assert facts(child, "bid_undertaking_signed") == []


def test_the_outsider_may_neither_sign_nor_decide(client, outsider, signed):
    before = (
        CaseFact.objects.filter(case=signed).count(),
        Obligation.objects.filter(case=signed).count(),
    )
    since = last_event()
    client.force_login(outsider)
    assert client.post(sign_url(signed)).status_code == 404
    assert client.get(decide_url(signed)).status_code == 404
    assert client.post(decide_url(signed), _decision(signed)).status_code == 404
    assert (
        CaseFact.objects.filter(case=signed).count(),
        Obligation.objects.filter(case=signed).count(),
    ) == before
    assert denied(outsider, since) == 3


# --- The supervisor's list of BIDs waiting -------------------------------------------


def test_the_supervisor_lists_the_bids_waiting_for_a_panel(
    client, supervisor, caseworker, signed
):
    decided = make_case(caseworker)
    record(decided, caseworker, "child_status", at(0), status="separated")
    record(
        decided,
        caseworker,
        "bid_report_submitted",
        at(2),
        bid="B9",
        bid_purpose="durable_solution",
    )
    client.force_login(supervisor)
    response = client.get("/children/bids/")
    assert response.status_code == 200
    waiting = [(w.case.pk, w.bid.id) for w in response.context["waiting"]]
    assert sorted(waiting) == sorted([(signed.pk, "B1"), (decided.pk, "B9")])
    page = unescape(response.content.decode())
    assert signed.reference in page
    assert f'href="{decide_url(signed)}"' in page
    assert "3 / 3" in page  # the undertakings signed, of the minimum
    assert caseworker.get_full_name() in page  # the report's author


def test_a_decided_bid_no_longer_waits(client, supervisor, colleagues, signed):
    client.force_login(supervisor)
    client.post(decide_url(signed), _decision(signed, supervisor, *colleagues))
    response = client.get("/children/bids/")
    assert response.context["waiting"] == []
    assert "No BID is waiting" in response.content.decode()


@pytest.mark.parametrize("persona", ["caseworker", "outsider"])
def test_only_a_supervisor_sees_the_bids_waiting(client, request, persona, signed):
    user = request.getfixturevalue(persona)
    since = last_event()
    client.force_login(user)
    response = client.get("/children/bids/")
    assert response.status_code == 404
    assert signed.reference not in response.content.decode()
    assert denied(user, since) == 1


# --- Recording the panel's decision --------------------------------------------------


def _decision(case, *members: User, text: str = "Local integration.") -> dict:
    return {"bid_decision": text, "panel": [str(m.pk) for m in members]}


def test_the_decide_page_offers_the_signers_as_checkboxes(
    client, supervisor, colleagues, signed
):
    client.force_login(supervisor)
    response = client.get(decide_url(signed))
    assert response.status_code == 200
    choices = dict(response.context["form"].fields["panel"].choices)
    members = [supervisor, *colleagues]
    assert choices == {str(m.pk): m.get_full_name() for m in members}
    page = response.content.decode()
    for member in members:
        assert f'type="checkbox" name="panel" value="{member.pk}"' in page
    assert 'name="bid_decision"' in page


def test_the_author_who_has_not_signed_is_not_offered(
    client, caseworker, supervisor, signed
):
    client.force_login(supervisor)
    choices = dict(
        client.get(decide_url(signed)).context["form"].fields["panel"].choices
    )
    assert str(caseworker.pk) not in choices


def test_a_valid_panel_records_the_decision_and_goes_back_to_the_case(
    client, supervisor, colleagues, signed
):
    client.force_login(supervisor)
    response = client.post(
        decide_url(signed), _decision(signed, supervisor, *colleagues)
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{signed.pk}/"
    [decision] = facts(signed, "bid_decided")
    assert decision.recorded_by == supervisor
    assert decision.at == NOW
    assert decision.data == {
        "bid": "B1",
        "bid_decision": "Local integration.",
        "panel": [str(m.pk) for m in (supervisor, *colleagues)],
    }
    page = unescape(client.get(f"/cases/{signed.pk}/").content.decode())
    assert "Decided" in page and "Local integration." in page
    assert "Record the panel's decision" not in page


def test_too_small_a_panel_is_shown_the_error_and_nothing_is_saved(
    client, supervisor, colleagues, signed
):
    before = (
        CaseFact.objects.filter(case=signed).count(),
        Obligation.objects.filter(case=signed).count(),
    )
    client.force_login(supervisor)
    response = client.post(
        decide_url(signed), _decision(signed, supervisor, colleagues[0])
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "at least 3 members" in errors
    assert "at least 3 members" in unescape(response.content.decode())
    assert facts(signed, "bid_decided") == []
    assert (
        CaseFact.objects.filter(case=signed).count(),
        Obligation.objects.filter(case=signed).count(),
    ) == before


def test_a_member_who_did_not_sign_cannot_be_chosen(
    client, caseworker, supervisor, colleagues, signed
):
    client.force_login(supervisor)
    response = client.post(
        decide_url(signed), _decision(signed, caseworker, supervisor, *colleagues)
    )
    assert response.status_code == 200
    assert "panel" in response.context["form"].errors
    assert facts(signed, "bid_decided") == []


def test_a_case_worker_may_not_open_the_decide_page(
    client, caseworker, supervisor, colleagues, signed
):
    since = last_event()
    client.force_login(caseworker)
    assert client.get(decide_url(signed)).status_code == 404
    response = client.post(
        decide_url(signed), _decision(signed, supervisor, *colleagues)
    )
    assert response.status_code == 404
    assert facts(signed, "bid_decided") == []
    assert denied(caseworker, since) == 2


def test_an_unknown_bid_is_not_found(client, supervisor, signed):
    client.force_login(supervisor)
    assert client.get(decide_url(signed, "B2")).status_code == 404


def test_the_decide_page_of_a_closed_case_sends_back_to_the_case(
    client, caseworker, supervisor, colleagues, signed
):
    close_case(signed, acting_user=caseworker, reason="goals_met")
    client.force_login(supervisor)
    for response in (
        client.get(decide_url(signed), follow=True),
        client.post(
            decide_url(signed), _decision(signed, supervisor, *colleagues), follow=True
        ),
    ):
        assert response.redirect_chain[-1][0] == f"/cases/{signed.pk}/"
        assert (
            "The case is closed; reopen it to change it." in response.content.decode()
        )
    assert facts(signed, "bid_decided") == []


def test_a_closed_case_records_no_decision(
    client, caseworker, supervisor, colleagues, signed
):
    close_case(signed, acting_user=caseworker, reason="goals_met")
    client.force_login(supervisor)
    client.post(decide_url(signed), _decision(signed, supervisor, *colleagues))
    assert facts(signed, "bid_decided") == []
