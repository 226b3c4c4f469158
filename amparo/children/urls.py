from django.urls import path

from amparo.children import views

app_name = "children"

urlpatterns = [
    path("bids/", views.bids, name="bids"),
    path("figures/", views.figures_page, name="figures"),
    path("cases/<uuid:case_id>/bids/<str:bid>/", views.bid_decide, name="bid_decide"),
    path("cases/<uuid:case_id>/bids/<str:bid>/sign/", views.bid_sign, name="bid_sign"),
]
