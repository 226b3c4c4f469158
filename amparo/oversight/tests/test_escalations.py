"""A case worker asks the agency's legal officers a question about a case: they see
the case read-only until they answer, and not after; the question and the answer
stay on the case for its team."""

import pytest
from django.core.exceptions import ValidationError

from amparo.accounts.models import User
from amparo.accounts.tests.factories import UserFactory
from amparo.audit.models import AuditEvent
from amparo.cases.models import CaseEvent
from amparo.cases.queries import cases_visible_to
from amparo.cases.tests.factories import make_case
from amparo.oversight.actions import answer_escalation, escalate_case
from amparo.oversight.models import Escalation
from amparo.people.queries import persons_visible_to

pytestmark = pytest.mark.django_db

QUESTION = "May the authorities detain her while the appeal is pending?"
ANSWER = "No: the appeal suspends removal; ask for release."


@pytest.fixture
def colleague_lo(agency):
    """A second legal officer of agency A."""
    return UserFactory(username="leo", agency=agency, role=User.Role.LEGAL_OFFICER)


def test_the_escalation_lifecycle(client, caseworker, legal_officer, case, child):
    client.force_login(caseworker)
    detail = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/oversight/cases/{case.pk}/escalate/"' in detail
    assert client.get(f"/oversight/cases/{case.pk}/escalate/").status_code == 200
    response = client.post(
        f"/oversight/cases/{case.pk}/escalate/", {"question": QUESTION}
    )
    assert response.status_code == 302
    escalation = Escalation.objects.get()
    assert (escalation.raised_by, escalation.legal_officer) == (caseworker, None)
    assert AuditEvent.objects.filter(
        action="oversight.escalation.raised", subject_id=str(case.pk)
    ).exists()
    assert CaseEvent.objects.filter(case=case, kind="escalated").exists()

    client.force_login(legal_officer)
    listing = client.get("/oversight/escalations/")
    assert list(listing.context["escalations"]) == [escalation]
    page = client.get(f"/oversight/cases/{case.pk}/").content.decode()
    assert QUESTION in page and case.opening_reason in page
    assert "Answer and close" in page
    assert client.get(f"/oversight/persons/{child.pk}/").status_code == 200
    assert set(persons_visible_to(legal_officer)) == {case.primary_person, child}
    view = AuditEvent.objects.get(action="cases.case.viewed", actor=legal_officer)
    assert view.data == {"escalations": [str(escalation.pk)]}

    response = client.post(
        f"/oversight/escalations/{escalation.pk}/answer/", {"answer": ANSWER}
    )
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert (escalation.answered_by, escalation.answer) == (legal_officer, ANSWER)
    assert CaseEvent.objects.filter(case=case, kind="escalation_answered").exists()
    assert AuditEvent.objects.filter(action="oversight.escalation.answered").exists()

    # Closed: the legal officer no longer sees the case or its persons.
    assert client.get(f"/oversight/cases/{case.pk}/").status_code == 404
    assert client.get(f"/oversight/persons/{child.pk}/").status_code == 404
    assert not client.get("/oversight/escalations/").context["escalations"]
    assert not cases_visible_to(legal_officer).exists()

    # The team sees the question and the answer on the case.
    client.force_login(caseworker)
    detail = client.get(f"/cases/{case.pk}/").content.decode()
    assert QUESTION in detail and ANSWER in detail


def test_an_escalation_may_name_one_legal_officer(
    client, supervisor, legal_officer, colleague_lo, case
):
    client.force_login(supervisor)
    client.post(
        f"/oversight/cases/{case.pk}/escalate/",
        {"question": QUESTION, "legal_officer": colleague_lo.pk},
    )
    escalation = Escalation.objects.get()
    assert escalation.legal_officer == colleague_lo
    # Least privilege: only the one named sees it.
    client.force_login(legal_officer)
    assert not client.get("/oversight/escalations/").context["escalations"]
    assert client.get(f"/oversight/cases/{case.pk}/").status_code == 404
    assert (
        client.post(
            f"/oversight/escalations/{escalation.pk}/answer/", {"answer": ANSWER}
        ).status_code
        == 404
    )
    client.force_login(colleague_lo)
    assert client.get(f"/oversight/cases/{case.pk}/").status_code == 200


def test_a_legal_officer_answers_only_what_is_addressed_to_them(
    caseworker, legal_officer, colleague_lo, case
):
    mine = escalate_case(case, acting_user=caseworker, question=QUESTION)
    theirs = escalate_case(
        case, acting_user=caseworker, question=QUESTION, legal_officer=colleague_lo
    )
    with pytest.raises(PermissionError):
        answer_escalation(theirs, acting_user=legal_officer, answer=ANSWER)
    answer_escalation(mine, acting_user=legal_officer, answer=ANSWER)
    with pytest.raises(ValidationError):
        answer_escalation(mine, acting_user=colleague_lo, answer="Again.")


def test_the_question_and_the_answer_are_required(
    client, caseworker, legal_officer, case
):
    client.force_login(caseworker)
    response = client.post(f"/oversight/cases/{case.pk}/escalate/", {"question": " "})
    assert response.status_code == 400
    assert not Escalation.objects.exists()
    escalation = escalate_case(case, acting_user=caseworker, question=QUESTION)
    client.force_login(legal_officer)
    response = client.post(
        f"/oversight/escalations/{escalation.pk}/answer/", {"answer": "  "}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.is_open


def test_only_a_legal_officer_of_the_agency_may_be_named(
    client, caseworker, other_legal_officer, dpo, case
):
    client.force_login(caseworker)
    for user in (other_legal_officer, dpo):
        response = client.post(
            f"/oversight/cases/{case.pk}/escalate/",
            {"question": QUESTION, "legal_officer": user.pk},
        )
        assert response.status_code == 400
    assert not Escalation.objects.exists()
    with pytest.raises(ValidationError):
        escalate_case(
            case,
            acting_user=caseworker,
            question=QUESTION,
            legal_officer=other_legal_officer,
        )


def test_those_who_see_the_case_but_do_not_work_on_it_may_not_escalate_or_answer(
    client, caseworker, supervisor, legal_officer, case
):
    escalation = escalate_case(case, acting_user=caseworker, question=QUESTION)
    client.force_login(legal_officer)
    response = client.post(
        f"/oversight/cases/{case.pk}/escalate/", {"question": QUESTION}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionError):
        escalate_case(case, acting_user=legal_officer, question=QUESTION)
    client.force_login(supervisor)
    response = client.post(
        f"/oversight/escalations/{escalation.pk}/answer/", {"answer": ANSWER}
    )
    assert response.status_code == 403
    assert Escalation.objects.count() == 1
    escalation.refresh_from_db()
    assert escalation.is_open


def test_a_legal_officer_of_another_agency_gets_404(
    client, caseworker, other_legal_officer, case, child
):
    escalation = escalate_case(case, acting_user=caseworker, question=QUESTION)
    client.force_login(other_legal_officer)
    assert not client.get("/oversight/escalations/").context["escalations"]
    for url in (
        f"/oversight/cases/{case.pk}/",
        f"/oversight/persons/{child.pk}/",
        f"/oversight/cases/{case.pk}/escalate/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/oversight/escalations/{escalation.pk}/answer/", {"answer": ANSWER}
    )
    assert response.status_code == 404
    with pytest.raises(PermissionError):
        answer_escalation(escalation, acting_user=other_legal_officer, answer=ANSWER)
    escalation.refresh_from_db()
    assert escalation.is_open


def test_other_cases_stay_hidden_from_the_legal_officer(
    client, caseworker, legal_officer, case
):
    other = make_case(caseworker)
    escalate_case(case, acting_user=caseworker, question=QUESTION)
    assert list(cases_visible_to(legal_officer)) == [case]
    client.force_login(legal_officer)
    assert client.get(f"/oversight/cases/{other.pk}/").status_code == 404
    assert client.get(f"/oversight/persons/{other.primary_person_id}/").status_code == (
        404
    )
