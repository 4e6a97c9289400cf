"""The service navigation every public page carries: the four things a resident comes for.

Each entry names the URL prefixes that belong to it, so a ward page sits under "Find your
area" and a survey's thank-you page under "Surveys". The entry's own page is marked
``aria-current="page"``; a page inside its section is marked ``aria-current="true"``.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: str  # "page", "true" or "" (not current)


# (label, URL name, prefixes of the section besides the page itself)
_ITEMS = (
    ("Find your area", "home", ("/search/", "/wards/", "/teams/", "/map/")),
    ("Have your say", "feedback:start", ("/have-your-say/",)),
    ("Surveys", "feedback:surveys", ("/surveys/",)),
    ("Open data", "api_docs", ("/api/",)),
)


def service_navigation(request: HttpRequest) -> dict[str, list[NavItem]]:
    path = getattr(request, "path", "")
    items = []
    for label, name, prefixes in _ITEMS:
        url = reverse(name)
        if path == url:
            current = "page"
        elif any(path.startswith(prefix) for prefix in prefixes):
            current = "true"
        else:
            current = ""
        items.append(NavItem(label, url, current))
    return {"service_navigation": items}
