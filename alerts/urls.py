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
    path("digest/send/", views.digest_send_now, name="send_now"),
    # The alert address, shown and set on the account page.
    path("address/", views.address_set, name="address_set"),
    path("address/resend/", views.address_resend, name="address_resend"),
    path("address/verify/<str:token>/", views.address_verify, name="address_verify"),
]
