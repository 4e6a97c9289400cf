"""docker-compose.yml and the Dockerfile, checked offline (Docker does not run here).

The Compose Specification's JSON schema comes from the pinned check-jsonschema package,
which vendors it, so the check needs no network.
"""

import copy
import json
from importlib.resources import files
from pathlib import Path

import pytest
import yaml
from jsonschema import ValidationError
from jsonschema.validators import validator_for

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")


def _compose_schema() -> dict:
    schema = files("check_jsonschema.builtin_schemas.vendor").joinpath("compose-spec.json")
    return json.loads(schema.read_text(encoding="utf-8"))


def _validator():
    schema = _compose_schema()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_compose_schema_is_the_compose_specification():
    assert _compose_schema()["title"] == "Compose Specification"


def test_compose_file_matches_the_compose_specification(compose):
    errors = sorted(_validator().iter_errors(compose), key=lambda error: list(error.absolute_path))

    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


@pytest.mark.parametrize(
    ("service", "key", "value"),
    [
        ("web", "comand", "gunicorn pact.wsgi"),
        ("web", "depends_on", {"postgres": {"condition": "service_ready"}}),
        ("postgres", "healthcheck", {"test": ["CMD", "pg_isready"], "intervall": "5s"}),
        ("worker", "ports", "8000:8000"),
        ("beat", "environment", ["PACT_HTTPS", "PACT_HTTPS"]),
    ],
)
def test_compose_file_broken_is_rejected(compose, service, key, value):
    broken = copy.deepcopy(compose)
    broken["services"][service][key] = value

    with pytest.raises(ValidationError):
        _validator().validate(broken)


def test_compose_runs_every_service_we_rely_on(compose):
    services = compose["services"]

    assert set(services) >= {"postgres", "redis", *APP_SERVICES}
    assert services["postgres"]["image"].split(":")[1].startswith("15")
    assert services["redis"]["image"].split(":")[1].startswith("7")
    assert all("healthcheck" in service for service in services.values())


def test_compose_app_services_share_image_and_environment(compose):
    services = [compose["services"][name] for name in APP_SERVICES]

    assert len({service["image"] for service in services}) == 1
    assert all(service["environment"] == services[0]["environment"] for service in services)
    assert all(service["secrets"] == services[0]["secrets"] for service in services)


def test_compose_app_services_start_their_processes(compose):
    services = compose["services"]

    web = " ".join(services["web"]["command"])
    assert web.index("manage.py migrate") < web.index("manage.py collectstatic") < web.index("gunicorn pact.wsgi")
    assert services["worker"]["command"][:4] == ["celery", "-A", "pact", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "pact", "beat"]


def test_compose_app_services_wait_for_healthy_dependencies(compose):
    for name in APP_SERVICES:
        depends_on = compose["services"][name]["depends_on"]
        assert "redis" in depends_on, name
        assert {dependency["condition"] for dependency in depends_on.values()} == {"service_healthy"}, name
    assert "postgres" in compose["services"]["web"]["depends_on"]


def test_compose_environment_configures_the_servers(compose):
    env = compose["services"]["web"]["environment"]

    assert env["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    assert "ALLOWED_HOSTS" in env
    assert env["PACT_HTTPS"].removeprefix("${PACT_HTTPS:-").removesuffix("}") == "false"
    assert "SECRET_KEY" not in env
    assert env["SECRET_KEY_FILE"] == "/run/secrets/secret_key"
    assert "secret_key" in compose["secrets"]


def test_compose_reference_data_is_mounted_read_only(compose):
    env = compose["services"]["web"]["environment"]
    mounts = [volume for volume in compose["services"]["web"]["volumes"] if volume["source"] == "../shared/data"]

    assert mounts == [{"type": "bind", "source": "../shared/data", "target": env["PACT_DATA_DIR"], "read_only": True}]


def test_dockerfile_builds_assets_with_node_and_runs_on_python_slim(dockerfile):
    stages = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("FROM ")]

    assert stages[0].startswith("node:")
    assert stages[-1] == "python:3.11-slim"
    assert "npm ci" in dockerfile
    assert "node scripts/build-assets.mjs" in dockerfile
    assert "\nUSER " in dockerfile


def test_access_logs_leave_out_client_addresses_and_query_strings(compose, dockerfile):
    # A query string can hold a searched postcode; %(h)s is the client's address; %(r)s and
    # %(q)s carry the query string.
    web = " ".join(compose["services"]["web"]["command"])
    for command in (web, dockerfile.split("CMD", 1)[1]):
        assert "--access-logformat" in command
        assert "%(U)s" in command
        for field in ("%(h)s", "%(r)s", "%(q)s", "%(a)s"):
            assert field not in command


def test_finding_3_compose_trusts_only_its_own_proxy_for_client_addresses(compose):
    web = compose["services"]["web"]
    env = web["environment"]

    assert env["PACT_BEHIND_PROXY"].removeprefix("${PACT_BEHIND_PROXY:-").removesuffix("}") == "false"
    assert env["PACT_TRUSTED_PROXY_COUNT"].removeprefix("${PACT_TRUSTED_PROXY_COUNT:-").removesuffix("}") == "1"
    # Reachable only through the proxy on this host, so no client can skip it (and its header).
    assert web["ports"] == ["127.0.0.1:8000:8000"]
    assert not any("ports" in compose["services"][name] for name in ("worker", "beat", "postgres", "redis"))
