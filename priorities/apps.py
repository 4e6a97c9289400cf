from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "priorities"
    verbose_name = "PACT cycle"

    def ready(self) -> None:
        from priorities import facts, intake, scopes, sections, signals
        from priorities.services import retention

        retention.register()
        intake.plug()
        scopes.plug()
        facts.plug()
        sections.register()
        signals.connect()
