"""URLs of the concerns pages (public.py for residents, staff.py for signed-in staff)."""

urlpatterns: list = []
