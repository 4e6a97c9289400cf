"""Keep TOTP keys only encrypted, only for confirmed authenticators; add set-up links."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('pact', '0006_second_factor_encrypted_key'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # A default first, so that undoing this migration can add the column back to existing
        # rows (0006 then fills it in again).
        migrations.AlterField(
            model_name='secondfactor',
            name='key',
            field=models.CharField(default='', help_text='Base32 TOTP secret.', max_length=64),
        ),
        migrations.RemoveField(
            model_name='secondfactor',
            name='key',
        ),
        migrations.AlterField(
            model_name='secondfactor',
            name='encrypted_key',
            field=models.CharField(help_text='The base32 TOTP key, encrypted (core.encryption).', max_length=255),
        ),
        migrations.AlterField(
            model_name='secondfactor',
            name='confirmed_at',
            field=models.DateTimeField(),
        ),
        migrations.AddConstraint(
            model_name='secondfactor',
            constraint=models.CheckConstraint(condition=models.Q(('encrypted_key__startswith', 'gAAAAA')), name='second_factor_key_encrypted'),
        ),
        migrations.CreateModel(
            name='EnrolmentLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField()),
                ('expires_at', models.DateTimeField()),
                ('used_at', models.DateTimeField(blank=True, null=True)),
                ('enrolled_at', models.DateTimeField(blank=True, null=True)),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='enrolment_links', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'two-factor set-up link',
                'ordering': ['-created_at', '-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('expires_at__gt', models.F('created_at'))), name='enrolment_link_expires'), models.CheckConstraint(condition=models.Q(('token_hash', ''), _negated=True), name='enrolment_link_token_not_blank'), models.CheckConstraint(condition=models.Q(('enrolled_at__isnull', True), ('used_at__isnull', False), _connector='OR'), name='enrolment_link_used_first'), models.CheckConstraint(condition=models.Q(('enrolled_at__isnull', True), ('revoked_at__isnull', True), _connector='OR'), name='enrolment_link_spent_or_revoked'), models.UniqueConstraint(condition=models.Q(('enrolled_at__isnull', True), ('revoked_at__isnull', True)), fields=('user',), name='enrolment_link_one_open_per_user')],
            },
        ),
    ]
