from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "priorities"
    verbose_name = "PACT cycle"

    def ready(self) -> None:
        from priorities import sections, signals

        sections.register()
        signals.connect()
