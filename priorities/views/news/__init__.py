"""URLs of the news pages (public.py for residents, staff.py for signed-in staff)."""

from django.urls import path

from priorities.views.news import public, staff

urlpatterns: list = [
    path("news/<int:pk>/", public.news_detail, name="news_detail"),
    path("teams/<slug:slug>/news/", public.team_news, name="team_news"),
    path("staff/news/", staff.news_list, name="staff_news"),
    path("staff/news/new/", staff.news_new, name="staff_news_new"),
    path("staff/news/<int:pk>/edit/", staff.news_edit, name="staff_news_edit"),
    path("staff/news/<int:pk>/delete/", staff.news_delete, name="staff_news_delete"),
]
