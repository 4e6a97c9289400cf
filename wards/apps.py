from django.apps import AppConfig


class WardsConfig(AppConfig):
    name = "wards"

    def ready(self) -> None:
        from wards import converters

        converters.register()
        from wards import crime, selectors, signals
        from wards.sections import register_ward_section

        signals.connect()
        # After the priorities (10) and the coming meetings (20): who covers the ward, and how to reach them.
        register_ward_section(
            order=22,
            template="wards/_ward_officers.html",
            context=selectors.ward_officers_section,
            title="Your ward officers",
            anchor="officers",
        )
        # Folded after the concerns (24): the evidence beside them, for those who look.
        register_ward_section(
            order=27,
            template="wards/_crime_section.html",
            context=crime.ward_section,
            title="Crime and anti-social behaviour",
            anchor="crime",
            folded=True,
        )
