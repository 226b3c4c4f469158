from django.urls import path

from amparo.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.overview, name="overview"),
    path(
        "erasure/request/<uuid:person_id>/",
        views.erasure_request,
        name="erasure_request",
    ),
    path("erasure/<uuid:erasure_id>/", views.erasure_detail, name="erasure"),
    path(
        "erasure/<uuid:erasure_id>/decide/",
        views.erasure_decide,
        name="erasure_decide",
    ),
]
