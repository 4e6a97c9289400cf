"""URLs of the workspace pages (public.py for residents, staff.py for signed-in staff)."""

urlpatterns: list = []
