# Feedback, complaints and surveys arrive with their issue.
