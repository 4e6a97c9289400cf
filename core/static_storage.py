"""The static files storage as deployed: hashed names, gzip and Brotli copies, module imports hashed.

WhiteNoise serves a file whose name carries its content hash with a year-long
``Cache-Control: max-age=…, public, immutable`` and picks the ``.br`` or ``.gz`` copy the
browser accepts. JavaScript modules import each other by relative path; Django rewrites those
imports to the hashed names too, so an imported module is cached as long as the page's own
files instead of being fetched again after a minute under its plain name.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
