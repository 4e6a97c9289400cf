from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PactConfig(AppConfig):
    default = True
    name = "pact"
    verbose_name = "PACT"

    def ready(self) -> None:
        from pact import retention
        from pact.roles import Role
        from pact.staff_menu import staff_link

        retention.register()
        # pact's own staff page on the staff home (the apps list theirs in staff_menu modules).
        staff_link(
            order=90,
            label="Personal data",
            url_name="staff:personal_data",
            roles=(Role.ADMINISTRATOR,),
            hint="Subject access requests and erasure for one email address",
        )


class PactAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "pact.admin_site.PactAdminSite"
