"""Bad input at every public form and the search: never a 500, never half a record.

Each form is read from its own page (every named field of its POST form), then Hypothesis
posts arbitrary values into those fields: any Unicode with control characters, markup, huge
values, repeated and missing fields, and the page's own options. The answer must be one a
person can act on, and the database must hold either the whole submission (on success) or
nothing of it. Runs are derandomised so that a failure here fails the same way every time.
"""

import datetime
import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from priorities.models import Event
from tests.priorities.factories import (
    CategoryFactory,
    ConcernFactory,
    IncidentLogFactory,
    MeetingFactory,
    PanelFactory,
    SubscriptionFactory,
    SurveyChoiceFactory,
    SurveyFactory,
    SurveyQuestionFactory,
)
from tests.wards.factories import OfficerFactory, PostcodeFactory, WardFactory

pytestmark = pytest.mark.django_db

ACCEPTABLE = {200, 302, 400, 403, 404, 410, 429}
# Bounded so that every test here together stays well under a minute.
FUZZ = hypothesis_settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LOG_TOKEN = "fuzz-incident-log-link"  # noqa: S105 (a test link, not a secret)
SUBSCRIPTION_TOKEN = "fuzz-subscription-" + "0" * 22  # noqa: S105
MARKUP = '<script>alert("x")</script>"><img src=x onerror=alert(1)>'


# --- what the public forms are --------------------------------------------------------------


@dataclass
class FormField:
    name: str
    kind: str
    options: list[str] = field(default_factory=list)


class PostFormParser(HTMLParser):
    """The named fields of the page's POST forms (the site header's GET search form left out)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, FormField] = {}
        self._in_post_form = False
        self._select: FormField | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._in_post_form = (attributes.get("method") or "").lower() == "post"
            return
        if not self._in_post_form:
            return
        name = attributes.get("name")
        if tag in {"input", "textarea", "select"} and name and name != "csrfmiddlewaretoken":
            kind = attributes.get("type", "text") if tag == "input" else tag
            known = self.fields.setdefault(name, FormField(name, kind))
            if kind in {"radio", "checkbox"}:
                known.options.append(attributes.get("value", "on"))
            self._select = known if tag == "select" else None
        elif tag == "option" and self._select is not None:
            self._select.options.append(attributes.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post_form = False
        elif tag == "select":
            self._select = None


def form_fields(html: str) -> list[FormField]:
    parser = PostFormParser()
    parser.feed(html)
    return list(parser.fields.values())


# --- what is sent ---------------------------------------------------------------------------

# Lone surrogates are left out: no client can encode them into a request at all.
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=200)
awkward = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\r\n\r\n",
        "\u202e\u200b\ufeff",
        "0",
        "-1",
        "1e309",
        "99999999999999999999999",
        "2026-02-30",
        "name@example.org",
        "ME14 1XX",
        MARKUP,
        "' OR 1=1 --",
        "../../etc/passwd",
    ]
)
huge = st.builds(lambda text, times: (text or "x") * times, any_text, st.integers(1_000, 20_000)).map(
    lambda text: text[:60_000]
)
any_value = st.one_of(awkward, any_text, huge)


def value_for(form_field: FormField):
    if form_field.name == "website":
        # The honeypot: mostly left empty, as a person leaves it, so the rest of the form is reached.
        return st.one_of(st.just(""), st.just(""), st.just(""), any_value)
    if form_field.options:
        return st.one_of(st.sampled_from(form_field.options), any_value)
    return any_value


def submission(fields: list[FormField]):
    """A POST body: each field left out, sent once, or sent several times."""
    entries = {
        form_field.name: st.one_of(
            st.none(), value_for(form_field), st.lists(value_for(form_field), min_size=2, max_size=4)
        )
        for form_field in fields
    }
    return st.fixed_dictionaries(entries).map(
        lambda data: {name: value for name, value in data.items() if value is not None}
    )


# --- what is kept ---------------------------------------------------------------------------


def _tables() -> dict[str, str]:
    models = (
        model
        for name in ("pact", "wards", "priorities", "feedback")
        for model in apps.get_app_config(name).get_models()
    )
    return {model._meta.label: model._meta.db_table for model in models}


def row_counts() -> dict[str, int]:
    """The number of rows of every model of PACT's own apps, in one query."""
    tables = _tables()
    quote = connection.ops.quote_name
    # Table names come from the models and are quoted: nothing here comes from input.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables.values())  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {label: after[label] - before[label] for label in before if after[label] != before[label]}


# --- the forms ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    name: str
    address: Callable[[dict], str]
    # On success (a redirect): the models that gain exactly one row, and those that may gain rows.
    creates: frozenset[str] = frozenset()
    may_create: frozenset[str] = frozenset()
    # The page that shows the form, when it is not the address it posts to.
    page: Callable[[dict], str] | None = None


def _set(*labels: str) -> frozenset[str]:
    return frozenset(labels)


# An email to a resident's address may also count it (core.recipients).
EMAILS = _set("pact.OutboundEmail", "pact.EmailRecipient")
TARGETS = [
    Target(
        "concern",
        lambda world: reverse("priorities:concern_new", args=[world["ward"].code]),
        creates=_set("priorities.Concern"),
        may_create=EMAILS,
    ),
    *(
        Target(
            f"feedback-{kind}",
            lambda world, kind=kind: reverse("feedback:give", args=[kind]) + f"?team={world['ward'].team_id}",
            creates=_set("feedback.Feedback"),
            may_create=_set("feedback.EqualityResponse") | EMAILS,
        )
        for kind in ("service", "compliment", "complaint", "suggestion")
    ),
    Target(
        "survey",
        lambda world: reverse("feedback:survey", args=[world["survey"].slug]),
        creates=_set("feedback.SurveyResponse"),
        may_create=_set("feedback.SurveyAnswer", "feedback.SurveyAnswerChoice"),
    ),
    Target(
        "ward-subscription",
        lambda world: reverse("priorities:ward_subscribe", args=[world["ward"].code]),
        may_create=_set("priorities.Subscription") | EMAILS,
    ),
    Target(
        "team-subscription",
        lambda world: reverse("priorities:team_subscribe", args=[world["ward"].team.slug]),
        may_create=_set("priorities.Subscription") | EMAILS,
    ),
    Target(
        "subscription-confirm",
        lambda world: reverse("priorities:subscription_confirm", args=[SUBSCRIPTION_TOKEN]),
        may_create=_set("pact.EmailRecipient"),
    ),
    Target(
        "meeting-about-you",
        lambda world: reverse("feedback:meeting_about_you", args=[world["meeting"].uid]),
        creates=_set("feedback.EqualityResponse", "feedback.EqualityRepeatKey"),
    ),
    Target(
        "panel-about-you",
        lambda world: reverse("feedback:panel_about_you", args=[world["panel"].pk]),
        creates=_set("feedback.EqualityResponse", "feedback.EqualityRepeatKey"),
    ),
    Target(
        "incident-log-start",
        lambda world: reverse("priorities:incident_log_start", args=[world["concern"].reference]),
        creates=_set("priorities.IncidentLog"),
        may_create=EMAILS,
    ),
    Target(
        "concern-satisfaction",
        lambda world: reverse("priorities:concern_satisfaction", args=[world["ended"].follow_code]),
        creates=_set("feedback.Feedback"),
        page=lambda world: reverse("priorities:concern_status", args=[world["ended"].follow_code]),
    ),
    Target(
        "incident-log-entry",
        lambda world: reverse("priorities:incident_log", args=[LOG_TOKEN]),
        creates=_set("priorities.IncidentLogEntry"),
    ),
]


@pytest.fixture
def world():
    """One of everything the public forms need, with choices of every kind."""
    ward = WardFactory(name="Abbey")
    PostcodeFactory(postcode="ME14 1XX", outward="ME14", ward=ward)
    OfficerFactory.create_batch(3, team=ward.team)
    CategoryFactory()
    CategoryFactory(slug="speeding", name="Speeding", is_police_uk=False)
    survey = SurveyFactory(slug="fuzz-survey")
    SurveyQuestionFactory(survey=survey, kind="scale", required=True)
    SurveyQuestionFactory(survey=survey, kind="yes_no")
    SurveyQuestionFactory(survey=survey, kind="text")
    single = SurveyQuestionFactory(survey=survey, kind="single")
    multiple = SurveyQuestionFactory(survey=survey, kind="multiple", max_choices=2)
    for question in (single, multiple, multiple, multiple):
        SurveyChoiceFactory(question=question)
    panel = PanelFactory(wards=[ward])
    meeting = MeetingFactory(
        panel=panel, status=Event.Status.HELD, starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    concern = ConcernFactory(ward=ward, reference="PACT-FUZZ01")
    IncidentLogFactory(concern=concern, token=LOG_TOKEN)
    SubscriptionFactory(ward=ward, token=SUBSCRIPTION_TOKEN, confirmed_at=None)
    ended = ConcernFactory(ward=ward, reference="PACT-FUZZ02", status="rejected", rejection_reason="For the council.")
    return {"ward": ward, "survey": survey, "panel": panel, "meeting": meeting, "concern": concern, "ended": ended}


def post_once(address: str, data: dict) -> tuple[int, dict[str, int]]:
    """Post as a new visitor; the status and what changed in the database."""
    cache.clear()  # the rate limits count every example as the same client otherwise
    before = row_counts()
    # Each example in a savepoint rolled back afterwards, so examples never see each other.
    with transaction.atomic():
        status = Client().post(address, data).status_code
        difference = changed(before, row_counts())
        transaction.set_rollback(True)
    return status, difference


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.name)
def test_public_form_never_fails_or_half_saves_whatever_is_posted(world, target):
    address = target.address(world)
    page = Client().get(target.page(world) if target.page else address)
    assert page.status_code == 200, address
    fields = form_fields(page.content.decode())
    assert fields or target.name == "subscription-confirm", f"no form fields found on {address}"

    @FUZZ
    @given(data=submission(fields))
    def post_anything(data):
        status, difference = post_once(address, data)

        assert status in ACCEPTABLE
        if status != 302:
            assert difference == {}, f"refused with {status} but the database changed"
            return
        assert set(difference) <= target.creates | target.may_create
        assert all(difference.get(label) == 1 for label in target.creates), difference

    post_anything()


@FUZZ
@given(
    query=st.dictionaries(st.sampled_from(["q", "page", "kind"]), st.one_of(any_value, st.lists(any_value, max_size=3)))
)
def test_search_never_fails_whatever_is_asked(query):
    # No database rows: every query is refused, not found or a postcode unknown.
    response = Client().get(reverse("wards:search"), query)

    assert response.status_code in {200, 302}


def test_public_pages_never_fail_whatever_the_query(world):
    team = world["ward"].team
    addresses = (
        reverse("priorities:ward_concerns", args=[world["ward"].code]),
        reverse("priorities:team_news", args=[team.slug]),
        reverse("priorities:update_archive", args=[team.slug]),
        reverse("feedback:give", args=["compliment"]),
        reverse("feedback:survey_results", args=[world["survey"].slug]),
        reverse("priorities:incident_log", args=[LOG_TOKEN]),
    )
    keys = st.sampled_from(["page", "team", "officer", "district", "started", "added"])

    @hypothesis_settings(FUZZ, max_examples=10)
    @given(query=st.dictionaries(keys, any_value, max_size=3))
    def get_anything(query):
        for address in addresses:
            assert Client().get(address, query).status_code in ACCEPTABLE, address

    get_anything()


def test_public_addresses_never_fail_whatever_is_in_the_path(world):
    templates = (
        "/wards/{}/",
        "/wards/{}/concerns/new/",
        "/teams/{}/",
        "/teams/{}/updates/feed/",
        "/concerns/{}/",
        "/concerns/{}/log/",
        "/logs/{}/",
        "/subscriptions/confirm/{}/",
        "/surveys/{}/",
        "/have-your-say/{}/",
        "/have-your-say/sent/{}/",
    )
    segments = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="/?#"), min_size=1, max_size=120)

    @hypothesis_settings(FUZZ, max_examples=10)
    @given(segment=segments)
    def get_anything(segment):
        for template in templates:
            assert Client().get(template.format(segment)).status_code in ACCEPTABLE, template

    get_anything()


# --- bodies too big, too many fields, files -------------------------------------------------


def assert_our_bad_request_page(response) -> None:
    assert response.status_code == 400
    content = response.content.decode()
    assert "Sorry, there is a problem with your request" in content
    assert '<html lang="en-GB"' in content


def test_oversized_body_is_refused_with_400_and_nothing_saved(client, world, settings):
    address = reverse("priorities:concern_new", args=[world["ward"].code])
    data = {"category": "speeding", "description": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    before = row_counts()

    response = client.post(address, data)

    assert_our_bad_request_page(response)
    assert changed(before, row_counts()) == {}


def test_too_many_fields_are_refused_with_400(client, world, settings):
    address = reverse("feedback:give", args=["suggestion"])
    data = {f"field{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    assert_our_bad_request_page(client.post(address, data))


def test_too_many_query_fields_are_refused_with_400(client, settings):
    query = "&".join(f"q{number}=x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))

    assert_our_bad_request_page(client.get(f"{reverse('wards:search')}?{query}"))


def test_a_file_is_refused_with_400(client, world):
    address = reverse("feedback:give", args=["suggestion"])
    upload = SimpleUploadedFile("evidence.txt", b"hello", content_type="text/plain")

    assert_our_bad_request_page(client.post(address, {"description": "A suggestion", "attachment": upload}))


def test_a_form_within_the_limits_is_not_refused(client, world, settings):
    # The limits leave room for the longest real submission: a 5,000-character feedback text
    # of 4-byte characters, percent-encoded, is 60 KB.
    address = reverse("feedback:give", args=["suggestion"])

    response = client.post(address, {"description": "🚓" * 5000, "website": ""})

    assert response.status_code in {200, 302}


@pytest.fixture
def gunicorn(tmp_path):
    """PACT under gunicorn, as deployed (DEBUG off), on a free loopback port; no database needed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env |= {
        "DJANGO_SETTINGS_MODULE": "pact.settings",
        "PACT_STATE_DIR": str(tmp_path),
        "PACT_HTTPS": "false",
        "PACT_MANIFEST_STATIC": "false",
    }
    command = [str(Path(sys.executable).with_name("gunicorn")), "pact.wsgi:application", "--workers", "1"]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--error-logfile", str(tmp_path / "log")]
    process = subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for_port(process, port)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for_port(process: subprocess.Popen, port: int) -> None:
    for _attempt in range(300):
        if process.poll() is not None:
            pytest.fail("gunicorn exited at start-up")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)  # waiting for the server to listen, not timing anything
    pytest.fail("gunicorn did not start listening")


def _raw_post(port: int, path: str, body: bytes, content_type: str) -> tuple[int, bytes]:
    # A real browser's form post: the CSRF cookie and token match, so the body is read.
    token = "a" * 32
    headers = {"Content-Type": content_type, "Cookie": f"csrftoken={token}", "Host": "127.0.0.1"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", path, body=f"csrfmiddlewaretoken={token}&".encode() + body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_gunicorn_refuses_oversized_bodies_and_too_many_fields_with_our_400_page(gunicorn):
    form = "application/x-www-form-urlencoded"
    oversized = b"description=" + b"x" * 1_100_000
    many = "&".join(f"f{number}=x" for number in range(600)).encode()

    for body in (oversized, many):
        status, content = _raw_post(gunicorn, "/have-your-say/suggestion/", body, form)
        assert status == 400
        assert b"Sorry, there is a problem with your request" in content


def test_gunicorn_refuses_a_post_to_static_files_without_reading_it(gunicorn):
    status, _content = _raw_post(gunicorn, "/static/js/init.js", b"x=" + b"y" * 1_100_000, "text/plain")

    assert status == 405
