"""Forms of the PACT cycle, split by sub-domain: events, concerns, ballots and priorities."""
