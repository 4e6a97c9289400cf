from django.conf import settings


def site(request):
    """Names every page shows, and whether the signed-in user is staff (for the header)."""
    from core.roles import is_staff_member

    return {
        "site_name": settings.PACT_SITE_NAME,
        "force_name": settings.PACT_FORCE_NAME,
        "is_staff_member": is_staff_member(request.user) if hasattr(request, "user") else False,
    }
