"""URLs of the concerns pages (public.py for residents, staff.py for signed-in staff)."""

from django.urls import path

from priorities.views.concerns import public, staff

urlpatterns: list = [
    path("wards/<ward:code>/concerns/", public.ward_concerns, name="ward_concerns"),
    path("wards/<ward:code>/concerns/new/", public.concern_new, name="concern_new"),
    path("concerns/follow/", public.concern_follow_lookup, name="concern_follow_lookup"),
    path("concerns/stop/<str:token>/", public.concern_follow_stop_view, name="concern_follow_stop"),
    path("concerns/<str:code>/", public.concern_status, name="concern_status"),
    path("concerns/<str:code>/sent/", public.concern_raised, name="concern_raised"),
    path("concerns/<str:code>/how-did-we-do/", public.concern_satisfaction, name="concern_satisfaction"),
    path("staff/concerns/", staff.concern_queue, name="staff_concerns"),
    path("staff/concerns/new/", staff.concern_new, name="staff_concern_new"),
    path("staff/concerns/<str:reference>/", staff.concern_detail, name="staff_concern"),
    path("staff/concerns/<str:reference>/accept/", staff.concern_accept, name="staff_concern_accept"),
    path("staff/concerns/<str:reference>/shortlist/", staff.concern_shortlist, name="staff_concern_shortlist"),
    path("staff/concerns/<str:reference>/reject/", staff.concern_reject, name="staff_concern_reject"),
    path("staff/concerns/<str:reference>/merge/", staff.concern_merge, name="staff_concern_merge"),
]
