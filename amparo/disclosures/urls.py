from django.urls import path

from amparo.disclosures import views

app_name = "disclosures"

urlpatterns = [
    path("overrides/", views.override_list, name="override_list"),
    path("overrides/new/<uuid:case_id>/", views.override_new, name="override_new"),
    path(
        "overrides/<uuid:override_id>/",
        views.override_detail,
        name="override_detail",
    ),
    path(
        "overrides/<uuid:override_id>/decide/",
        views.override_decide,
        name="override_decide",
    ),
    path("exports/", views.export_list, name="export_list"),
    path("exports/new/<uuid:case_id>/", views.export_new, name="export_new"),
    path("exports/<uuid:export_id>/", views.export_detail, name="export_detail"),
    path("exports/<uuid:export_id>/decide/", views.export_decide, name="export_decide"),
    path(
        "exports/<uuid:export_id>/download/",
        views.export_download,
        name="export_download",
    ),
]
