"""URLs of the ballots pages (public.py for residents, staff.py for signed-in staff)."""

urlpatterns: list = []
