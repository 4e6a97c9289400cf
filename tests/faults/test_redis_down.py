"""Redis stopped: public pages still answer, forms still save, and the emails they queued are
sent, once each, when Redis is back.

gunicorn and a Celery worker run on a Redis of the test's own (cache and broker), which is
killed and started again; the shared Redis of the machine is never touched.
"""

import itertools
from collections import Counter

import pytest
from django.urls import reverse

from core.models import OutboundEmail
from feedback.models import Feedback
from priorities.models import Concern, Subscription
from tests.conftest import _test_database_url
from tests.faults.conftest import send_task
from tests.faults.servers import REQUEST_SECONDS, WebServer, Worker, app_env, form_post, resident, wait_for
from tests.priorities.factories import CategoryFactory
from tests.wards.factories import PostcodeFactory, WardFactory

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

# Bounds: a worker reconnects to a returning broker within seconds (its retry interval grows
# by 2 s a time); sending a handful of emails takes well under a second.
RECONNECT_SECONDS = 60
SEND_SECONDS = 60
ADDRESSES = (f"192.0.2.{n}" for n in itertools.count(1))


@pytest.fixture
def site(transactional_db, celery_broker, own_redis, smtp_sink, tmp_path):
    """gunicorn and a worker on our own Redis, the test database and the SMTP sink."""
    env = app_env(
        database_url=_test_database_url(),
        redis_url=own_redis.url,
        email_url=smtp_sink.url,
        PACT_BEHIND_PROXY="true",
        # Work queued by a request is asked for at once, as in production.
        PACT_SEND_EMAIL_AT_ONCE="true",
    )
    web = WebServer(env=env, log_path=tmp_path / "gunicorn.log")
    worker = Worker(env=env, queue="faults-redis", log_path=tmp_path / "worker.log")
    web.start()
    worker.start()
    try:
        yield web, worker
    finally:
        web.stop()
        worker.stop()


def _public_pages(postcode, ward) -> list[str]:
    team = ward.team
    return [
        reverse("home"),
        reverse("wards:search") + f"?q={postcode.postcode}",
        reverse("wards:search") + f"?q={ward.name}",
        reverse("wards:detail", args=[ward.code]),
        reverse("wards:team", args=[team.slug]),
        reverse("priorities:update_feed", args=[team.slug]),
        reverse("priorities:ward_feed", args=[ward.code]),
        reverse("priorities:team_feed", args=[team.slug]),
        reverse("priorities:ward_concerns", args=[ward.code]),
    ]


def _get(web, path):
    import requests

    return requests.get(web.url + path, timeout=REQUEST_SECONDS)


def _raise_concern(web, ward):
    path = reverse("priorities:concern_new", args=[ward.code])
    answers = {"category": "speeding", "description": "Cars race along the High Street at night.", "location_text": ""}
    return form_post(resident(web, path), web.url + path, answers, address=next(ADDRESSES))


def _give_feedback(web, email):
    path = reverse("feedback:give", args=["complaint"])
    answers = {
        "description": "Nobody called me back about the break-in.",
        "postcode": "",
        "officer_text": "",
        "wants_reply": "yes",
        "contact_name": "Ann",
        "contact_email": email,
    }
    return form_post(resident(web, path), web.url + path, answers, address=next(ADDRESSES))


def _subscribe(web, ward, email):
    path = reverse("priorities:ward_subscribe", args=[ward.code])
    return form_post(resident(web, path), web.url + path, {"email": email, "wants": "updates"}, address=next(ADDRESSES))


def test_redis_down_pages_answer_forms_save_and_emails_go_once_when_it_returns(site, own_redis, smtp_sink):
    web, worker = site
    ward = WardFactory()
    postcode = PostcodeFactory(postcode="ME14 1XX", ward=ward)
    CategoryFactory(slug="speeding", name="Speeding", is_police_uk=False)
    pages = _public_pages(postcode, ward)
    for path in pages:  # cached in Redis while it is up
        assert _get(web, path).status_code == 200, (path, web.log())

    own_redis.kill()

    for path in pages:
        response = _get(web, path)
        assert response.status_code == 200, (path, response.status_code, web.log())
    assert _raise_concern(web, ward).status_code == 302, web.log()
    assert _give_feedback(web, "complainant@example.org").status_code == 302, web.log()
    assert _subscribe(web, ward, "subscriber@example.org").status_code == 302, web.log()
    assert Concern.objects.filter(ward=ward).count() == 1
    assert Feedback.objects.filter(contact_email="complainant@example.org").count() == 1
    assert Subscription.objects.filter(email="subscriber@example.org", ward=ward).count() == 1
    # The complainant's address was never confirmed: a request to confirm it goes, and the
    # acknowledgement is held until they do (core.recipients).
    queued = Counter(OutboundEmail.objects.values_list("to", "status"))
    assert queued == {
        ("complainant@example.org", "pending"): 1,
        ("complainant@example.org", "held"): 1,
        ("subscriber@example.org", "pending"): 1,
    }
    assert smtp_sink.messages() == []

    own_redis.start()
    # Beat's every-minute dispatch, and a heartbeat to know the worker (which lived through
    # the outage) is back on the broker.
    _dispatch(own_redis, worker)
    wait_for(lambda: _beats(worker) == 1, seconds=RECONNECT_SECONDS, what="worker back on Redis", log=worker.log)
    wait_for(
        lambda: not OutboundEmail.objects.exclude(status__in=["sent", "held"]).exists(),
        seconds=SEND_SECONDS,
        what="queued emails sent",
        log=worker.log,
    )
    # The next minute's dispatch finds nothing more to send.
    _dispatch(own_redis, worker)
    wait_for(lambda: _beats(worker) == 2, seconds=SEND_SECONDS, what="second dispatch run", log=worker.log)

    received = Counter(address for email in smtp_sink.messages() for address in email.to)
    assert received == {"complainant@example.org": 1, "subscriber@example.org": 1}
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent", "held"}


def _beats(worker) -> int:
    from core.models import WorkerHeartbeat

    return sum(WorkerHeartbeat.objects.filter(hostname__startswith=worker.queue).values_list("beats", flat=True))


def _dispatch(own_redis, worker) -> None:
    send_task(own_redis.url, "core.tasks.outbox_dispatch_task", queue=worker.queue)
    send_task(own_redis.url, "core.tasks.heartbeat_record_task", queue=worker.queue)
