from django.urls import path

from amparo.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("open/<uuid:person_id>/", views.case_open, name="open"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path(
        "<uuid:case_id>/<str:change>/",
        views.case_change,
        name="change",
    ),
]
