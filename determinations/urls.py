from django.urls import path

from determinations import views

app_name = "determinations"

urlpatterns = [
    path("", views.determination_list, name="list"),
    path("letters/<int:pk>/", views.determination_detail, name="detail"),
]
