from __future__ import annotations

from django.urls import path

from campaigns import progress_urls, target_urls, views

app_name = "campaigns"
urlpatterns = [
    path("phong-trao/", views.campaign_list, name="campaign_list"),
    path("phong-trao/cua-don-vi/", views.my_campaigns, name="my_campaigns"),
    path("phong-trao/tao-moi/", views.campaign_create, name="campaign_create"),
    path("phong-trao/tu-van-ban/", views.campaign_from_directive, name="campaign_from_directive"),
    path(
        "phong-trao/tu-van-ban/xac-nhan/", views.campaign_confirm_directive, name="campaign_confirm_directive"
    ),
    path("phong-trao/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("phong-trao/<int:pk>/sua/<str:step>/", views.campaign_edit, name="campaign_edit"),
    path("phong-trao/<int:pk>/chuyen-trang-thai/", views.campaign_transition, name="campaign_transition"),
    path("phong-trao/<int:pk>/van-ban/", views.campaign_file, name="campaign_file"),
    path("phong-trao/<int:pk>/tai-lieu/<int:document_pk>/", views.campaign_file, name="campaign_document"),
    path(
        "phong-trao/<int:pk>/tai-lieu/them/", views.campaign_document_upload, name="campaign_document_upload"
    ),
]
# Targets (chỉ tiêu) and registration/progress screens live in their own modules.
urlpatterns += target_urls.urlpatterns + progress_urls.urlpatterns
