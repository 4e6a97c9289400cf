from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PactConfig(AppConfig):
    default = True
    name = "pact"
    verbose_name = "PACT"


class PactAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "pact.admin_site.PactAdminSite"
