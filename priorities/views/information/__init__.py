"""URLs of partner information reports (partner.py for partner agencies, staff.py for the ward's team).

Never public: every page here is a staff page, never cached, and every view of a report is audited.
"""

from django.urls import path

from priorities.views.information import partner, staff

urlpatterns: list = [
    path("staff/partner/information/", partner.information_list, name="partner_information"),
    path("staff/partner/information/new/", partner.information_new, name="partner_information_new"),
    path("staff/information/", staff.information_list, name="staff_information"),
    path("staff/information/<int:pk>/", staff.information_detail, name="staff_information_detail"),
    path("staff/information/<int:pk>/review/", staff.information_review, name="staff_information_review"),
    path("staff/information/<int:pk>/concern/", staff.information_to_concern, name="staff_information_concern"),
]
