from django.urls import path

from similar import views

app_name = "similar"

urlpatterns = [
    path("", views.find_similar, name="find"),
]
