"""Views of the feedback app, split by part: feedback/ (forms and triage), surveys/ and equality/."""
