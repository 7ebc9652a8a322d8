from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("map/", views.province_map, name="map"),
    path("institutions/<int:pk>/", views.institution_profile, name="institution"),
    path("institutions/<int:pk>/network/", views.institution_network, name="network"),
    path("regions/<str:code>/network/", views.region_network, name="region-network"),
    path("report/", views.cooperation_report, name="report"),
    path("saved-views/", views.saved_views, name="saved-views"),
]
