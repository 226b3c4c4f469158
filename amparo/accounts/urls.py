from django.urls import path

from amparo.accounts import admin_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    # Not under two-factor/: the two-factor middleware lets unverified sessions reach
    # those pages, and new recovery codes need a verified one.
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("users/", admin_views.user_list, name="user_list"),
    path("users/new/", admin_views.user_create, name="user_create"),
    path("users/<int:user_id>/", admin_views.user_edit, name="user_edit"),
    path(
        "users/<int:user_id>/deactivate/",
        admin_views.user_deactivate,
        name="user_deactivate",
    ),
    path(
        "users/<int:user_id>/reactivate/",
        admin_views.user_reactivate,
        name="user_reactivate",
    ),
    path(
        "users/<int:user_id>/reset-two-factor/",
        admin_views.user_reset_two_factor,
        name="user_reset_two_factor",
    ),
]
