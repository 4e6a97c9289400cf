from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    """The ground floor every app stands on (see docs/architecture.md).

    Its Django label stays ``pact``: the tables, migrations, admin addresses and audit codes
    were named so before the project and its ground floor became two packages, and a label
    is part of the data, not of the code layout.
    """

    default = True
    name = "core"
    label = "pact"
    verbose_name = "PACT"

    def ready(self) -> None:
        from core import retention
        from core.roles import Role
        from core.staff_menu import staff_link

        retention.register()
        # The ground floor's own staff page on the staff home (the apps list theirs in staff_menu modules).
        staff_link(
            order=90,
            label="Personal data",
            url_name="staff:personal_data",
            roles=(Role.ADMINISTRATOR,),
            hint="Subject access requests and erasure for one email address",
        )


class PactAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "core.admin_site.PactAdminSite"
