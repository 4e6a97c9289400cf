from django.apps import AppConfig


class WardsConfig(AppConfig):
    name = "wards"

    def ready(self) -> None:
        from wards import converters

        converters.register()
        from wards import crime, signals
        from wards.sections import register_ward_section

        signals.connect()
        # Between the ward's published concerns (15) and its events (20): the evidence beside the concerns.
        register_ward_section(order=17, template="wards/_crime_section.html", context=crime.ward_section)
