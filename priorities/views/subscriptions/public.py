"""Residents' subscription pages: subscribe to a ward or team, confirm, unsubscribe.

Confirming and unsubscribing happen only on POST: mail scanners and link previews fetch
links with GET, and must not act for the resident. The one exception is the one-click
unsubscribe of RFC 8058, a POST from the mail program without a CSRF token (the secret
token in the address is what authorises it). No page ever shows an email address.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core.abuse import FormLimit, form_limit_refusal
from priorities.errors import PrioritiesError
from priorities.forms.subscriptions import SubscribeForm
from priorities.models import Subscription
from priorities.selectors import subscriptions as selectors
from priorities.services.subscriptions import subscription_confirm, subscription_start, subscription_unsubscribe

ERROR_RATE_LIMITED = _(
    "You have asked for 10 subscriptions in the last hour, the most we take from one person. "
    "Wait an hour and try again."
)
SUBSCRIBE_LIMIT = FormLimit(scope="subscribe", per_person=10, per_address=100, person_refusal=ERROR_RATE_LIMITED)


def _get_ward(code: str):
    ward = selectors.ward_for_subscribe(code=code) if len(code) == 9 else None
    if ward is None:
        raise Http404("No ward with that code")
    return ward


def _get_team(slug: str):
    team = selectors.team_for_subscribe(slug=slug)
    if team is None:
        raise Http404("No team with that name")
    return team


def _get_subscription(token: str) -> Subscription:
    subscription = selectors.subscription_for_token(token=token) if len(token) <= 64 else None
    if subscription is None:
        raise Http404("No subscription with that link")
    return subscription


def _subscribe(request: HttpRequest, *, place, done_url: str, place_url: str, **where) -> HttpResponse:
    form = SubscribeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if refusal := form_limit_refusal(request, SUBSCRIBE_LIMIT, email=form.cleaned_data["email"]):
            form.add_error(None, refusal)
            status = 429
        else:
            try:
                # The same page follows whether or not the address was subscribed already.
                subscription_start(**where, **form.cleaned_data_for_service())
            except PrioritiesError as error:
                form.add_error(None, str(error))
            else:
                return redirect(done_url)
    context = {"form": form, "place": place, "place_url": place_url}
    return render(request, "priorities/subscriptions/subscribe.html", context, status=status)


@require_http_methods(["GET", "POST"])
def ward_subscribe(request: HttpRequest, code: str) -> HttpResponse:
    ward = _get_ward(code)
    done = reverse("priorities:ward_subscribe_sent", args=[ward.code])
    back = reverse("wards:detail", args=[ward.code])
    return _subscribe(request, place=ward, done_url=done, place_url=back, ward=ward)


@require_http_methods(["GET", "POST"])
def team_subscribe(request: HttpRequest, slug: str) -> HttpResponse:
    team = _get_team(slug)
    done = reverse("priorities:team_subscribe_sent", args=[team.slug])
    back = reverse("wards:team", args=[team.slug])
    return _subscribe(request, place=team, done_url=done, place_url=back, team=team)


@require_GET
def ward_subscribe_sent(request: HttpRequest, code: str) -> HttpResponse:
    ward = _get_ward(code)
    context = {"place": ward, "place_url": reverse("wards:detail", args=[ward.code])}
    return render(request, "priorities/subscriptions/sent.html", context)


@require_GET
def team_subscribe_sent(request: HttpRequest, slug: str) -> HttpResponse:
    team = _get_team(slug)
    context = {"place": team, "place_url": reverse("wards:team", args=[team.slug])}
    return render(request, "priorities/subscriptions/sent.html", context)


@require_http_methods(["GET", "POST"])
def subscription_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    subscription = _get_subscription(token)
    error = None
    if request.method == "POST":
        try:
            subscription_confirm(token=token)
        except PrioritiesError as refused:
            error = str(refused)
        else:
            return redirect(request.path)
    context = {"subscription": subscription, "place": subscription.team or subscription.ward, "error": error}
    return render(request, "priorities/subscriptions/confirm.html", context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscription_unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    subscription = _get_subscription(token)
    if request.method == "POST":
        subscription = subscription_unsubscribe(token=token)
        if request.POST.get("List-Unsubscribe") != "One-Click":
            return redirect(request.path)
    context = {"subscription": subscription, "place": subscription.team or subscription.ward}
    return render(request, "priorities/subscriptions/unsubscribe.html", context)
