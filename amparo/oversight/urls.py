from django.urls import path

from amparo.oversight import views

app_name = "oversight"

urlpatterns = [
    path("access/", views.grants, name="grants"),
    path("access/<uuid:grant_id>/end/", views.grant_end, name="grant_end"),
    path("cases/<uuid:case_id>/", views.case_review, name="case"),
    path("cases/<uuid:case_id>/escalate/", views.escalate, name="escalate"),
    path("persons/<uuid:person_id>/", views.person_review, name="person"),
    path("escalations/", views.escalations, name="escalations"),
    path("escalations/<uuid:escalation_id>/answer/", views.answer, name="answer"),
]
