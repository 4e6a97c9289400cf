"""URLs of the events pages (public.py for residents, staff.py for signed-in staff)."""

urlpatterns: list = []
