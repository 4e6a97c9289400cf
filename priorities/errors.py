class PrioritiesError(Exception):
    """A request the PACT cycle's rules refuse; its message is shown to the user as it is."""
