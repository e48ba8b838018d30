"""The account page's "Email for alerts" section, kept with the alerts app that owns it."""

from __future__ import annotations

from typing import Any

from django import template

from alerts.address import LINK_RESEND_INTERVAL, VERIFY_LINK_AGE
from alerts.models import AlertAddress

register = template.Library()


@register.inclusion_tag("alerts/account_address.html", takes_context=True)
def alert_address_section(context: template.Context) -> dict[str, Any]:
    """The signed-in user's alert address and its state (one query)."""
    user = context["user"]
    address = AlertAddress.objects.filter(user=user).first()
    return {
        "user": user,
        "address": address,
        "state": AlertAddress.state_for(user.email, address),
        "link_days": VERIFY_LINK_AGE.days,
        "resend_seconds": int(LINK_RESEND_INTERVAL.total_seconds()),
        "csrf_token": context.get("csrf_token"),
    }
