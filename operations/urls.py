from django.urls import path

from operations import audit_views

urlpatterns = [
    path("clinic/audit/", audit_views.audit_trail, name="audit"),
]
