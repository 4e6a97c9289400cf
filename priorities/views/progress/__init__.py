"""URLs of the progress pages (the public timeline is on the priority's page; staff.py for signed-in staff)."""

from django.urls import path

from priorities.views.progress import staff

urlpatterns: list = [
    path("staff/priorities/<int:pk>/progress/", staff.progress_list, name="staff_progress"),
    path("staff/priorities/<int:pk>/progress/new/", staff.progress_add, name="staff_progress_add"),
    path("staff/priorities/<int:pk>/progress/<int:entry_pk>/edit/", staff.progress_edit, name="staff_progress_edit"),
    path(
        "staff/priorities/<int:pk>/progress/<int:entry_pk>/withdraw/",
        staff.progress_withdraw,
        name="staff_progress_withdraw",
    ),
]
