"""URLs of the ballots pages (public.py for residents, staff.py for signed-in staff)."""

from django.urls import path

from priorities.views.ballots import after, public, staff

urlpatterns: list = [
    path("ballots/<int:pk>/", public.ballot_result, name="ballot_result"),
    path("staff/ballots/", staff.ballot_list, name="staff_ballots"),
    path("staff/ballots/open/<int:meeting_pk>/", staff.ballot_open, name="staff_ballot_open"),
    path("staff/ballots/<int:pk>/", staff.ballot_detail, name="staff_ballot"),
    path("staff/ballots/<int:pk>/vote/", staff.ballot_vote, name="staff_ballot_vote"),
    path("staff/ballots/<int:pk>/hands/", staff.ballot_hands, name="staff_ballot_hands"),
    path("staff/ballots/<int:pk>/casting-vote/", staff.ballot_casting_vote, name="staff_ballot_casting_vote"),
    path("staff/ballots/<int:pk>/close/", staff.ballot_close, name="staff_ballot_close"),
    path("staff/ballots/<int:pk>/options/add/", staff.ballot_option_add, name="staff_ballot_option_add"),
    path("staff/ballots/<int:pk>/options/remove/", staff.ballot_option_remove, name="staff_ballot_option_remove"),
    path("staff/ballots/<int:pk>/cancel/", staff.ballot_cancel, name="staff_ballot_cancel"),
    path("staff/ballots/<int:pk>/adopt/", after.ballot_adopt, name="staff_ballot_adopt"),
    path("staff/ballots/<int:pk>/reopen/", after.ballot_reopen, name="staff_ballot_reopen"),
]
