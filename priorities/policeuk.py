"""The events and priorities methods of the police.uk-compatible API (see wards/policeuk).

Included by pact/urls.py under /api/, beside the wards app's methods, with the same rate
limit, methods, CORS header, cache and 404s.
"""

from django.urls import path

from priorities.selectors import policeuk as selectors
from wards.policeuk.views import ward_method

events = ward_method("events", selectors.neighbourhood_events)
priorities = ward_method("priorities", selectors.neighbourhood_priorities)

app_name = "policeuk_priorities"

urlpatterns = [
    path("kent/<ward:code>/events", events, name="events"),
    path("kent/<ward:code>/priorities", priorities, name="priorities"),
]
