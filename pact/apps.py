from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project on top of the apps: its management commands (setup_pact, demo staff).

    It has no models; its label is not ``pact`` because the ground floor (core) keeps that one.
    """

    default = True
    name = "pact"
    label = "project"
    verbose_name = "PACT project"
