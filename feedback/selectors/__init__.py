"""Reads of the feedback app, split by part: feedback, surveys and equality monitoring."""
