from __future__ import annotations

from django.urls import path

from clusters import views

app_name = "clusters"
urlpatterns = [
    path("don-vi/", views.unit_list, name="unit_list"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("cum-khoi/", views.cluster_list, name="cluster_list"),
    path("cum-khoi/<int:pk>/", views.cluster_detail, name="cluster_detail"),
]
