import pytest

from amparo.cases.models import Case
from amparo.cases.tests.factories import make_case
from amparo.people.tests.factories import give_consent, make_person

pytestmark = pytest.mark.django_db


def test_open_a_case_from_the_person_page(client, caseworker):
    person = make_person(caseworker)
    client.force_login(caseworker)
    response = client.post(
        f"/cases/open/{person.pk}/",
        {
            "types": ["child", "victim"],
            "risk": "high",
            "reason": "Alone at the border.",
            "assigned_to": caseworker.pk,
            "basis": "vital_interest",
            "justification": "Alone at night at the border, no guardian reachable.",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert sorted(t.code for t in case.types.all()) == ["child", "victim"]
    basis = person.consents.get()
    assert (basis.purpose, basis.basis) == ("case_management", "vital_interest")


def test_a_case_needs_a_lawful_basis_for_case_management(client, caseworker):
    person = make_person(caseworker)
    client.force_login(caseworker)
    form = {"types": ["general"], "risk": "low", "reason": "Needs shelter."}
    page = client.get(f"/cases/open/{person.pk}/").content.decode()
    assert "Lawful basis for case management" in page
    refused = client.post(f"/cases/open/{person.pk}/", form | {"basis": "consent"})
    assert "Say how consent was obtained." in refused.content.decode()
    assert not Case.objects.exists() and not person.consents.exists()
    # Once a basis is recorded, the form no longer asks for one.
    give_consent(person, caseworker, "case_management")
    page = client.get(f"/cases/open/{person.pk}/").content.decode()
    assert "Lawful basis for case management" not in page
    assert client.post(f"/cases/open/{person.pk}/", form).status_code == 302


def test_open_case_form_errors_are_shown(client, caseworker):
    person = make_person(caseworker)
    client.force_login(caseworker)
    response = client.post(f"/cases/open/{person.pk}/", {"risk": "high", "reason": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Case.objects.exists()


def test_note_appears_on_the_case_page_with_the_timeline(client, caseworker):
    case = make_case(caseworker)
    client.force_login(caseworker)
    client.post(f"/cases/{case.pk}/note/", {"body": "Visited the shelter."})
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Visited the shelter." in page
    assert "Note added" in page
    assert "Case opened" in page


def test_an_invalid_change_is_400_with_the_message(client, caseworker):
    case = make_case(caseworker)
    client.force_login(caseworker)
    response = client.post(
        f"/cases/{case.pk}/close/", {"closure_reason": "other", "closure_note": ""}
    )
    assert response.status_code == 400
    assert "Explain the reason for closing." in response.content.decode()
    assert Case.objects.get().status == "open"


def test_an_unknown_change_is_404(client, caseworker):
    case = make_case(caseworker)
    client.force_login(caseworker)
    assert client.post(f"/cases/{case.pk}/explode/", {}).status_code == 404


def test_changes_only_accept_post(client, caseworker):
    case = make_case(caseworker)
    client.force_login(caseworker)
    assert client.get(f"/cases/{case.pk}/note/").status_code == 405


def test_case_list_filters_and_pages(
    client, caseworker, supervisor, django_assert_max_num_queries
):
    for risk in ("high", "low", "high"):
        make_case(caseworker, risk=risk)
    client.force_login(caseworker)
    with django_assert_max_num_queries(8):
        page = client.get("/cases/", {"risk": "high"}).content.decode()
    assert page.count("A-20") == 2
    assert "Next page" not in page


def test_dashboard_lists_my_open_cases(client, caseworker, supervisor):
    mine = make_case(caseworker)
    theirs = make_case(supervisor)
    client.force_login(caseworker)
    page = client.get("/").content.decode()
    my_section = page.split('id="my-cases"')[1].split('id="recent-cases"')[0]
    assert mine.reference in my_section
    assert theirs.reference not in my_section


def test_add_a_family_member_found_by_search(client, caseworker):
    case = make_case(caseworker)
    child = make_person(caseworker, "Saba", "Tekle")
    client.force_login(caseworker)
    page = client.get(
        f"/cases/{case.pk}/", {"member_q": "Saba Teklay"}
    ).content.decode()
    assert f'value="{child.pk}"' in page
    form = {"person": str(child.pk), "relationship": "child"}
    # Her own lawful basis for case management comes first.
    refused = client.post(f"/cases/{case.pk}/member/", form, follow=True)
    assert "No consent or other lawful basis" in refused.content.decode()
    assert not case.members.exists()
    give_consent(child, caseworker, "case_management")
    response = client.post(f"/cases/{case.pk}/member/", form)
    assert response.status_code == 302
    assert [(m.person, m.relationship) for m in case.members.all()] == [
        (child, "child")
    ]
    assert "Saba Tekle" in client.get(f"/cases/{case.pk}/").content.decode()


def test_a_person_of_another_agency_cannot_be_added(client, caseworker, outsider):
    case = make_case(caseworker)
    stranger = make_person(outsider, "Yonas", "Haile")
    client.force_login(caseworker)
    response = client.post(
        f"/cases/{case.pk}/member/",
        {"person": str(stranger.pk), "relationship": "other"},
    )
    assert response.status_code == 404
    assert not case.members.exists()


def test_a_change_to_a_closed_case_is_refused_with_a_visible_message(
    client, caseworker
):
    case = make_case(caseworker)
    client.force_login(caseworker)
    client.post(f"/cases/{case.pk}/close/", {"closure_reason": "goals_met"})
    again = client.post(
        f"/cases/{case.pk}/close/", {"closure_reason": "goals_met"}, follow=True
    )
    assert "The case is already closed." in again.content.decode()
    note = client.post(f"/cases/{case.pk}/note/", {"body": "late"}, follow=True)
    assert "reopen it to change it" in note.content.decode()
    assert not case.notes.exists()
