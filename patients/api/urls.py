from django.urls import path
from rest_framework.routers import SimpleRouter

from patients.api import views

router = SimpleRouter(trailing_slash=True)
router.register("patients", views.PatientViewSet, basename="patient")
router.register("stressors", views.StressorViewSet, basename="stressor")
router.register("injuries", views.InjuryViewSet, basename="injury")
router.register("treatments", views.TreatmentViewSet, basename="treatment")

urlpatterns = [
    path("patients/<uuid:patient_id>/stressors/", views.PatientStressors.as_view(), name="patient-stressors"),
    path("patients/<uuid:patient_id>/injuries/", views.PatientInjuries.as_view(), name="patient-injuries"),
    path("patients/<uuid:patient_id>/treatments/", views.PatientTreatments.as_view(), name="patient-treatments"),
    *router.urls,
]
