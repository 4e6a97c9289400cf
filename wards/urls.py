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
    path("map/boundaries.json", views.force_map_boundaries, name="map_boundaries"),
    path("map/boundaries-detail.json", views.force_map_boundaries_detail, name="map_boundaries_detail"),
]
