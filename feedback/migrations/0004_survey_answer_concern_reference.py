from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_multiple_choice_needs_maximum"),
    ]

    operations = [
        migrations.AddField(
            model_name="surveyanswer",
            name="concern_reference",
            field=models.CharField(
                blank=True,
                help_text="The PACT concern this free-text answer was raised as, if any.",
                max_length=12,
            ),
        ),
    ]
