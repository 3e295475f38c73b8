from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

admin.site.site_header = _("Emulation and Commendation — administration")
admin.site.site_title = _("Thi đua administration")
admin.site.index_title = _("Data administration")

urlpatterns = [
    path("", include("core.urls")),
    path("", include("clusters.urls")),
    path("", include("awards.urls")),
    path("", include("campaigns.urls")),
    path("", include("reports.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
