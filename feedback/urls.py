from feedback.views import equality, feedback, surveys

app_name = "feedback"

urlpatterns = [
    *feedback.urlpatterns,
    *surveys.urlpatterns,
    *equality.urlpatterns,
]
