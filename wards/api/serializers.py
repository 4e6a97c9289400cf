"""How districts, wards and teams are shown in the API: public facts only, never contact details."""

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import MAX_ID
from wards.models import District, NeighbourhoodTeam, Officer, Ward

DISTRICT_CODE = r"^E0[67][0-9]{6}$"


def absolute(serializer: serializers.Serializer, name: str, *args: Any) -> str:
    """The absolute address of the URL ``name`` for the request being answered."""
    return serializer.context["request"].build_absolute_uri(reverse(name, args=args))


class WardFilters(serializers.Serializer):
    district = serializers.RegexField(
        DISTRICT_CODE, required=False, help_text="Only wards of this district (its ONS code, e.g. E07000110)."
    )
    team = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="Only wards of this team (its id)."
    )


class TeamFilters(serializers.Serializer):
    district = serializers.RegexField(
        DISTRICT_CODE, required=False, help_text="Only teams of this district (its ONS code, e.g. E07000110)."
    )


class DistrictRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ONS code of the local authority district.")
    name = serializers.CharField()


class TeamRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class WardRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ONS code of the ward.")
    name = serializers.CharField()


class CentroidSerializer(serializers.Serializer):
    lat = serializers.FloatField(source="centroid_lat")
    lng = serializers.FloatField(source="centroid_lng")


class DistrictSerializer(serializers.ModelSerializer):
    wards_url = serializers.SerializerMethodField(help_text="This district's wards in the API.")

    class Meta:
        model = District
        fields = ["code", "name", "former_name", "wards_url"]

    def get_wards_url(self, district: District) -> str:
        return absolute(self, "api:ward_list") + f"?district={district.code}"


class WardSerializer(serializers.ModelSerializer):
    district = DistrictRefSerializer()
    team = TeamRefSerializer(allow_null=True, help_text="The neighbourhood team policing it, if one is set.")
    centroid = CentroidSerializer(source="*")
    url = serializers.SerializerMethodField(help_text="This ward in the API.")
    page_url = serializers.SerializerMethodField(help_text="This ward's page on the website.")

    class Meta:
        model = Ward
        fields = ["code", "name", "district", "team", "centroid", "url", "page_url"]

    def get_url(self, ward: Ward) -> str:
        return absolute(self, "api:ward_detail", ward.code)

    def get_page_url(self, ward: Ward) -> str:
        return absolute(self, "wards:detail", ward.code)


class WardLinksSerializer(serializers.Serializer):
    priorities = serializers.URLField(help_text="The ward's priorities in the API.")
    events = serializers.URLField(help_text="The ward's coming meetings and surgeries in the API.")


class WardDetailSerializer(WardSerializer):
    bbox = serializers.SerializerMethodField(help_text="[min longitude, min latitude, max longitude, max latitude].")
    boundary = serializers.JSONField(help_text="GeoJSON geometry (Polygon or MultiPolygon), WGS84.")
    links = serializers.SerializerMethodField()

    class Meta(WardSerializer.Meta):
        fields = [*WardSerializer.Meta.fields, "old_code", "bbox", "boundary", "links"]

    @extend_schema_field({"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4})
    def get_bbox(self, ward: Ward) -> list[float]:
        return [ward.min_lng, ward.min_lat, ward.max_lng, ward.max_lat]

    @extend_schema_field(WardLinksSerializer)
    def get_links(self, ward: Ward) -> dict[str, str]:
        return {
            "priorities": absolute(self, "api:priority_list") + f"?ward={ward.code}",
            "events": absolute(self, "api:event_list") + f"?ward={ward.code}",
        }


class TeamSerializer(serializers.ModelSerializer):
    district = DistrictRefSerializer()
    wards = WardRefSerializer(many=True)
    url = serializers.SerializerMethodField(help_text="This team in the API.")
    page_url = serializers.SerializerMethodField(help_text="This team's page on the website.")

    class Meta:
        model = NeighbourhoodTeam
        fields = ["id", "slug", "name", "district", "is_demo", "wards", "url", "page_url"]
        extra_kwargs = {"is_demo": {"help_text": "An illustrative team made for demonstration data."}}

    def get_url(self, team: NeighbourhoodTeam) -> str:
        return absolute(self, "api:team_detail", team.pk)

    def get_page_url(self, team: NeighbourhoodTeam) -> str:
        return absolute(self, "wards:team", team.slug)


class OfficerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="full_name")
    rank_label = serializers.CharField(source="get_rank_display")

    class Meta:
        model = Officer
        fields = ["name", "rank", "rank_label", "collar_number", "is_demo"]
        extra_kwargs = {"is_demo": {"help_text": "A fictional officer made for demonstration data."}}


class TeamDetailSerializer(TeamSerializer):
    officers = OfficerSerializer(many=True, help_text="Most senior first. Contact the team through its page.")

    class Meta(TeamSerializer.Meta):
        fields = [*TeamSerializer.Meta.fields, "officers"]
