"""URLs of the news pages (public.py for residents, staff.py for signed-in staff)."""

urlpatterns: list = []
