"""While a DPO holds a grant and an escalation is open, everyone without a part in
them gets 404 on every oversight page, and nothing changes."""

import pytest

from amparo.audit.models import AuditEvent
from amparo.oversight.actions import escalate_case, grant_content_access
from amparo.oversight.models import ContentAccessGrant, Escalation
from amparo.oversight.tests.conftest import REASON

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "persona",
    ["outsider", "enforcer", "statistician", "agency_admin", "sysadmin", "other_dpo"],
)
def test_404_everywhere(client, request, persona, caseworker, dpo, case, child):
    grant = grant_content_access(case, dpo=dpo, reason=REASON, hours=8)
    escalation = escalate_case(case, acting_user=caseworker, question="Lawful?")
    user = request.getfixturevalue(persona)
    client.force_login(user)
    for method, url, data in [
        ("get", "/oversight/access/", {}),
        (
            "post",
            "/oversight/access/",
            {"reference": case.reference, "reason": REASON, "hours": 1},
        ),
        ("post", f"/oversight/access/{grant.pk}/end/", {}),
        ("get", f"/oversight/cases/{case.pk}/", {}),
        ("get", f"/oversight/persons/{child.pk}/", {}),
        ("get", f"/oversight/persons/{case.primary_person_id}/", {}),
        ("get", f"/oversight/cases/{case.pk}/escalate/", {}),
        ("post", f"/oversight/cases/{case.pk}/escalate/", {"question": "x"}),
        ("get", "/oversight/escalations/", {}),
        ("post", f"/oversight/escalations/{escalation.pk}/answer/", {"answer": "x"}),
    ]:
        if persona == "other_dpo" and url == "/oversight/access/":
            continue  # their own page, for their own agency's cases
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)
    assert AuditEvent.objects.filter(actor=user, action="access.denied").count() >= 8
    assert ContentAccessGrant.objects.count() == 1
    assert Escalation.objects.get().is_open
    grant.refresh_from_db()
    assert grant.revoked_at is None
