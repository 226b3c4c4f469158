"""The project's pages with the HTCDS page, for tests until amparo/urls.py includes it
(`path("htcds/", include("amparo.htcds.urls"))`)."""

from django.urls import include, path

from amparo.urls import urlpatterns as project

urlpatterns = [path("htcds/", include("amparo.htcds.urls")), *project]
