"""Saved searches, their alert settings, and the record of every digest sent.

Exactly-once per (search, letter): a letter is put in a digest by inserting a
``DigestLetter`` row, unique on (search, letter), in the same transaction that creates
the ``Digest`` and moves the search's ``alert_mark``. The email is sent after that
commit, and the digest marked sent; a digest left unsent by a killed worker is sent by
the next run (same Message-ID), never rebuilt, so nothing is lost and nothing is put in
two digests (see alerts.digest).

Digests go to ``user.email`` only once that address is verified (``AlertAddress``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.http import QueryDict
from django.urls import reverse

from determinations.filters import ItemFilterSet


def canonical_state(query: str | QueryDict) -> str:
    """What a saved search stores for a list URL's query: ``ItemFilterSet``'s canonical
    query string, page left out (a saved search is a question, not a place in its
    results). Hand-typed, reordered or invalid values all store the same state."""
    data = QueryDict(query, mutable=True) if isinstance(query, str) else query.copy()
    data.pop("page", None)
    return ItemFilterSet(data).canonical_query_string()


class Frequency(models.TextChoices):
    OFF = "off", "Off"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class Kind(models.TextChoices):
    LIST = "list", "List"
    ANALYTICS = "analytics", "Analytics"


class SavedSearch(models.Model):
    """A list or analytics URL saved by a user, as the list's canonical filter state."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LIST)
    # ItemFilterSet's canonical query string (``canonical_state``), never the URL as
    # typed: "drug=hydrocodone&outcome=overturned".
    state = models.TextField(blank=True)
    # Analytics pages only: their own options (by, order), as a query string.
    view_options = models.CharField(max_length=200, blank=True)
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.OFF)
    created_at = models.DateTimeField(auto_now_add=True)
    # "New since you last opened it": letters ingested after this.
    last_opened_at = models.DateTimeField()
    # When the alert was last switched on: a digest never holds a letter ingested before
    # (a new alert does not mail the back catalogue).
    alert_since = models.DateTimeField()
    # Moved by each digest to the moment it was built: the next one looks at letters
    # ingested after it, less alerts.digest.IN_FLIGHT (a letter's created_at is set before
    # its transaction commits); DigestLetter keeps those from being sent twice.
    alert_mark = models.DateTimeField()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            # The digest job: one frequency's searches, user by user.
            models.Index(fields=["frequency", "user"], name="savedsearch_frequency"),
        ]
        verbose_name_plural = "saved searches"

    def __str__(self) -> str:
        return self.name

    def filterset(self) -> ItemFilterSet:
        """The stored state read back by the list's FilterSet: ``.qs`` (the matching
        items), ``.state``, ``.search``."""
        return ItemFilterSet(QueryDict(self.state))

    def url(self) -> str:
        """The saved page (list or analytics) with its filters."""
        name = "determinations:analytics" if self.kind == Kind.ANALYTICS else "determinations:list"
        query = "&".join(p for p in (self.state, self.view_options) if p)
        return reverse(name) + (f"?{query}" if query else "")

    def list_url(self, **extra: str) -> str:
        """The list page of this search's results."""
        query = "&".join(p for p in (self.state, urlencode(extra)) if p)
        return reverse("determinations:list") + (f"?{query}" if query else "")


class Digest(models.Model):
    """One email to one user for one period: which searches and letters it carried."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_digests"
    )
    frequency = models.CharField(max_length=8, choices=Frequency.choices)
    # The period's key ("2026-12-04", "2026-W49"): one digest per user, frequency, period.
    period = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)
    # Null until the SMTP server accepted the message; a run sends the unsent ones first.
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "frequency", "period"], name="digest_once_per_period"
            ),
        ]
        indexes = [
            # Each run starts with the digests a previous run committed but did not send.
            models.Index(
                fields=["created_at"], name="digest_unsent", condition=models.Q(sent_at=None)
            ),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.frequency} digest {self.period} for {self.user}"


class DigestLetter(models.Model):
    """A letter sent to a search's digest. The unique pair is the exactly-once guarantee."""

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="letters")
    search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="sent")
    determination = models.ForeignKey(
        "determinations.Determination", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["search", "determination"], name="digest_letter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.search_id}: {self.determination_id}"


class AddressState(models.TextChoices):
    """Whether a user's digests can be mailed (``AlertAddress.state_of``)."""

    NONE = "none", "No email address"
    UNVERIFIED = "unverified", "Not verified"
    VERIFIED = "verified", "Verified"


# Users whose digests can be mailed: their address is the one whose link they opened.
# ``user.email`` stays the address (the admin's user page shows and edits it); an address
# changed there is unverified until its own link is opened.
USABLE_ADDRESS = ~Q(email="") & Q(
    alert_address__verified_at__isnull=False, alert_address__email=F("email")
)


class AlertAddress(models.Model):
    """The address a user set for their alerts (on the account page) and whether the
    verification link mailed to it was opened. A user without this row, or whose
    ``email`` is no longer this one, or who has not opened the link, gets no digests:
    ``USABLE_ADDRESS`` is the rule, used by the digest job, My searches and the admin."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="alert_address",
    )
    # The address the last verification link was for (and, once verified, the verified
    # one): a copy of ``user.email`` when it was set.
    email = models.EmailField()
    verified_at = models.DateTimeField(null=True, blank=True)
    # When the last verification link was mailed: resending waits LINK_RESEND_SECONDS.
    link_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "alert email address"
        verbose_name_plural = "alert email addresses"

    def __str__(self) -> str:
        return self.email

    @staticmethod
    def state_of(user: Any) -> AddressState:
        """The user's address state. A query unless ``alert_address`` is loaded."""
        if not user.email:
            return AddressState.NONE
        try:
            address = user.alert_address
        except AlertAddress.DoesNotExist:
            address = None
        return AlertAddress.state_for(user.email, address)

    @staticmethod
    def state_for(email: str, address: AlertAddress | None) -> AddressState:
        """The state of ``email`` (a user's address) given their row, if any."""
        if not email:
            return AddressState.NONE
        if address is not None and address.verified_at is not None and address.email == email:
            return AddressState.VERIFIED
        return AddressState.UNVERIFIED
