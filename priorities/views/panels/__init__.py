"""URLs of the panel membership pages (staff.py; public.py: accepting an invitation)."""

from django.urls import path

from priorities.views.panels import public, staff

urlpatterns: list = [
    path("staff/panels/", staff.panel_list, name="staff_panels"),
    path("staff/panels/<int:pk>/", staff.panel_detail, name="staff_panel"),
    path("staff/panels/<int:pk>/members/add/", staff.member_add, name="staff_panel_member_add"),
    path("staff/panels/<int:pk>/chair/", staff.chair_hand_over, name="staff_panel_chair"),
    path("staff/panels/<int:pk>/invite/", staff.invitation_issue, name="staff_panel_invite"),
    path("staff/panel-members/<int:pk>/edit/", staff.member_edit, name="staff_panel_member_edit"),
    path("staff/panel-members/<int:pk>/end/", staff.member_end, name="staff_panel_member_end"),
    path("staff/panel-invitations/<int:pk>/withdraw/", staff.invitation_revoke, name="staff_panel_invitation_revoke"),
    path("staff/invitations/<str:token>/", public.invitation_accept, name="panel_invitation_accept"),
]
