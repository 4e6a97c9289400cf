"""URLs of the updates pages (public.py for residents, staff.py for signed-in staff)."""

urlpatterns: list = []
