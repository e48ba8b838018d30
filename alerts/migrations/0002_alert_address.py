import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def trust_existing_addresses(apps, schema_editor):
    """Addresses stored before verification existed were set by an administrator (the
    only way then) and digests went to them: they count as verified, so no user stops
    getting digests on upgrade. Frozen models only, as migrations must."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    address = apps.get_model("alerts", "AlertAddress")
    now = timezone.now()
    address.objects.bulk_create(
        address(user_id=pk, email=email, verified_at=now)
        for pk, email in user_model.objects.exclude(email="").values_list("pk", "email")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AlertAddress",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="alert_address",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("email", models.EmailField(max_length=254)),
                ("verified_at", models.DateTimeField(blank=True, null=True)),
                ("link_sent_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "alert email address",
                "verbose_name_plural": "alert email addresses",
            },
        ),
        migrations.RunPython(trust_existing_addresses, migrations.RunPython.noop),
    ]
