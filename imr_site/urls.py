from django.contrib import admin
from django.urls import include, path

from imr_site.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("similar/", include("similar.urls")),
    path("", include("determinations.urls")),
]
