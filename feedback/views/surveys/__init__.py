"""URLs of the consultation survey pages (public.py for residents, staff.py for administrators)."""

from django.urls import path

from feedback.views.surveys import public, staff

urlpatterns: list = [
    path("surveys/", public.survey_list, name="surveys"),
    path("surveys/<slug:slug>/", public.survey_detail, name="survey"),
    path("surveys/<slug:slug>/thank-you/", public.survey_answered, name="survey_answered"),
    path("surveys/<slug:slug>/results/", public.survey_results, name="survey_results"),
    path("staff/surveys/", staff.survey_list, name="staff_surveys"),
    path("staff/surveys/new/", staff.survey_create_view, name="staff_survey_create"),
    path("staff/surveys/<slug:slug>/edit/", staff.survey_edit, name="staff_survey_edit"),
    path("staff/surveys/<slug:slug>/preview/", staff.survey_preview, name="staff_survey_preview"),
    path("staff/surveys/<slug:slug>/open/", staff.survey_open_view, name="staff_survey_open"),
    path("staff/surveys/<slug:slug>/close/", staff.survey_close_view, name="staff_survey_close"),
    path("staff/surveys/<slug:slug>/export.csv", staff.survey_export, name="staff_survey_export"),
    path("staff/surveys/<slug:slug>/comments/", staff.survey_comments, name="staff_survey_comments"),
    path(
        "staff/surveys/<slug:slug>/comments/<int:pk>/concern/",
        staff.survey_comment_concern,
        name="staff_survey_comment_concern",
    ),
]
