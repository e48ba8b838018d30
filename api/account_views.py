"""The user's account page: their API tokens, made and revoked here."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from api.models import ApiToken


@require_GET
def account(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _page(request: HttpRequest, new_secret: str | None = None) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "api/account.html",
        {
            "tokens": tokens,
            "new_secret": new_secret,
            "api_root": request.build_absolute_uri(reverse("api:items")),
        },
    )


@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    name = " ".join(request.POST.get("name", "").split())[:100] or "API token"
    _token, secret = ApiToken.create_for(request.user, name)
    # Shown in this response only: the secret is stored nowhere (only its hash).
    response = _page(request, new_secret=secret)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke()
    messages.success(request, f"Token \u201c{token.name}\u201d revoked.")
    return redirect("account")
