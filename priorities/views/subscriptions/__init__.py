"""URLs of the subscriptions pages (public.py for residents, staff.py for signed-in staff)."""

urlpatterns: list = []
