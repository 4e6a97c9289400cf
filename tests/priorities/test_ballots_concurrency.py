"""Twenty submissions of one member's vote at once leave exactly one vote (real PostgreSQL)."""

import threading

import pytest
from django.db import connection

from priorities.errors import PrioritiesError
from priorities.models import Ballot, Vote
from priorities.services import ballots as services
from tests.priorities.factories import ballot_meeting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20


def test_vote_record_concurrent_submissions_leave_one_vote(ward_a, chair):
    setup = ballot_meeting(ward_a, chair_user=chair)
    ballot = services.ballot_open(actor=chair, meeting=setup.meeting, ward=ward_a, method=Ballot.Method.MEMBERS)
    option = ballot.options.first()
    member = setup.members[0]
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            barrier.wait()
            services.ballot_vote_record(actor=chair, ballot=ballot, member=member, options=[option])
            outcomes.append("recorded")
        except PrioritiesError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Vote.objects.filter(ballot=ballot, member=member).count() == 1
    assert outcomes.count("recorded") == 1
    assert outcomes.count(str(services.ERROR_ALREADY_VOTED)) == THREADS - 1
