from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"

    def ready(self) -> None:
        from feedback import satisfaction, sections
        from feedback.services import retention

        retention.register()
        sections.register()
        satisfaction.plug()
