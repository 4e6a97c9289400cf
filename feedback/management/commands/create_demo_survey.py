"""A demo consultation survey with a few thousand generated answers, its results public."""

import time

from django.core.management.base import BaseCommand

from feedback.demo import demo_survey_create


class Command(BaseCommand):
    help = "Create the demo police and crime survey (the shape of the 2021 one) with generated answers."

    def handle(self, *args, **options):
        started = time.monotonic()
        result = demo_survey_create()
        state = "created" if result.created else "already there"
        self.stdout.write(
            f"Demo survey {result.survey.slug} {state}: {result.responses} responses, "
            f"in {time.monotonic() - started:.1f}s."
        )
