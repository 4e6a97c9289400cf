"""URLs of residents' incident logs (public.py: the private link, no account; staff.py: the ward's team)."""

from django.urls import path

from priorities.views.incident_logs import public, staff

urlpatterns: list = [
    path("concerns/<str:reference>/log/", public.incident_log_start, name="incident_log_start"),
    path("logs/<str:token>/", public.incident_log, name="incident_log"),
    path("logs/<str:token>/turn-off/", public.incident_log_revoke, name="incident_log_revoke"),
    path(
        "staff/concerns/<str:reference>/logs/<int:pk>/turn-off/",
        staff.incident_log_revoke,
        name="staff_incident_log_revoke",
    ),
]
