from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"

    def ready(self) -> None:
        from feedback import sections
        from feedback.services import retention

        retention.register()
        sections.register()
