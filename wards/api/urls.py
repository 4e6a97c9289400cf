"""Addresses of the wards API, included under /api/v1/ (namespace "api") by pact.urls."""

from django.urls import path

from wards.api import views

urlpatterns = [
    path("districts/", views.DistrictList.as_view(), name="district_list"),
    path("wards/", views.WardList.as_view(), name="ward_list"),
    path("wards/<str:code>/", views.WardDetail.as_view(), name="ward_detail"),
    path("teams/", views.TeamList.as_view(), name="team_list"),
    path("teams/<int:id>/", views.TeamDetail.as_view(), name="team_detail"),
]
