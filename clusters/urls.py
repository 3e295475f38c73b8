from __future__ import annotations

from django.urls import path

from clusters import scoring_urls, views

app_name = "clusters"
urlpatterns = [
    path("don-vi/", views.unit_list, name="unit_list"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("cum-khoi/", views.cluster_list, name="cluster_list"),
    path("cum-khoi/<int:pk>/", views.cluster_detail, name="cluster_detail"),
]
# The scoring year (chấm điểm, xếp hạng, bình xét) lives in its own module.
urlpatterns += scoring_urls.urlpatterns
