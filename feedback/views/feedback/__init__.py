"""URLs of the feedback pages (public.py for residents, staff.py for the triage queue)."""

from django.urls import path

from feedback.views.feedback import public, staff

urlpatterns: list = [
    path("have-your-say/", public.start, name="start"),
    path("have-your-say/sent/<str:reference>/", public.sent, name="sent"),
    path("have-your-say/<str:kind>/", public.give, name="give"),
    path("staff/feedback/", staff.queue, name="staff_queue"),
    path("staff/feedback/<str:reference>/", staff.detail, name="staff_detail"),
    path("staff/feedback/<str:reference>/assign/", staff.assign, name="staff_assign"),
    path("staff/feedback/<str:reference>/status/", staff.status, name="staff_status"),
    path("staff/feedback/<str:reference>/note/", staff.note, name="staff_note"),
    path("staff/feedback/<str:reference>/reply/", staff.reply, name="staff_reply"),
    path("staff/feedback/<str:reference>/officer/", staff.officer, name="staff_officer"),
]
