"""Static files as deployed: hashed names cached for good, compressed, module imports hashed too."""

from pathlib import Path

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

# Closing a response sends request_finished, which tidies the database connections.
pytestmark = pytest.mark.django_db

DEPLOYED = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.static_storage.StaticFilesStorage"},
}
# Long enough for WhiteNoise to compress it (it skips files where it saves little).
LIBRARY = "export function greet() { return 'hello'; }\n" + "// padding that compresses well\n" * 200
MODULE = 'import { greet } from "../vendor/library.js";\n\ngreet();\n'


@pytest.fixture
def collected(tmp_path: Path):
    source, root = tmp_path / "source", tmp_path / "root"
    (source / "vendor").mkdir(parents=True)
    (source / "js").mkdir()
    (source / "vendor" / "library.js").write_text(LIBRARY)
    (source / "js" / "init.js").write_text(MODULE)
    with override_settings(
        STORAGES=DEPLOYED,
        STATIC_ROOT=root,
        STATICFILES_DIRS=[source],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
        DEBUG=False,
    ):
        call_command("collectstatic", "--noinput", verbosity=0)
        middleware = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
        responses = []

        def get(url: str, accept_encoding: str):
            responses.append(middleware(RequestFactory().get(url, HTTP_ACCEPT_ENCODING=accept_encoding)))
            return responses[-1]

        yield get
        for response in responses:
            response.close()


def test_a_fingerprinted_file_is_cached_for_a_year_as_immutable_and_sent_compressed(collected):
    url = staticfiles_storage.url("vendor/library.js")
    assert url != "/static/vendor/library.js"  # the name carries the content's hash

    brotli = collected(url, "gzip, deflate, br")
    gzip = collected(url, "gzip, deflate")

    assert brotli.status_code == 200
    assert "immutable" in brotli["Cache-Control"]
    max_age = int(brotli["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age >= 365 * 24 * 3600
    assert brotli["Content-Encoding"] == "br"
    assert gzip["Content-Encoding"] == "gzip"
    assert int(brotli["Content-Length"]) < len(LIBRARY) / 5


def test_a_plain_name_is_not_cached_for_long(collected):
    response = collected("/static/vendor/library.js", "br")

    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]


def test_a_module_imports_the_hashed_name_of_what_it_imports(collected):
    hashed_init = Path(staticfiles_storage.path(staticfiles_storage.stored_name("js/init.js")))
    library = staticfiles_storage.stored_name("vendor/library.js").rsplit("/", 1)[1]

    assert f'from "../vendor/{library}"' in hashed_init.read_text()
