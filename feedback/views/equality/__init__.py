"""URLs of equality monitoring for PACT participants (public.py) and its staff pages (staff.py)."""

from django.urls import path

from feedback.views.equality import public, staff

urlpatterns: list = [
    path("events/<uuid:uid>/about-you/", public.meeting_about_you, name="meeting_about_you"),
    path("events/<uuid:uid>/about-you/thank-you/", public.meeting_about_you_done, name="meeting_about_you_done"),
    path("have-your-say/sent/<str:reference>/about-you/", public.feedback_about_you, name="feedback_about_you"),
    path(
        "have-your-say/sent/<str:reference>/about-you/thank-you/",
        public.feedback_about_you_done,
        name="feedback_about_you_done",
    ),
    path("panels/<int:pk>/about-you/", public.panel_about_you, name="panel_about_you"),
    path("panels/<int:pk>/about-you/thank-you/", public.panel_about_you_done, name="panel_about_you_done"),
    path("staff/events/<int:pk>/monitoring-forms/", staff.paper_forms, name="staff_equality_paper"),
    path("staff/equality/", staff.report, name="staff_equality_report"),
    path("staff/equality/export.csv", staff.report_export, name="staff_equality_export"),
]
