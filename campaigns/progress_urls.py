"""Registration (đăng ký) and progress (tiến độ) screens, appended to the "campaigns" namespace."""

from __future__ import annotations

from django.urls import URLPattern, path

from campaigns import progress_views

urlpatterns: list[URLPattern] = [
    path("phong-trao/<int:pk>/dang-ky/", progress_views.registration_board, name="registration_board"),
    path(
        "phong-trao/<int:pk>/dang-ky/cua-don-vi/", progress_views.registration_mine, name="registration_mine"
    ),
    path(
        "phong-trao/<int:pk>/dang-ky/don-vi/<int:unit_pk>/",
        progress_views.registration_edit,
        name="registration_edit",
    ),
    path("phong-trao/<int:pk>/tien-do/", progress_views.progress_view, name="progress_view"),
    path("phong-trao/<int:pk>/tien-do/cua-don-vi/", progress_views.progress_mine, name="progress_mine"),
    path(
        "phong-trao/<int:pk>/tien-do/don-vi/<int:unit_pk>/",
        progress_views.progress_entry,
        name="progress_entry",
    ),
]
