from __future__ import annotations

from django.urls import URLPattern, path

from campaigns import target_views

# Appended to the "campaigns" namespace by campaigns/urls.py; names start with "target_".
urlpatterns: list[URLPattern] = [
    path("phong-trao/<int:pk>/chi-tieu/them/", target_views.target_create, name="target_create"),
    path("phong-trao/<int:pk>/chi-tieu/<int:target_pk>/sua/", target_views.target_edit, name="target_edit"),
    path(
        "phong-trao/<int:pk>/chi-tieu/<int:target_pk>/xoa/", target_views.target_delete, name="target_delete"
    ),
    path("phong-trao/<int:pk>/chi-tieu/giao/", target_views.target_grid, name="target_grid"),
    path("phong-trao/<int:pk>/chi-tieu/mau.xlsx", target_views.target_template, name="target_template"),
    path("phong-trao/<int:pk>/chi-tieu/nhap/", target_views.target_import, name="target_import"),
]
