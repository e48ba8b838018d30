from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        # Sign-ins, uploads and corrections are recorded where Django and the ingest app
        # announce them (auth signals, post_save): see audit.receivers.
        from audit import receivers  # noqa: F401
