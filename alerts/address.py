"""The address alerts are mailed to: set on the account page, and usable only once the
signed, expiring link mailed to it has been opened (``AlertAddress``, ``USABLE_ADDRESS``).

The link carries the user and the address, signed with a timestamp: it verifies that
address only while it is still the user's, for ``VERIFY_LINK_AGE``. It works signed out
(the signature is the authority), as the mail may be read on another device.
"""

from __future__ import annotations

import enum
import logging
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import BaseUserManager
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from alerts.digest import absolute
from alerts.models import AddressState, AlertAddress

log = logging.getLogger(__name__)

VERIFY_SALT = "alerts.verify-address"
VERIFY_LINK_AGE = timedelta(days=3)
# A link is mailed at most this often per user (setting or resending): the form cannot
# be used to flood an inbox, anyone's.
LINK_RESEND_INTERVAL = timedelta(seconds=60)


class LinkSent(enum.Enum):
    SENT = "sent"
    TOO_SOON = "too soon"
    FAILED = "failed"
    NOT_NEEDED = "not needed"  # no address, or already verified


def verification_token(user_id: int, email: str) -> str:
    return signing.TimestampSigner(salt=VERIFY_SALT).sign_object({"u": user_id, "e": email})


def read_verification_token(token: str) -> tuple[int, str]:
    """(user id, address) of a link; raises ``signing.SignatureExpired`` for an old link
    and ``signing.BadSignature`` for anything else not made by ``verification_token``."""
    value = signing.TimestampSigner(salt=VERIFY_SALT).unsign_object(token, max_age=VERIFY_LINK_AGE)
    if not (isinstance(value, dict) and isinstance(value.get("u"), int)):
        raise signing.BadSignature("not a verification link")
    if not isinstance(value.get("e"), str):
        raise signing.BadSignature("not a verification link")
    return value["u"], value["e"]


def clean_address(raw: str) -> str:
    """The address as stored (domain lower-cased); raises ``ValidationError``. Empty
    means no address."""
    email = BaseUserManager.normalize_email(raw.strip())
    if email:
        validate_email(email)
        if len(email) > 254:
            raise ValidationError("An email address has at most 254 characters.")
    return email


def set_address(user: Any, email: str) -> LinkSent:
    """Make ``email`` (already cleaned) the user's alert address, unverified, and mail
    its verification link. The same verified address again changes nothing; an empty
    one removes the address (no digests until a new one is verified)."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if email and email == user.email and AlertAddress.state_of(user) == AddressState.VERIFIED:
            return LinkSent.NOT_NEEDED
        user.email = email
        user.save(update_fields=["email"])
        if not email:
            AlertAddress.objects.filter(user=user).delete()
            return LinkSent.NOT_NEEDED
        # link_sent_at is kept: a new address does not reset the resend interval.
        AlertAddress.objects.update_or_create(
            user=user, defaults={"email": email, "verified_at": None}
        )
    return send_link(user)


def send_link(user: Any) -> LinkSent:
    """Mail the verification link of the user's unverified address, unless one went out
    less than ``LINK_RESEND_INTERVAL`` ago."""
    now = timezone.now()
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if AlertAddress.state_of(user) != AddressState.UNVERIFIED:
            return LinkSent.NOT_NEEDED
        address, _ = AlertAddress.objects.select_for_update().get_or_create(
            user=user, defaults={"email": user.email}
        )
        if address.link_sent_at and now - address.link_sent_at < LINK_RESEND_INTERVAL:
            return LinkSent.TOO_SOON
        previous = address.link_sent_at
        address.email = user.email
        address.link_sent_at = now
        address.save(update_fields=["email", "link_sent_at"])
    link = absolute(
        reverse("alerts:address_verify", args=[verification_token(user.pk, user.email)])
    )
    context = {
        "user": user,
        "link": link,
        "days": VERIFY_LINK_AGE.days,
        "account_url": absolute(reverse("account")),
    }
    message = EmailMessage(
        subject="Confirm your email address for IMR alerts",
        body=render_to_string("alerts/verify_address.txt", context),
        to=[user.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    try:
        message.send(fail_silently=False)
    except Exception:  # SMTP errors, refused connections, timeouts
        log.exception("verification link for user %s could not be sent", user.pk)
        # Not sent: the user may try again at once.
        AlertAddress.objects.filter(pk=user.pk, link_sent_at=now).update(link_sent_at=previous)
        return LinkSent.FAILED
    return LinkSent.SENT


def verify(user_id: int, email: str) -> bool:
    """Mark ``email`` verified for the user if it is still their address (a link for an
    address since replaced verifies nothing). True if it is now verified."""
    with transaction.atomic():
        user = (
            get_user_model().objects.select_for_update().filter(pk=user_id, is_active=True).first()
        )
        if user is None or not email or user.email != email:
            return False
        address, created = AlertAddress.objects.get_or_create(
            user=user, defaults={"email": email, "verified_at": timezone.now()}
        )
        if not created and (address.email != email or address.verified_at is None):
            address.email = email
            address.verified_at = timezone.now()
            address.save(update_fields=["email", "verified_at"])
    return True
