from django.contrib import admin

from core.admin import AuditedAdmin
from wards.models import District, NeighbourhoodTeam, Officer, Postcode, Ward


@admin.register(District)
class DistrictAdmin(AuditedAdmin):
    list_display = ["name", "code", "former_name"]
    search_fields = ["name", "code"]
    exclude = ["boundary"]


@admin.register(NeighbourhoodTeam)
class NeighbourhoodTeamAdmin(AuditedAdmin):
    list_display = ["name", "slug", "district", "is_demo"]
    list_filter = ["district", "is_demo"]
    search_fields = ["name", "slug"]


@admin.register(Ward)
class WardAdmin(AuditedAdmin):
    list_display = ["name", "code", "district", "team", "generation_low", "generation_high"]
    list_filter = ["district", "generation_low", "generation_high"]
    list_select_related = ["district", "team"]
    search_fields = ["name", "code"]
    exclude = ["boundary"]
    readonly_fields = ["centroid_lat", "centroid_lng", "min_lat", "min_lng", "max_lat", "max_lng"]


@admin.register(Postcode)
class PostcodeAdmin(AuditedAdmin):
    list_display = ["postcode", "outward", "in_2014", "is_current"]
    list_filter = ["in_2014", "is_current"]
    search_fields = ["postcode"]


@admin.register(Officer)
class OfficerAdmin(AuditedAdmin):
    list_display = ["__str__", "collar_number", "team", "is_demo"]
    list_filter = ["rank", "is_demo"]
    list_select_related = ["team"]
    search_fields = ["last_name", "first_name", "collar_number"]
    raw_id_fields = ["user"]
