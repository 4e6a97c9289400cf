"""The wards part of PACT's own read API: districts, wards and neighbourhood teams."""
