"""Writes of the feedback app, split by part: feedback, surveys, equality monitoring, retention.

Every service checks permission and state, raises FeedbackError with one of the messages at
the top of its module, and writes in one transaction; staff actions are audited.
"""
