from priorities.views import ballots, concerns, events, workspace

app_name = "priorities"

urlpatterns = [*events.urlpatterns, *concerns.urlpatterns, *ballots.urlpatterns, *workspace.urlpatterns]
