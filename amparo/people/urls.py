from django.urls import path

from amparo.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("register/", views.person_register, name="register"),
    path("<uuid:person_id>/", views.person_detail, name="detail"),
    path("<uuid:person_id>/edit/", views.person_edit, name="edit"),
    path("<uuid:person_id>/consent/", views.consent_record, name="consent"),
    path(
        "<uuid:person_id>/consent/<uuid:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
]
