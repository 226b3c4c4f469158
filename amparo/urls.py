from django.urls import include, path

from amparo.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("amparo.accounts.urls")),
    path("people/", include("amparo.people.urls")),
    path("cases/", include("amparo.cases.urls")),
    path("audit/", include("amparo.audit.urls")),
    path("referrals/", include("amparo.referrals.urls")),
    path("disclosures/", include("amparo.disclosures.urls")),
    path("oversight/", include("amparo.oversight.urls")),
    path("retention/", include("amparo.retention.urls")),
    path("obligations/", include("amparo.safeguards.urls")),
    path("children/", include("amparo.children.urls")),
    path("protection/", include("amparo.protection.urls")),
    path("services/", include("amparo.services.urls")),
    path("labour/", include("amparo.labour.urls")),
    path("witnesses/", include("amparo.witnesses.urls")),
    path("api/", api.urls),
    path("", include("amparo.web.urls")),
]
