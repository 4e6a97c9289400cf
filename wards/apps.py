from django.apps import AppConfig


class WardsConfig(AppConfig):
    name = "wards"

    def ready(self) -> None:
        from wards import signals

        signals.connect()
