from feedback.views import feedback, surveys

app_name = "feedback"

urlpatterns = [
    *feedback.urlpatterns,
    *surveys.urlpatterns,
]
