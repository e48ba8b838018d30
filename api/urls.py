from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.settings import SPECTACULAR_DEFAULTS
from drf_spectacular.views import SpectacularAPIView

from api import views

app_name = "api"

# Token-authenticated calls carry no session: the site's LoginRequiredMiddleware would
# send them to the sign-in page, so DRF's own authentication and permissions decide here.
urlpatterns = [
    path("items/", login_not_required(views.ItemList.as_view()), name="items"),
    path("letters/", login_not_required(views.LetterList.as_view()), name="letters"),
    path("facets/", login_not_required(views.Facets.as_view()), name="facets"),
    path("analytics/", login_not_required(views.Analytics.as_view()), name="analytics"),
    path("similar/", login_not_required(views.Similar.as_view()), name="similar"),
    path(
        "schema/",
        login_not_required(
            SpectacularAPIView.as_view(
                custom_settings={
                    "POSTPROCESSING_HOOKS": [
                        *getattr(settings, "SPECTACULAR_SETTINGS", {}).get(
                            "POSTPROCESSING_HOOKS", SPECTACULAR_DEFAULTS["POSTPROCESSING_HOOKS"]
                        ),
                        "api.schema.error_responses",
                    ]
                }
            )
        ),
        name="schema",
    ),
]
