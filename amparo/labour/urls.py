from django.urls import path

from amparo.labour import views

app_name = "labour"

urlpatterns = [
    path("employers/", views.employer_list, name="employers"),
    path("employers/<uuid:employer_id>/", views.employer_detail, name="employer"),
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/<uuid:complaint_id>/", views.complaint_detail, name="complaint"),
    path(
        "cases/<uuid:case_id>/complaints/new/",
        views.complaint_new,
        name="complaint_new",
    ),
    path("cases/<uuid:case_id>/checklist/", views.checklist_new, name="checklist"),
]
