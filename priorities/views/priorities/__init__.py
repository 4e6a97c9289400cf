"""URLs of the priorities pages (public.py for residents, staff.py for signed-in staff).

A priority's progress has its own pages (priorities.views.progress).
"""

from django.urls import path

from priorities.views.priorities import public, staff

urlpatterns: list = [
    path("priorities/<int:pk>/", public.priority_detail, name="priority_detail"),
    path("wards/<ward:code>/priorities/", public.ward_priorities, name="ward_priorities"),
    path("staff/priorities/<int:pk>/edit/", staff.priority_edit, name="staff_priority_edit"),
    path("staff/priorities/<int:pk>/resolve/", staff.priority_resolve, name="staff_priority_resolve"),
]
