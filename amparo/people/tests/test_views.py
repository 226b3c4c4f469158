import re

import pytest
from django.urls import reverse

from amparo.audit.models import AuditEvent
from amparo.people.models import Person
from amparo.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "names-TOTAL_FORMS": "2",
        "names-INITIAL_FORMS": "0",
        "names-0-given_names": "Aminata",
        "names-0-family_names": "Diallo",
        "names-0-kind": "primary",
        "names-1-given_names": "",
        "names-1-family_names": "",
        "names-1-kind": "alias",
        "nationalities-TOTAL_FORMS": "1",
        "nationalities-INITIAL_FORMS": "0",
        "nationalities-0-country": "GIN",
        "nationalities-0-status": "claimed",
        "sex": "F",
        "birth_date_precision": "day",
    }
    data.update(overrides)
    return data


def test_register_person_through_the_form(client, caseworker):
    client.force_login(caseworker)
    response = client.post(reverse("people:register"), _form())
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.display_name == "Aminata Diallo"
    assert person.nationalities.get().country == "GIN"
    assert AuditEvent.objects.filter(action="people.person.registered").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"names-0-given_names": "", "names-0-family_names": ""},
            "Enter at least one name",
        ),
        ({"birth_date": "2999-01-01"}, "cannot be in the future"),
        ({"estimated_age": "130"}, "between 0 and 120"),
        ({"estimated_age": "-3"}, "between 0 and 120"),
        ({"nationalities-0-country": "ABC"}, "Select a valid choice"),
        ({"preferred_language": "zz"}, "Select a valid choice"),
    ],
)
def test_bad_input_shows_the_error_on_the_form_and_saves_nothing(
    client, caseworker, overrides, message
):
    client.force_login(caseworker)
    response = client.post(reverse("people:register"), _form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.exists()


def test_names_in_any_script_are_rendered_escaped(client, caseworker):
    person = make_person(caseworker, "<script>alert(1)</script>", "محمد")
    client.force_login(caseworker)
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; محمد" in page


def test_edit_keeps_the_form_prefilled_and_saves(client, caseworker):
    person = make_person(caseworker, "Olena", "Kovalenko")
    client.force_login(caseworker)
    page = client.get(reverse("people:edit", args=[person.pk])).content.decode()
    assert 'value="Olena"' in page
    data = _form(
        **{"names-0-given_names": "Olena", "names-0-family_names": "Kowalenko"}
    )
    response = client.post(reverse("people:edit", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.display_name == "Olena Kowalenko"


def test_search_page_lists_matches(client, caseworker):
    make_person(caseworker, "Mohamed", "Al Hassan")
    client.force_login(caseworker)
    page = client.get(reverse("people:list"), {"q": "محمد الحسن"}).content.decode()
    assert "Mohamed Al Hassan" in page


def test_a_bad_cursor_goes_back_to_the_first_page(client, caseworker):
    client.force_login(caseworker)
    response = client.get(reverse("people:list"), {"after": "not-a-cursor"})
    assert response.status_code == 302


def test_codes_are_shown_as_names_in_the_reader_language(client, caseworker):
    person = make_person(
        caseworker,
        nationalities=("SYR",),
        preferred_language="ar",
        vulnerabilities=["UAM"],
    )
    client.force_login(caseworker)
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Syrian Arab Republic" in page
    assert "Unaccompanied child" in page
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "الجمهوريّة العربيّة السّوريّة" in page


def test_editing_keeps_codes_outside_the_short_web_lists(client, caseworker):
    """Kabyle is not in the form's short list, but a record from the API may hold it;
    saving the form must keep it, and keep an explicit script."""
    person = make_person(
        caseworker, "Amina", "Diallo", preferred_language="kab", languages=["kab", "fr"]
    )
    person.names.update(script="Latn")
    client.force_login(caseworker)
    page = client.get(reverse("people:edit", args=[person.pk])).content.decode()
    assert 'value="kab"' in page
    data = _form(
        **{
            "preferred_language": "kab",
            "languages": ["kab", "fr"],
            "names-0-script": "Latn",
            # As the browser posts it: the one stored name is an initial form.
            "names-INITIAL_FORMS": "1",
        }
    )
    response = client.post(reverse("people:edit", args=[person.pk]), data)
    assert response.status_code == 302, re.findall(
        r"(?:invalid-feedback|alert)[^>]*>([^<]+)", response.content.decode()
    )
    person.refresh_from_db()
    assert (person.preferred_language, person.languages) == ("kab", ["kab", "fr"])
    assert person.names.get(kind="primary").script == "Latn"
