class FeedbackError(Exception):
    """A request the feedback and survey rules refuse; its message is shown to the user as it is."""
