"""URLs of the updates pages (public.py for residents, staff.py for signed-in staff)."""

from django.urls import path, re_path
from django.views.decorators.http import require_safe

from core.cache import public_page
from priorities.feeds import TeamUpdatesFeed
from priorities.views.updates import public, staff

_MONTH = r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})"
_TEAM = r"(?P<slug>[-a-zA-Z0-9_]+)"

urlpatterns: list = [
    path("teams/<slug:slug>/updates/", public.update_archive, name="update_archive"),
    # A feed is read, never posted to (GET and HEAD only, like every other public page), and
    # kept like a public page until the next public change.
    path("teams/<slug:slug>/updates/feed/", require_safe(public_page(TeamUpdatesFeed())), name="update_feed"),
    re_path(rf"^teams/{_TEAM}/updates/{_MONTH}/$", public.update_detail, name="update_detail"),
    re_path(rf"^teams/{_TEAM}/updates/{_MONTH}/revisions/$", public.update_revisions, name="update_revisions"),
    path("staff/updates/", staff.update_list, name="staff_update_list"),
    path("staff/updates/<int:pk>/correct/", staff.update_correct, name="staff_update_correct"),
    path("staff/updates/drafts/<int:pk>/", staff.draft_edit, name="staff_draft_edit"),
    path("staff/updates/drafts/<int:pk>/approve/", staff.draft_approve, name="staff_draft_approve"),
]
