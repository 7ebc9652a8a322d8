from django.urls import path
from rest_framework.routers import DefaultRouter

from partnerships.api import views
from partnerships.api.ingest import IngestView
from partnerships.api.reports import CooperationReportView

router = DefaultRouter()
router.register("institutions", views.InstitutionViewSet)
router.register("people", views.PersonViewSet)
router.register("posts", views.PostViewSet)
router.register("agreements", views.AgreementViewSet)
router.register("project-types", views.ProjectTypeViewSet)
router.register("industries", views.IndustryViewSet)
router.register("regions", views.RegionViewSet)
router.register("events", views.EventViewSet)
router.register("sources", views.SourceDocumentViewSet)
router.register("projects", views.ProjectViewSet)
router.register("fundings", views.FundingViewSet)
router.register("institution-relations", views.InstitutionRelationViewSet)
router.register("saved-views", views.SavedViewViewSet)

app_name = "api"
urlpatterns = [
    path("auth/token/", views.TokenObtainView.as_view(), name="token-obtain"),
    path("ingest/", IngestView.as_view(), name="ingest"),
    path("reports/cooperation/", CooperationReportView.as_view(), name="report-cooperation"),
    *router.urls,
]
