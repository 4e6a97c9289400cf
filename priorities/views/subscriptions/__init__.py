"""URLs of the subscriptions pages (public.py for residents; staff never see subscribers)."""

from django.urls import path

from priorities.views.subscriptions import public

urlpatterns: list = [
    path("wards/<ward:code>/subscribe/", public.ward_subscribe, name="ward_subscribe"),
    path("wards/<ward:code>/subscribe/sent/", public.ward_subscribe_sent, name="ward_subscribe_sent"),
    path("teams/<slug:slug>/subscribe/", public.team_subscribe, name="team_subscribe"),
    path("teams/<slug:slug>/subscribe/sent/", public.team_subscribe_sent, name="team_subscribe_sent"),
    path("subscriptions/confirm/<str:token>/", public.subscription_confirm_view, name="subscription_confirm"),
    path(
        "subscriptions/unsubscribe/<str:token>/", public.subscription_unsubscribe_view, name="subscription_unsubscribe"
    ),
]
