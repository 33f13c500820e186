from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("patients/<uuid:patient_id>/", views.chart_page, name="chart"),
    path("patients/<uuid:patient_id>/visits/new/", views.visit_create, name="visit-create"),
    path("visits/<uuid:visit_id>/", views.visit_page, name="visit"),
    path("visits/<uuid:visit_id>/details/", views.visit_details, name="visit-details"),
    path("visits/<uuid:visit_id>/history/", views.visit_history, name="visit-history"),
    path("visits/<uuid:visit_id>/chart/<slug:section_name>/", views.section_add, name="section-add"),
    path(
        "visits/<uuid:visit_id>/chart/<slug:section_name>/<uuid:child_id>/remove/",
        views.section_remove,
        name="section-remove",
    ),
    path("visits/<uuid:visit_id>/chart/<slug:section_name>/<uuid:child_id>/", views.section_row, name="section-row"),
    path(
        "visits/<uuid:visit_id>/chart/<slug:section_name>/<uuid:child_id>/edit/",
        views.section_edit,
        name="section-edit",
    ),
    path(
        "visits/<uuid:visit_id>/chart/<slug:section_name>/<uuid:child_id>/restore/",
        views.section_restore,
        name="section-restore",
    ),
    path("visits/<uuid:visit_id>/analysis/", views.analysis_panel, name="analysis"),
    path("visits/<uuid:visit_id>/compare/", views.visit_compare, name="compare"),
    path("visits/<uuid:visit_id>/plan/build/", views.plan_build, name="plan-build"),
    path("visits/<uuid:visit_id>/plan/status/", views.plan_status, name="plan-status"),
    path("visits/<uuid:visit_id>/plan/steps/add/", views.plan_step_add, name="plan-step-add"),
    path("visits/<uuid:visit_id>/plan/steps/<int:order>/move/", views.plan_move, name="plan-move"),
    path("visits/<uuid:visit_id>/plan/steps/<int:order>/drop/", views.plan_drop, name="plan-drop"),
    path("visits/<uuid:visit_id>/plan/steps/<int:order>/rationale/", views.plan_rationale, name="plan-rationale"),
    path("visits/<uuid:visit_id>/plan/steps/<int:order>/note/", views.plan_step_note, name="plan-step-note"),
    path("visits/<uuid:visit_id>/plan/words/", views.plan_words, name="plan-words"),
    path("visits/<uuid:visit_id>/plan/confirm/", views.plan_confirm, name="plan-confirm"),
    path("visits/<uuid:visit_id>/sign/", views.visit_sign, name="sign"),
    path("visits/<uuid:visit_id>/addenda/", views.addendum_add, name="addendum"),
    path("visits/<uuid:visit_id>/carry-forward/", views.carry_forward, name="carry-forward"),
    path("visits/<uuid:visit_id>/screening/still-negative/", views.screen_reconfirm, name="screen-reconfirm"),
    path("visits/<uuid:visit_id>/favourites/", views.favourites_panel, name="favourites"),
    path("visits/<uuid:visit_id>/favourites/save/", views.favourite_save, name="favourite-save"),
    path("visits/<uuid:visit_id>/favourites/<uuid:set_id>/chart/", views.favourite_chart, name="favourite-chart"),
    path("visits/<uuid:visit_id>/note/", views.visit_note_page, name="visit-note"),
    path("visits/<uuid:visit_id>/referral/", views.referral_edit, name="referral"),
    path("visits/<uuid:visit_id>/referral/panel/", views.referral_panel, name="referral-panel"),
]
