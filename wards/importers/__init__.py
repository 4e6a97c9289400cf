"""Re-runnable importers for the open reference data in ``settings.PACT_DATA_DIR``.

One module per source. Each exposes a plain function that upserts its rows and returns an
:class:`~wards.importers.base.ImportResult`; the management commands only parse options and
print that result.
"""
