from __future__ import annotations

from django.urls import path

from awards import views

app_name = "awards"
urlpatterns = [
    path("ca-nhan/", views.person_list, name="person_list"),
    path("ca-nhan/<int:pk>/", views.person_detail, name="person_detail"),
    path("ca-nhan/tra-cuu-cccd/", views.citizen_id_lookup, name="citizen_id_lookup"),
]
