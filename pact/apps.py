from django.apps import AppConfig


class PactConfig(AppConfig):
    name = "pact"
    verbose_name = "PACT"
