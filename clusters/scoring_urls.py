from __future__ import annotations

from django.urls import URLPattern, path

from clusters import scoring_views as views

# Appended to the "clusters" namespace by clusters/urls.py; names start with score_, pledge_,
# vote_ or ranking_.
T = "cum-khoi/nam/<int:term_pk>"
B = "bang-diem/<int:pk>"
urlpatterns: list[URLPattern] = [
    path("cum-khoi/tong-ket/", views.score_overview, name="score_overview"),
    path("cum-khoi/de-nghi-khen-thuong/", views.vote_proposals, name="vote_proposals"),
    path(f"{T}/cham-diem/", views.score_workspace, name="score_workspace"),
    path(f"{T}/chuyen-giai-doan/", views.score_advance, name="score_advance"),
    path(f"{T}/cai-dat/", views.score_settings, name="score_settings"),
    path(f"{T}/bang-diem/tao/", views.score_table_create, name="score_table_create"),
    path(f"{B}/", views.score_table, name="score_table"),
    path(f"{B}/sua/", views.score_table_edit, name="score_table_edit"),
    path(f"{B}/nhom/them/", views.score_group_edit, name="score_group_add"),
    path(f"{B}/nhom/<int:group_pk>/sua/", views.score_group_edit, name="score_group_edit"),
    path(f"{B}/tieu-chi/them/", views.score_criterion_edit, name="score_criterion_add"),
    path(f"{B}/tieu-chi/<int:criterion_pk>/sua/", views.score_criterion_edit, name="score_criterion_edit"),
    path(f"{B}/xep-loai/them/", views.score_band_edit, name="score_band_add"),
    path(f"{B}/xep-loai/<int:band_pk>/sua/", views.score_band_edit, name="score_band_edit"),
    path(f"{B}/xoa/<str:kind>/<int:item_pk>/", views.score_item_delete, name="score_item_delete"),
    path(f"{B}/nhap/", views.score_table_import, name="score_table_import"),
    path(f"{B}/sua-doi/", views.score_table_revise, name="score_table_revise"),
    path(f"{B}/ap-dung/", views.score_table_adopt, name="score_table_adopt"),
    path(f"{T}/giao-uoc/", views.pledge_sign, name="pledge_sign"),
    path(f"{T}/giao-uoc/van-ban/", views.pledge_document, name="pledge_document"),
    path(f"{T}/tu-cham/<int:unit_pk>/", views.score_self, name="score_self"),
    path("minh-chung/<int:pk>/", views.score_evidence_file, name="score_evidence_file"),
    path(f"{T}/cham-cheo/", views.score_grid, name="score_grid"),
    path(f"{T}/cham-cheo/<int:unit_pk>/<int:criterion_pk>/", views.score_grid_cell, name="score_grid_cell"),
    path(f"{T}/kiem-tra/", views.score_grid, {"mode": "office"}, name="score_office"),
    path(
        f"{T}/kiem-tra/<int:unit_pk>/<int:criterion_pk>/",
        views.score_grid_cell,
        {"mode": "office"},
        name="score_office_cell",
    ),
    path(f"{T}/so-sanh/", views.score_compare, name="score_compare"),
    path(f"{T}/dieu-kien/", views.score_flags, name="score_flags"),
    path(f"{T}/dieu-kien/<int:flag_pk>/dong/", views.score_flag_close, name="score_flag_close"),
    path(f"{T}/xep-hang/", views.ranking_view, name="ranking_view"),
    path(f"{T}/binh-xet/", views.vote_page, name="vote_page"),
    path(f"{T}/binh-xet/ket-thuc/", views.vote_close, name="vote_close"),
    path(f"{T}/bien-ban.pdf", views.vote_minutes, name="vote_minutes"),
]
