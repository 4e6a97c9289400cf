"""URLs of the satisfaction-after-a-concern report (staff.py). Residents answer on a concern's
status page (priorities), which keeps the answer through core.satisfaction."""

from django.urls import path

from feedback.views.satisfaction import staff

urlpatterns: list = [
    path("staff/satisfaction/", staff.report, name="staff_satisfaction_report"),
]
