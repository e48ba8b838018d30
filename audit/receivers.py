"""Audit events for what Django and the ingest app announce: sign-ins (auth signals),
upload batches and corrections (post_save of ingest's models)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from audit import throttle
from audit.events import record
from audit.models import Action
from ingest.models import Correction, IngestBatch


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    throttle.reset(user.get_username())
    record(Action.LOGIN, request=request, user=user)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(Action.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any):
    username = str(credentials.get("username") or "")
    record(Action.LOGIN_FAILED, request=request, username=username)
    if request is not None:
        started = throttle.register_failure(request, username)
        if started is not None:
            record(
                Action.LOCKOUT,
                request=request,
                username=username,
                target=f"{started.scope} locked for {started.minutes} min",
            )


@receiver(post_save, sender=IngestBatch)
def on_upload(sender: Any, instance: IngestBatch, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    batch_id, user = instance.pk, instance.uploaded_by

    def after_commit() -> None:
        # The batch's files are created in the same transaction, after the batch row.
        batch = IngestBatch.objects.filter(pk=batch_id).first()
        if batch is not None:
            record(
                Action.UPLOAD,
                user=user,
                target=str(batch),
                rows=batch.files.count(),
                names=batch.uploaded_names[:1000],
            )

    transaction.on_commit(after_commit)


@receiver(post_save, sender=Correction)
def on_correction(sender: Any, instance: Correction, created: bool, **kwargs: Any) -> None:
    if created:
        record(
            Action.CORRECTION,
            user=instance.user,
            target=f"letter #{instance.determination_id}",
            change=instance.path,
            old=instance.old_value,
            new=instance.new_value,
        )
