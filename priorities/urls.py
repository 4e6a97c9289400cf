from priorities.views import (
    ballots,
    concerns,
    events,
    incident_logs,
    information,
    news,
    panels,
    priorities,
    progress,
    subscriptions,
    team,
    updates,
)
from priorities.views.reports import urlpatterns as report_urlpatterns

app_name = "priorities"

urlpatterns = [
    *events.urlpatterns,
    *concerns.urlpatterns,
    *ballots.urlpatterns,
    *priorities.urlpatterns,
    *progress.urlpatterns,
    *news.urlpatterns,
    *team.urlpatterns,
    *updates.urlpatterns,
    *subscriptions.urlpatterns,
    *information.urlpatterns,
    *incident_logs.urlpatterns,
    *panels.urlpatterns,
    *report_urlpatterns,
]
