# The PACT cycle (panels, meetings, concerns, ballots, priorities) arrives with its issue.
