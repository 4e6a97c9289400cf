"""URLs of the staff pages about a team's people: who covers which ward."""

from django.urls import path

from priorities.views.team import staff

urlpatterns: list = [
    path("staff/team/", staff.team_home, name="staff_team"),
    path("staff/teams/<slug:slug>/officers/", staff.team_officers, name="staff_team_officers"),
    path("staff/officers/<int:pk>/wards/", staff.officer_wards, name="staff_officer_wards"),
]
