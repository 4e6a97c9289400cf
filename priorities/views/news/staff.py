"""Staff news pages: list, publish, correct and remove a team's local news.

Officers manage their own team's news and administrators every team's; an item of another
team is not found (404). Other roles are refused (403).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import staff_view
from core.roles import Role, is_administrator
from priorities.errors import PrioritiesError
from priorities.forms.news import NewsForm
from priorities.models import NewsItem
from priorities.scopes import team_id_for
from priorities.selectors import news as selectors
from priorities.services import news as services
from wards.models import NeighbourhoodTeam, Ward

ROLES = (Role.OFFICER, Role.ADMINISTRATOR)
NEWS_PER_PAGE = 20
FORM_TEMPLATE = "priorities/news/staff_form.html"


def _team_id(request: HttpRequest) -> int | None:
    """The team whose news the user manages; None for administrators (every team)."""
    if is_administrator(request.user):
        return None
    team_id = team_id_for(request.user)
    if team_id is None:
        raise PermissionDenied
    return team_id


def _get_news_for_user(request: HttpRequest, pk: int) -> NewsItem:
    item = selectors.news_for_page(pk).first()
    team_id = _team_id(request)
    if item is None or (team_id is not None and item.team_id != team_id):
        raise Http404("No news with that number")
    if not services.can_manage_news(actor=request.user, team=item.team):
        raise PermissionDenied
    return item


def _form(request: HttpRequest, team_id: int | None, **kwargs) -> NewsForm:
    """The form offering the areas of ``team_id`` (every team's when None)."""
    teams = NeighbourhoodTeam.objects.order_by("name").prefetch_related(
        Prefetch("wards", queryset=Ward.objects.only("pk", "name", "team_id").order_by("name"))
    )
    teams = teams if team_id is None else teams.filter(pk=team_id)
    return NewsForm(request.POST if request.method == "POST" else None, teams=teams, **kwargs)


@staff_view(roles=ROLES)
def news_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.news_for_staff(_team_id(request)), NEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "priorities/news/staff_list.html", {"page": page})


def _preview(request: HttpRequest, form: NewsForm) -> NewsItem | None:
    """The item as residents would see it, unsaved, when the Preview button was pressed on a valid form."""
    if "preview" not in request.POST or not form.is_valid():
        return None
    data = form.cleaned_data
    return NewsItem(
        team=data["team"],
        ward=data["ward"],
        kind=data["kind"],
        title=data["title"],
        body=data["body"],
        published_at=timezone.now(),
    )


@staff_view(roles=ROLES)
def news_new(request: HttpRequest) -> HttpResponse:
    form = _form(request, _team_id(request), initial={"kind": NewsItem.Kind.NEWS})
    preview = _preview(request, form) if request.method == "POST" else None
    if request.method == "POST" and preview is None and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.news_publish(
                actor=request.user,
                team=data["team"],
                ward=data["ward"],
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
            )
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(title)s has been published") % {"title": item.title})
            return redirect("priorities:staff_news")
    context = {"form": form, "preview": preview, "heading": _("Publish news"), "button": _("Publish")}
    return render(request, FORM_TEMPLATE, context)


def _initial(item: NewsItem) -> dict:
    area = f"ward-{item.ward_id}" if item.ward_id else f"team-{item.team_id}"
    return {"area": area, "kind": item.kind, "title": item.title, "body": item.body}


@staff_view(roles=ROLES)
def news_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_news_for_user(request, pk)
    # The team stays the same: only it and its wards are offered.
    form = _form(request, item.team_id, initial=_initial(item))
    preview = _preview(request, form) if request.method == "POST" else None
    if request.method == "POST" and preview is None and form.is_valid():
        data = form.cleaned_data
        try:
            services.news_update(
                actor=request.user,
                item=item,
                ward=data["ward"],
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
            )
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(title)s has been updated") % {"title": item.title})
            return redirect("priorities:staff_news")
    context = {
        "form": form,
        "item": item,
        "preview": preview,
        "heading": _("Correct news"),
        "button": _("Save changes"),
    }
    return render(request, FORM_TEMPLATE, context)


@staff_view(roles=ROLES)
def news_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_news_for_user(request, pk)
    if request.method == "POST":
        services.news_delete(actor=request.user, item=item)
        messages.success(request, _("%(title)s has been removed") % {"title": item.title})
        return redirect("priorities:staff_news")
    return render(request, "priorities/news/staff_delete.html", {"item": item})
