"""Addresses of the priorities API, included under /api/v1/ (namespace "api") by pact.urls."""

from django.urls import path

from priorities.api import views

urlpatterns = [
    path("priorities/", views.PriorityList.as_view(), name="priority_list"),
    path("priorities/<int:id>/", views.PriorityDetail.as_view(), name="priority_detail"),
    path("events/", views.EventList.as_view(), name="event_list"),
    path("updates/", views.UpdateList.as_view(), name="update_list"),
]
