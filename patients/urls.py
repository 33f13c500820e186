from django.urls import path

from patients import views

app_name = "patients"

urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_create, name="create"),
    path("<uuid:patient_id>/edit/", views.patient_edit, name="edit"),
    path("<uuid:patient_id>/<slug:panel_name>/", views.panel_add, name="panel-add"),
    path("<uuid:patient_id>/<slug:panel_name>/<uuid:object_id>/", views.panel_edit, name="panel-edit"),
    path(
        "<uuid:patient_id>/<slug:panel_name>/<uuid:object_id>/archive/",
        views.panel_archive,
        name="panel-archive",
    ),
]
