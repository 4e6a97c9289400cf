"""Addresses of the wards API, included under /api/v1/ (namespace "api") by pact.urls."""

from django.urls import path

from wards.api import views

urlpatterns = [
    path("districts/", views.DistrictList.as_view(), name="district_list"),
    path("wards/", views.WardList.as_view(), name="ward_list"),
    # Any code is answered in JSON, a 404 naming it when there is no such ward: not the converter.
    path("wards/<str:code>/", views.WardDetail.as_view(), name="ward_detail"),
    path("teams/", views.TeamList.as_view(), name="team_list"),
    path("teams/<int:id>/", views.TeamDetail.as_view(), name="team_detail"),
]
