from django.urls import path

from amparo.services import views

app_name = "services"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("providers/new/", views.provider_edit, name="provider_new"),
    path("providers/<uuid:provider_id>/", views.provider_edit, name="provider_edit"),
    path("cases/<uuid:case_id>/refer/", views.refer, name="refer"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<uuid:referral_id>/", views.referral_detail, name="referral"),
    path(
        "referrals/<uuid:referral_id>/<str:move>/",
        views.referral_move,
        name="referral_move",
    ),
]
