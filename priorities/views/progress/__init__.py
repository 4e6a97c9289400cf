"""URLs of the progress pages (public.py for residents, staff.py for signed-in staff)."""

urlpatterns: list = []
