"""PACT's own read API (/api/v1/): what every endpoint shares, the OpenAPI description and its page.

Everything here is public, read-only and anonymous: no session, no CSRF token, JSON only.
Each response is kept whole in the cache under the public version (core.cache), keyed by its
path and the query parameters the endpoint reads (others are ignored), so a repeated request
costs no query and any public change is seen at once.
The apps' endpoints live in wards/api/ and priorities/api/; this module holds the pagination,
errors, rate limit and caching they share.
"""

import hashlib
import json
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_etags, quote_etag, urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import APIException, NotFound, Throttled, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import BasePagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import exception_handler

from core.abuse import api_rate_limit_wait
from core.cache import public_fragment, public_page

API_PREFIX = "/api/v1/"
PAGE_SIZE = 20
# Ids are 64-bit in the database: a larger number is no id at all (and would overflow a query).
MAX_ID = 2**63 - 1
MAX_PAGE_SIZE = 100
# Clients may reuse a response this long without asking; after that the ETag makes asking cheap.
# Short, because a browser's copy cannot be told of a change the way our own cache is.
MAX_AGE = 60


# Errors ------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """The body of every error: a sentence for people, and per parameter what was wrong."""

    detail = serializers.CharField(help_text="What went wrong, in plain words.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For a bad query parameter: each parameter named, with what was wrong with its value.",
    )


def _error_detail(exc: APIException, data: Any) -> dict[str, Any]:
    if isinstance(exc, ValidationError) and isinstance(data, dict):
        names = ", ".join(sorted(data))
        noun = "parameter" if len(data) == 1 else "parameters"
        return {"detail": f"Bad value for the query {noun} {names}.", "errors": data}
    if isinstance(exc, Throttled):
        return {"detail": f"Too many requests: try again in {exc.wait or 1:.0f} seconds."}
    return {"detail": str(data.get("detail", exc.detail) if isinstance(data, dict) else exc.detail)}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with every error body shaped as ErrorSerializer."""
    response = exception_handler(exc, context)
    if response is not None:
        api_exc = exc if isinstance(exc, APIException) else NotFound(str(exc) or None)
        response.data = _error_detail(api_exc, response.data)
    return response


@csrf_exempt
def api_not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any other address under /api/v1/: a JSON 404 pointing to the list of endpoints."""
    return JsonResponse(
        {"detail": f"There is no API endpoint at this address. The endpoints are listed at {reverse('api_docs')}."},
        status=404,
    )


# Content, pagination, rate limit -------------------------------------------------------------


class JsonOnlyNegotiation(BaseContentNegotiation):
    """JSON whatever the client's Accept header says: there is nothing else to offer."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


PAGE_PARAMETERS = ("page_size", "page")


def recognised_query(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    """The query parameters called ``names`` (the last of repeated ones), in that order; every
    other parameter is ignored, so it can neither fill the cache nor reach a response.

    A plain dict, not the QueryDict itself: DRF reads that as an HTML form, where an empty
    value means "not given", and the API refuses an empty value as its description says.
    """
    given = request.query_params
    return {name: given[name] for name in names if name in given}


class _PageParameters(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, required=False, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False, default=PAGE_SIZE)


class ApiPagination(BasePagination):
    """Numbered pages of PAGE_SIZE (``page_size`` up to MAX_PAGE_SIZE). A bad number is a 400
    naming the parameter; a page past the last is a 404 saying how many there are."""

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list:
        query = view.query if view is not None else recognised_query(request, PAGE_PARAMETERS)
        params = _PageParameters(data=query)
        params.is_valid(raise_exception=True)
        number, size = params.validated_data["page"], params.validated_data["page_size"]
        paginator = Paginator(queryset, size)
        if number > paginator.num_pages:
            last = paginator.num_pages
            raise NotFound(f"There is no page {number}: the last page is {last}.")
        self.page = paginator.page(number)
        self.page_size = size
        self.request = request
        self.query = {name: value for name, value in query.items() if name != "page"}
        return list(self.page)

    def _link(self, number: int | None) -> str | None:
        if number is None:
            return None
        query = urlencode({**self.query, "page": str(number)})
        return self.request.build_absolute_uri(f"{self.request.path}?{query}")

    def get_paginated_response(self, data: list) -> Response:
        page = self.page
        return Response(
            {
                "count": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "page_size": self.page_size,
                "next": self._link(page.next_page_number() if page.has_next() else None),
                "previous": self._link(page.previous_page_number() if page.has_previous() else None),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["count", "page", "pages", "page_size", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "minimum": 0, "description": "How many items match, on all pages."},
                "page": {"type": "integer", "minimum": 1},
                "pages": {"type": "integer", "minimum": 1},
                "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                "next": {**link, "description": "The next page, or null on the last."},
                "previous": {**link, "description": "The previous page, or null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "description": "Which page (from 1). A page past the last is a 404.",
                "schema": {"type": "integer", "minimum": 1, "default": 1},
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "description": f"Items per page, at most {MAX_PAGE_SIZE}.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE},
            },
        ]


class ApiRateThrottle(BaseThrottle):
    """The shared API rate limit of core.abuse (a token bucket per client across all the read APIs)."""

    def allow_request(self, request: Request, view: Any) -> bool:
        self._wait = api_rate_limit_wait(request)
        return self._wait == 0

    def wait(self) -> float | None:
        return self._wait


# Views ---------------------------------------------------------------------------------------


class ApiSchema(AutoSchema):
    """Documents each list's filters (its ``filters_class``) and, on every operation, the errors
    it can answer with."""

    def get_override_parameters(self) -> list:
        filters = getattr(self.view, "filters_class", None)
        return [*([filters] if filters else []), *super().get_override_parameters()]

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        errors = {
            "404": "Not found: no such item, or a page past the last.",
            "429": "Too many requests: wait for the seconds given in Retry-After.",
        }
        if any(parameter["in"] == "query" for parameter in self._get_parameters()):
            errors["400"] = "A query parameter has a bad value: each one is named in errors."
        for code, description in errors.items():
            response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
            responses.setdefault(code, {**response, "description": description})
        return responses


def _etag(body: bytes) -> str:
    return quote_etag(hashlib.sha256(body).hexdigest()[:32])


class PublicApiView(GenericAPIView):
    """A read-only, anonymous API endpoint whose whole response is cached under the public version.

    Subclasses give ``build(request, **kwargs)``: the response data, or an APIException
    (a 404, a 400 for a bad parameter), which is never cached.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ApiRateThrottle]
    content_negotiation_class = JsonOnlyNegotiation
    pagination_class = ApiPagination
    schema = ApiSchema()
    http_method_names = ["get", "head", "options"]

    query: dict[str, str]

    def build(self, request: Request, **kwargs: Any) -> Any:
        raise NotImplementedError

    def query_names(self) -> tuple[str, ...]:
        """The query parameters this endpoint reads, in the order its links write them."""
        return ()

    def _cached_body(self, request: Request, kwargs: dict[str, Any]) -> dict[str, Any]:
        def make() -> dict[str, Any]:
            body = JSONRenderer().render(self.build(request, **kwargs))
            return {"body": body, "etag": _etag(body)}

        # Built from the parameters the endpoint reads, never the raw address: otherwise anyone
        # could fill the cache with copies by adding parameters of their own. The host stays in
        # (links in the body are absolute; ALLOWED_HOSTS bounds it). Hashed, as a key must be short.
        address = f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(self.query)}"
        key = hashlib.sha256(address.encode()).hexdigest()
        return public_fragment("api", key, make)

    def get(self, request: Request, **kwargs: Any) -> HttpResponse:
        self.query = recognised_query(request, self.query_names())
        kept = self._cached_body(request, kwargs)
        wanted = parse_etags(request.headers.get("if-none-match", ""))
        if "*" in wanted or kept["etag"] in wanted:
            response = HttpResponse(status=304)
        else:
            response = HttpResponse(kept["body"], content_type="application/json")
        response["ETag"] = kept["etag"]
        response["Cache-Control"] = f"public, max-age={MAX_AGE}"
        return response


class PublicApiListView(ListModelMixin, PublicApiView):
    """A paginated list: ``items(**filters)`` gives the queryset for the filters of ``filters_class``
    (validated first: a bad value is a 400 naming it), in a stable order."""

    filters_class: type[serializers.Serializer] | None = None

    def items(self, **filters: Any) -> QuerySet:
        raise NotImplementedError

    def query_names(self) -> tuple[str, ...]:
        filters = tuple(self.filters_class().fields) if self.filters_class is not None else ()
        return (*filters, *PAGE_PARAMETERS)

    def build(self, request: Request, **kwargs: Any) -> Any:
        filters: dict[str, Any] = {}
        if self.filters_class is not None:
            params = self.filters_class(data=self.query)
            params.is_valid(raise_exception=True)
            filters = {key: value for key, value in params.validated_data.items() if value is not None}
        page = self.paginate_queryset(self.items(**filters))
        return self.get_paginated_response(self.get_serializer(page, many=True).data).data


def id_parameter(what: str) -> OpenApiParameter:
    """The integer ``id`` in a path, documented with its bounds."""
    schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    return OpenApiParameter("id", schema, OpenApiParameter.PATH, description=f"The {what}'s id.")


def found(item: Any, message: str) -> Any:
    """``item``, or a 404 with ``message`` when it is None."""
    if item is None:
        raise NotFound(message)
    return item


def an_id(value: int) -> int:
    """A path's id, or 0 (which no row has) when it is beyond what the database can hold."""
    return value if value <= MAX_ID else 0


class LocalDateTimeField(serializers.DateTimeField):
    """A moment in ISO 8601 with its UK offset (+00:00 or +01:00), never a bare Z."""

    def to_representation(self, value):
        return timezone.localtime(value).isoformat() if value else None


# The description and its page ------------------------------------------------------------------


def own_api_only(endpoints: list, **kwargs: Any) -> list:
    """drf-spectacular preprocessing hook: describe /api/v1/ only, not the police.uk-compatible API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]


def _schema() -> dict[str, Any]:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(generated))


def _kept_schema() -> dict[str, Any]:
    # Made from the code alone, but kept like the rest so that no process holds it in memory.
    return public_fragment("api-schema", settings.SPECTACULAR_SETTINGS["VERSION"], _schema)


@csrf_exempt
@require_safe
def openapi_json(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3 description of /api/v1/."""
    response = HttpResponse(json.dumps(_kept_schema()), content_type="application/json")
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


def _parameter_text(parameter: dict[str, Any]) -> str:
    schema = parameter.get("schema", {})
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"])
    if "pattern" in schema:
        return f"text matching {schema['pattern']}"
    kind = schema.get("format") or schema.get("type", "text")
    return {"string": "text", "integer": "a whole number", "date": "a date, YYYY-MM-DD"}.get(kind, kind)


def _endpoints(schema: dict[str, Any]) -> list[dict[str, Any]]:
    endpoints = []
    for path, operations in schema["paths"].items():
        operation = operations["get"]
        parameters = [
            {**parameter, "accepts": _parameter_text(parameter)} for parameter in operation.get("parameters", [])
        ]
        endpoints.append(
            {
                "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": parameters,
                "example": path if "{" not in path else None,
            }
        )
    return endpoints


@require_safe
@public_page
def api_docs(request: HttpRequest) -> HttpResponse:
    """The human description of the API: its rules and every endpoint, from the OpenAPI description."""
    context = {
        "endpoints": _endpoints(_kept_schema()),
        "page_size": PAGE_SIZE,
        "max_page_size": MAX_PAGE_SIZE,
        "max_age": MAX_AGE,
        "rate": settings.PACT_API_RATE,
        "burst": settings.PACT_API_BURST,
    }
    return render(request, "pact/api.html", context)
