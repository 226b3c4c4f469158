from django.urls import path

from amparo.protection import views

app_name = "protection"

urlpatterns = [
    path("cases/<uuid:case_id>/screening/", views.screen, name="screen"),
]
