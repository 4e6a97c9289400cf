from django.urls import path

from wards.policeuk import views

app_name = "policeuk"

# The paths name our force literally: a pattern capturing any force would also take the
# paths of our own API under /api/v1/.
urlpatterns = [
    path("forces", views.forces, name="forces"),
    path("forces/<str:force_id>", views.force, name="force"),
    path("kent/neighbourhoods", views.neighbourhoods, name="neighbourhoods"),
    path("kent/<ward:code>", views.neighbourhood, name="neighbourhood"),
    path("kent/<ward:code>/boundary", views.boundary, name="boundary"),
    path("kent/<ward:code>/people", views.people, name="people"),
    path("locate-neighbourhood", views.locate_neighbourhood, name="locate"),
]
