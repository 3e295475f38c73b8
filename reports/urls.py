from __future__ import annotations

from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("bao-cao/", views.deadline_list, name="deadline_list"),
    path("bao-cao/tao-moi/", views.deadline_create, name="deadline_create"),
    path("bao-cao/dinh-ky/tao-moi/", views.schedule_create, name="schedule_create"),
    path("bao-cao/nhac-viec/", views.policy_edit, name="policy_edit"),
    path("bao-cao/cua-don-vi/", views.my_deadlines, name="my_deadlines"),
    path("bao-cao/cua-don-vi/lich/", views.my_calendar, name="my_calendar"),
    path("bao-cao/cua-don-vi/lich/dia-chi/", views.calendar_feed_manage, name="calendar_feed_manage"),
    path("bao-cao/lich/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("bao-cao/ky/<int:pk>/", views.deadline_board, name="deadline_board"),
    path("bao-cao/ky/<int:pk>/sua/", views.deadline_edit, name="deadline_edit"),
    path("bao-cao/ky/<int:pk>/khoa/", views.deadline_lock, name="deadline_lock"),
    path("bao-cao/ky/<int:pk>/nhac/<int:unit_pk>/", views.remind_unit, name="remind_unit"),
    path("bao-cao/ky/<int:pk>/don-vi/<int:unit_pk>/", views.report_detail, name="report_detail"),
    path(
        "bao-cao/ky/<int:pk>/don-vi/<int:unit_pk>/tu-dong-luu/", views.report_autosave, name="report_autosave"
    ),
    path("bao-cao/ky/<int:pk>/don-vi/<int:unit_pk>/duyet/", views.report_review, name="report_review"),
    path("bao-cao/ky/<int:pk>/don-vi/<int:unit_pk>/tep/", views.attachment_upload, name="attachment_upload"),
    path("bao-cao/tep/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("bao-cao/tep/<int:pk>/xoa/", views.attachment_delete, name="attachment_delete"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("thong-bao/chuong/", views.notification_bell, name="notification_bell"),
    path("thong-bao/da-doc/", views.notifications_read_all, name="notifications_read_all"),
    path("thong-bao/cai-dat/", views.notification_preferences, name="notification_preferences"),
    path("thong-bao/<int:pk>/da-doc/", views.notification_read, name="notification_read"),
]
