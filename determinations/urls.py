from django.urls import path

from determinations import analytics_views, views

app_name = "determinations"

urlpatterns = [
    path("", views.determination_list, name="list"),
    path("export.csv", views.determination_export, name="export"),
    path("letters/<int:pk>/", views.determination_detail, name="detail"),
    path("letters/<int:pk>/original", views.determination_file, name="file"),
    path("analytics/", analytics_views.determination_analytics, name="analytics"),
    path("analytics.csv", analytics_views.analytics_csv, name="analytics_csv"),
    path("guidelines/", analytics_views.guideline_index, name="guidelines"),
    path("guidelines/<path:key>/", analytics_views.guideline_section, name="guideline_section"),
]
