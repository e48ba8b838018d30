from django.contrib import admin
from django.urls import include, path

from api import account_views
from imr_site.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/", account_views.account, name="account"),
    path("account/tokens/", account_views.token_create, name="api_token_create"),
    path("account/tokens/<int:pk>/revoke/", account_views.token_revoke, name="api_token_revoke"),
    path("searches/", include("alerts.urls")),
    path("api/v1/", include("api.urls")),
    path("similar/", include("similar.urls")),
    path("", include("determinations.urls")),
]
