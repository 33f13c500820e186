from django.urls import path
from rest_framework.routers import SimpleRouter

from assessments.api import document_views, views

router = SimpleRouter(trailing_slash=True)
router.register("visits", views.VisitViewSet, basename="visit")
router.register("findings", views.FindingViewSet, basename="finding")
router.register("muscle-tests", views.MuscleTestViewSet, basename="muscle-test")
router.register("observations", views.ObservationViewSet, basename="observation")
router.register("favourites", views.FavouriteViewSet, basename="favourite")

urlpatterns = [
    path("visits/<uuid:pk>/compare/", views.VisitCompare.as_view(), name="visit-compare"),
    path("patients/<uuid:patient_id>/progress/", views.PatientProgress.as_view(), name="patient-progress"),
    path("visits/<uuid:pk>/home-care.pdf", document_views.HomeCarePdf.as_view(), name="visit-home-care-pdf"),
    path("patients/<uuid:patient_id>/progress.pdf", document_views.ProgressPdf.as_view(), name="patient-progress-pdf"),
    path("visits/<uuid:pk>/note.pdf", document_views.VisitNotePdf.as_view(), name="visit-note-pdf"),
    path("visits/<uuid:pk>/referral.pdf", document_views.ReferralPdf.as_view(), name="visit-referral-pdf"),
    path("visits/<uuid:pk>/referral/", document_views.ReferralLetterView.as_view(), name="visit-referral"),
    *router.urls,
]
