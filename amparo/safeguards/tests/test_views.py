"""The safeguards pages: the worklists, the register, recording a fact (also from the
obligation it meets), the case's jurisdiction, the rules' explanations; each through
real HTTP, with the outsider kept out."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
import time_machine

from amparo.audit.models import AuditEvent
from amparo.cases.models import CaseEvent
from amparo.cases.tests.factories import make_case
from amparo.safeguards.models import CaseFact, CaseSafeguards
from amparo.safeguards.tests.factories import ZONE, detained_case, obligation, record

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
NOW = T0 + timedelta(hours=30)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def detained(caseworker):
    case = detained_case(caseworker, T0)
    record(case, caseworker, "nationality", T0, country="HND", status="claimed")
    return case


def _fact_url(case, **query):
    url = f"/obligations/cases/{case.pk}/facts/new/"
    return f"{url}?{urlencode(query)}" if query else url


def test_the_case_page_shows_its_obligations_with_a_way_to_meet_each(
    client, caseworker, detained
):
    client.force_login(caseworker)
    page = client.get(f"/cases/{detained.pk}/").content.decode()
    assert "Safeguards and deadlines" in page
    assert "Vulnerability screening" in page  # overdue, a live duty
    assert "/obligations/rules/detention.vulnerability_screening/" in page
    screening = obligation(detained, "detention.vulnerability_screening")
    meet = _fact_url(detained, kind="vulnerability_screened", obligation=screening.pk)
    assert meet.replace("&", "&amp;") in page
    # The facts, with their values in words, at the time and offset recorded.
    assert "Detention began" in page and ZONE in page
    assert "2026-03-02 16:00 (+0000)" in page
    # A deadline in the place's own time too (UTC-6): the screening, due at 16:00 UTC.
    assert "America/Mexico_City time: 03/03/2026 10 a.m." in page


def test_recording_the_fact_from_its_obligation_meets_it(client, caseworker, detained):
    screening = obligation(detained, "detention.vulnerability_screening")
    assert screening.status == "overdue"
    client.force_login(caseworker)
    form = client.get(
        _fact_url(detained, kind="vulnerability_screened", obligation=screening.pk)
    )
    # The episode and the place's zone come from the obligation.
    assert form.context["form"].initial["data_episode"] == "ep1"
    assert form.context["form"].initial["zone"] == ZONE
    response = client.post(
        _fact_url(detained),
        {
            "kind": "vulnerability_screened",
            "obligation": str(screening.pk),
            "at": "2026-03-03T11:00",
            "zone": ZONE,
            "data_episode": "ep1",
            "data_positive": "on",
            "data_needs": "SM, DS-BD",
        },
    )
    assert response.status_code == 302
    fact = CaseFact.objects.get(case=detained, kind="vulnerability_screened")
    assert fact.data == {"episode": "ep1", "positive": True, "needs": ["SM", "DS-BD"]}
    # 11:00 in Mexico City (UTC-6): after the 24 hours.
    assert fact.at == datetime(2026, 3, 3, 17, 0, tzinfo=UTC)
    # Shown as it was given: the local time and its offset.
    page = client.get(f"/cases/{detained.pk}/").content.decode()
    assert "2026-03-03 11:00 (-0600)" in page
    screening.refresh_from_db()
    assert screening.status == "met" and screening.met_late
    # A positive screen raises the review of alternatives.
    assert obligation(detained, "detention.alternatives_review").status == "open"
    line = CaseEvent.objects.get(
        case=detained, kind="fact_recorded", data__fact_kind="vulnerability_screened"
    )
    assert line.actor == caseworker
    assert AuditEvent.objects.filter(action="safeguards.fact.recorded").count() == 3


def test_a_bad_fact_is_refused_with_the_field_and_nothing_is_stored(
    client, caseworker, detained
):
    client.force_login(caseworker)
    before = CaseFact.objects.count()
    # A release before the detention began.
    response = client.post(
        _fact_url(detained),
        {
            "kind": "detention_ended",
            "at": "2026-03-01T08:00",
            "zone": ZONE,
            "data_episode": "ep1",
            "data_reason": "released",
        },
    )
    assert response.status_code == 200
    assert "contradicts the recorded facts" in str(
        response.context["form"].errors["at"]
    )
    # A required field left out.
    response = client.post(
        _fact_url(detained),
        {"kind": "consulate_notified", "at": "2026-03-03T08:00", "zone": ZONE},
    )
    assert set(response.context["form"].errors) == {"data_country", "data_about"}
    # A time in the future.
    response = client.post(
        _fact_url(detained),
        {
            "kind": "rights_informed",
            "at": "2027-01-01T08:00",
            "zone": ZONE,
            "data_language": "es",
        },
    )
    assert "future" in str(response.context["form"].errors["at"])
    assert CaseFact.objects.count() == before


def test_a_new_detention_gets_the_next_episode_id(client, caseworker, detained):
    client.force_login(caseworker)
    form = client.get(_fact_url(detained, kind="detention_started")).context["form"]
    assert form.fields["data_episode"].initial == "E2"
    kinds = client.get(_fact_url(detained)).content.decode()
    assert "?kind=detention_reviewed" in kinds


def test_worklists_and_register(client, caseworker, supervisor, detained):
    make_case(supervisor)  # no detention: not on the register
    client.force_login(caseworker)
    overdue = client.get("/obligations/?filter=overdue")
    rules = {o.rule_id for o in overdue.context["page"].items}
    assert rules == {"detention.vulnerability_screening", "consular.inform_rights"}
    assert detained.reference in overdue.content.decode()
    response = client.get("/obligations/register/")
    register = response.context["page"].items
    # The baseline sets no maximum: the episode is there by its indefinite-detention
    # risk, once.
    assert [(o.case_id, o.rule_id) for o in register] == [
        (detained.pk, "detention.indefinite_risk")
    ]
    # When the detention began, in the place's time, and for how long, counted now.
    assert register[0].detained_since.isoformat() == "2026-03-02T10:00:00-06:00"
    assert "1\xa0day, 6\xa0hours in detention" in response.content.decode()
    # A supervisor (the detention monitor) sees the team's register.
    client.force_login(supervisor)
    register = client.get("/obligations/register/").context["page"].items
    assert [o.case_id for o in register] == [detained.pk]
    # A cursor that is not ours goes back to the first page.
    assert client.get("/obligations/?after=nonsense").status_code == 302


def test_changing_the_jurisdiction_recomputes(client, caseworker, detained):
    client.force_login(caseworker)
    response = client.post(
        f"/obligations/cases/{detained.pk}/jurisdiction/", {"jurisdiction": "mexico"}
    )
    assert response.status_code == 302
    assert CaseSafeguards.objects.get(case=detained).jurisdiction == "mexico"
    client.post(
        f"/obligations/cases/{detained.pk}/jurisdiction/", {"jurisdiction": "atlantis"}
    )
    assert CaseSafeguards.objects.get(case=detained).jurisdiction == "mexico"


def test_a_rule_explains_itself_to_anyone_signed_in(client, statistician):
    client.force_login(statistician)
    page = client.get("/obligations/rules/consular.inform_rights/").content.decode()
    assert "Avena" in page and "VCCR art. 36(1)(b)" in page
    assert client.get("/obligations/rules/no.such_rule/").status_code == 404


def test_a_rule_explains_itself_in_the_readers_language(client, statistician):
    client.force_login(statistician)
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    page = client.get("/obligations/rules/consular.inform_rights/").content.decode()
    assert 'dir="rtl"' in page
    assert "اتفاقية فيينا" in page  # the Vienna Convention, in Arabic
    assert "Tell a detained foreign national" not in page


def test_the_outsider_sees_nothing(client, outsider, caseworker, detained):
    client.force_login(outsider)
    screening = obligation(detained, "detention.vulnerability_screening")
    assert client.get(_fact_url(detained)).status_code == 404
    assert (
        client.get(
            _fact_url(detained, kind="rights_informed", obligation=screening.pk)
        ).status_code
        == 404
    )
    response = client.post(
        _fact_url(detained),
        {
            "kind": "rights_informed",
            "at": "2026-03-03T08:00",
            "zone": ZONE,
            "data_language": "es",
        },
    )
    assert response.status_code == 404
    assert (
        client.post(
            f"/obligations/cases/{detained.pk}/jurisdiction/",
            {"jurisdiction": "mexico"},
        ).status_code
        == 404
    )
    assert client.get("/obligations/?filter=all").context["page"].items == []
    assert client.get("/obligations/register/").context["page"].items == []
    assert not CaseFact.objects.filter(kind="rights_informed").exists()


def test_an_obligation_of_another_case_is_not_found(client, caseworker, detained):
    other = detained_case(caseworker, T0)
    foreign = obligation(other, "detention.vulnerability_screening")
    client.force_login(caseworker)
    url = _fact_url(detained, kind="vulnerability_screened", obligation=foreign.pk)
    assert client.get(url).status_code == 404
    assert (
        client.get(
            _fact_url(detained, kind="rights_informed", obligation="x")
        ).status_code
        == 404
    )


def test_a_statistician_gets_no_worklist(client, statistician):
    client.force_login(statistician)
    assert client.get("/obligations/").status_code == 404
    assert client.get("/obligations/register/").status_code == 404


def test_the_register_through_the_api(api, detained):
    items = api.get("/api/v1/obligations/", {"filter": "register"}).json()["items"]
    assert [(o["case_id"], o["key"]) for o in items] == [(str(detained.pk), "ep1")]


def test_compliance_figures_for_a_supervisor(client, supervisor, caseworker, detained):
    record(
        detained,
        caseworker,
        "rights_informed",
        T0 + timedelta(hours=3),
        language="es",
    )
    client.force_login(supervisor)
    response = client.get("/obligations/compliance/")
    figures = response.context["figures"]
    assert figures.informed_within_24h.numerator == 1
    assert figures.informed_within_24h.denominator == 1
    assert figures.persons_detained == 1
    page = response.content.decode()
    assert "100 %" in page and "1 / 1" in page
    # A period without the detention; a period that ends before it starts.
    empty = client.get(
        "/obligations/compliance/", {"start": "2025-01-01", "end": "2025-01-31"}
    ).context["figures"]
    assert empty.persons_detained == 0 and empty.informed_within_24h.share is None
    bad = client.get(
        "/obligations/compliance/", {"start": "2026-03-05", "end": "2026-03-01"}
    )
    assert "end comes before the start" in bad.content.decode()


def test_compliance_figures_are_a_supervisors_page(client, caseworker, outsider):
    for user in (caseworker, outsider):
        client.force_login(user)
        assert client.get("/obligations/compliance/").status_code == 404


def test_a_worklist_page_costs_the_same_queries_for_many_rows(
    client, caseworker, django_assert_max_num_queries
):
    for _ in range(12):
        case = detained_case(caseworker, T0)
        record(case, caseworker, "nationality", T0, country="HND", status="claimed")
    client.force_login(caseworker)
    client.get("/obligations/?filter=all")
    with django_assert_max_num_queries(8):
        page = client.get("/obligations/?filter=all")
    assert len(page.context["page"].items) == 50
