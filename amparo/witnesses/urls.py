from django.urls import path

from amparo.witnesses import views

app_name = "witnesses"

urlpatterns = [
    path("people/<uuid:person_id>/", views.person_protection, name="person"),
    path("people/<uuid:person_id>/identity/", views.identity_edit, name="identity"),
    path(
        "people/<uuid:person_id>/<str:change>/",
        views.protection_change,
        name="change",
    ),
    path("requests/", views.request_list, name="requests"),
    path(
        "requests/<uuid:request_id>/<str:decision>/",
        views.request_decide,
        name="decide",
    ),
]
