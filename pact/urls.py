from django.contrib import admin
from django.urls import include, path, re_path

from core import api
from core.views import personal_data, recipients, sign_in, two_factor
from pact.views import public, staff
from priorities.api.urls import urlpatterns as priorities_api
from wards.api.urls import urlpatterns as wards_api
from wards.policeuk.views import unknown as police_uk_unknown

staff_patterns = (
    [
        path("", staff.staff_home, name="home"),
        path("sign-in/", sign_in.SignInView.as_view(), name="login"),
        path("sign-out/", sign_in.SignOutView.as_view(), name="logout"),
        path("two-factor/", two_factor.manage, name="two_factor"),
        path("two-factor/set-up/", two_factor.setup, name="two_factor_setup"),
        path("two-factor/enrol/<str:token>/", two_factor.enrol, name="two_factor_enrol"),
        path("two-factor/check/", two_factor.check, name="two_factor_check"),
        path("two-factor/backup-codes/", two_factor.backup_codes_new, name="two_factor_backup_codes"),
        path("personal-data/", personal_data.search, name="personal_data"),
        path("personal-data/export/", personal_data.export, name="personal_data_export"),
        path("personal-data/erase/", personal_data.erase, name="personal_data_erase"),
    ],
    "staff",
)

api_patterns = ([*wards_api, *priorities_api, re_path(r"^(?P<rest>.*)$", api.api_not_found)], "api")

urlpatterns = [
    path("", public.home, name="home"),
    path("accessibility/", public.accessibility, name="accessibility"),
    path("privacy/", public.privacy, name="privacy"),
    path("weather/", public.neutral, name="neutral"),
    path("healthz", public.healthz, name="healthz"),
    path("email/confirm/<str:token>/", recipients.address_confirm, name="address_confirm"),
    path("staff/", include(staff_patterns)),
    path("admin/", admin.site.urls),
    path("api/", api.api_docs, name="api_docs"),
    path("api/openapi.json", api.openapi_json, name="api_schema"),
    path("api/v1/", include(api_patterns)),
    # The data.police.uk-compatible API: the force, neighbourhoods, boundaries, people and
    # locate from wards; events and priorities from priorities. Before the apps' pages, which
    # have no path under api/: each of their patterns is tried in turn before these match.
    path("api/", include("wards.policeuk.urls")),
    path("api/", include("priorities.policeuk")),
    # After every method: any other path of our force (a malformed ward code, say) is a plain 404.
    re_path(r"^api/kent/", police_uk_unknown, name="policeuk_unknown"),
    path("", include("priorities.urls")),
    path("", include("wards.urls")),
    path("", include("feedback.urls")),
]

# A database outage is answered 503 with Retry-After, any other failure 500; the same page.
handler500 = "core.views.errors.server_error"
