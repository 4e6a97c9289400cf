from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "priorities"
    verbose_name = "PACT cycle"

    def ready(self) -> None:
        from priorities import intake, sections, signals
        from priorities.services import retention

        retention.register()
        intake.register()
        sections.register()
        signals.connect()
