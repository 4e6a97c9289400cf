from django.urls import path

from wards import views

app_name = "wards"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/places.json", views.place_suggestions, name="place_suggestions"),
    path("wards/", views.ward_index, name="index"),
    path("wards/<ward:code>/", views.ward_detail, name="detail"),
    path("teams/<slug:slug>/", views.team_detail, name="team"),
    path("map/", views.force_map, name="map"),
    path("map/wards.geojson", views.force_map_geojson, name="map_geojson"),
]
