from feedback.views import equality, feedback, satisfaction, surveys

app_name = "feedback"

urlpatterns = [
    *feedback.urlpatterns,
    *surveys.urlpatterns,
    *equality.urlpatterns,
    *satisfaction.urlpatterns,
]
