from django.urls import path

from determinations import views

app_name = "determinations"

urlpatterns = [
    path("", views.determination_list, name="list"),
    path("export.csv", views.determination_export, name="export"),
    path("letters/<int:pk>/", views.determination_detail, name="detail"),
    path("letters/<int:pk>/original", views.determination_file, name="file"),
]
