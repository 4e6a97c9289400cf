from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="professional_standards")


class Migration(migrations.Migration):
    dependencies = [("pact", "0003_outbound_email")]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
