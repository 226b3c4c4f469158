from django.urls import path

from amparo.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/<uuid:case_id>/", views.referral_new, name="new"),
    path("agreements/", views.agreement_list, name="agreements"),
    path(
        "agreements/<uuid:agreement_id>/end/", views.agreement_end, name="agreement_end"
    ),
    path("<uuid:referral_id>/", views.referral_detail, name="detail"),
    path("<uuid:referral_id>/<str:answer>/", views.referral_answer, name="answer"),
]
