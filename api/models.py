"""Per-user API tokens. Only a hash of each token is stored; the token is shown once."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

# "imr_" + 40 URL-safe characters: recognisable in a leaked-secrets scan.
TOKEN_PREFIX = "imr_"  # noqa: S105 (a label, not a secret)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A token a user made on their account page for scripts; revoked there, never deleted
    (the audit log's API calls keep pointing at it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    # SHA-256 of the whole token: a token is 240 random bits, so no salt or slow hash.
    key_hash = models.CharField(max_length=64, unique=True)
    # The first characters, to tell tokens apart on the account page ("imr_Ab3d...").
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}...)"

    @classmethod
    def create_for(cls, user, name: str) -> tuple[ApiToken, str]:
        """A new token and its secret (the only time the secret exists in clear)."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(30)
        token = cls.objects.create(
            user=user, name=name[:100], key_hash=hash_token(secret), prefix=secret[:12]
        )
        return token, secret

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
