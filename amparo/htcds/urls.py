from django.urls import path

from amparo.htcds import views

app_name = "htcds"

urlpatterns = [
    path("import/", views.import_file, name="import"),
]
