"""Writes for the PACT cycle, split by sub-domain: events, concerns, ballots and priorities.

Every service checks permission and state, raises PrioritiesError with one of the messages at the
top of its module, writes in one transaction, audits, and enqueues work on commit.
"""
