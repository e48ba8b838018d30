from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.saved_searches, name="searches"),
    path("save/", views.search_save, name="save"),
    path("<int:pk>/", views.search_update, name="update"),
    path("<int:pk>/open/", views.search_open, name="open"),
    path("<int:pk>/delete/", views.search_delete, name="delete"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
