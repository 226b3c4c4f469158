from django.urls import path

from amparo.safeguards import views

app_name = "safeguards"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("register/", views.register, name="register"),
    path("compliance/", views.compliance_figures, name="compliance"),
    path("rules/<str:rule_id>/", views.rule, name="rule"),
    path("cases/<uuid:case_id>/facts/new/", views.fact_new, name="fact_new"),
    path(
        "cases/<uuid:case_id>/legal-decision/",
        views.legal_decision,
        name="legal_decision",
    ),
    path(
        "cases/<uuid:case_id>/jurisdiction/",
        views.jurisdiction,
        name="jurisdiction",
    ),
]
