from django.apps import AppConfig


class DwcsyncConfig(AppConfig):
    name = "dwcsync"
    verbose_name = "Sync from DWC"
    default_auto_field = "django.db.models.BigAutoField"
