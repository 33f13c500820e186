from django.urls import path
from rest_framework.routers import SimpleRouter

from assessments.api import catalog_views, document_views, views

router = SimpleRouter(trailing_slash=True)
router.register("visits", views.VisitViewSet, basename="visit")
router.register("findings", views.FindingViewSet, basename="finding")
router.register("muscle-tests", views.MuscleTestViewSet, basename="muscle-test")

urlpatterns = [
    path("catalog/muscles/", catalog_views.MuscleList.as_view(), name="catalog-muscles"),
    path("catalog/muscles/<slug:slug>/", catalog_views.MuscleDetail.as_view(), name="catalog-muscle"),
    path("catalog/zones/", catalog_views.ZoneList.as_view(), name="catalog-zones"),
    path("catalog/stressors/", catalog_views.StressorKindList.as_view(), name="catalog-stressors"),
    path("catalog/patterns/", catalog_views.PatternList.as_view(), name="catalog-patterns"),
    path("catalog/safety-rules/", catalog_views.SafetyRuleList.as_view(), name="catalog-safety-rules"),
    path("catalog/outcome-measures/", catalog_views.OutcomeMeasureList.as_view(), name="catalog-outcome-measures"),
    path("visits/<uuid:pk>/compare/", views.VisitCompare.as_view(), name="visit-compare"),
    path("patients/<uuid:patient_id>/progress/", views.PatientProgress.as_view(), name="patient-progress"),
    path("visits/<uuid:pk>/home-care.pdf", document_views.HomeCarePdf.as_view(), name="visit-home-care-pdf"),
    path("patients/<uuid:patient_id>/progress.pdf", document_views.ProgressPdf.as_view(), name="patient-progress-pdf"),
    *router.urls,
]
