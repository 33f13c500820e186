from django.urls import path

from catalog.api import views

urlpatterns = [
    path("catalog/muscles/", views.MuscleList.as_view(), name="catalog-muscles"),
    path("catalog/muscles/<slug:slug>/", views.MuscleDetail.as_view(), name="catalog-muscle"),
    path("catalog/zones/", views.ZoneList.as_view(), name="catalog-zones"),
    path("catalog/stressors/", views.StressorKindList.as_view(), name="catalog-stressors"),
    path("catalog/patterns/", views.PatternList.as_view(), name="catalog-patterns"),
    path("catalog/safety-rules/", views.SafetyRuleList.as_view(), name="catalog-safety-rules"),
    path("catalog/outcome-measures/", views.OutcomeMeasureList.as_view(), name="catalog-outcome-measures"),
]
