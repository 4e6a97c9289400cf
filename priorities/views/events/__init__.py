"""URLs of the events pages (public.py for residents, staff.py for signed-in staff)."""

from django.urls import path

from priorities.views.events import public, staff

urlpatterns: list = [
    path("events/<uuid:uid>/", public.event_detail, name="event_detail"),
    path("events/<uuid:uid>/support/", public.meeting_support, name="meeting_support"),
    path("events/<uuid:uid>/support/sent/", public.meeting_support_sent, name="meeting_support_sent"),
    path("events/support/<str:token>/", public.meeting_support_confirm, name="meeting_support_confirm"),
    path("wards/<ward:code>/events/", public.ward_events, name="ward_events"),
    path("wards/<ward:code>/events.ics", public.ward_feed, name="ward_feed"),
    path("teams/<slug:slug>/events.ics", public.team_feed, name="team_feed"),
    path("staff/events/", staff.event_list, name="staff_event_list"),
    path("staff/events/new/", staff.event_schedule, name="staff_event_schedule"),
    path("staff/events/record-past/", staff.event_record_past, name="staff_event_record_past"),
    path("staff/events/<int:pk>/edit/", staff.event_edit, name="staff_event_edit"),
    path("staff/events/<int:pk>/cancel/", staff.event_cancel, name="staff_event_cancel"),
    path("staff/events/<int:pk>/move/", staff.event_move, name="staff_event_move"),
    path("staff/events/<int:pk>/agenda/", staff.event_agenda, name="staff_event_agenda"),
    path("staff/events/<int:pk>/held/", staff.event_record_held, name="staff_event_held"),
]
