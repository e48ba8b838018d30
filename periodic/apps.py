from django.apps import AppConfig


class PeriodicConfig(AppConfig):
    name = "periodic"
    verbose_name = "Scheduled jobs"
    default_auto_field = "django.db.models.BigAutoField"
