"""URLs of the partnership reports (staff.py: signed-in staff of every role)."""

from django.urls import path

from priorities.views.reports import staff

urlpatterns: list = [
    path("staff/reports/priorities/", staff.partnership_report, name="staff_partnership_report"),
    path("staff/reports/priorities.csv", staff.partnership_report_csv, name="staff_partnership_report_csv"),
]
