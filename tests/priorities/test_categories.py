from io import StringIO

import pytest
from django.core.management import call_command

from priorities.models import Category

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("import_categories", *args, stdout=out)
    return out.getvalue()


def test_import_categories_loads_police_uk_and_local_ones_once():
    first = _run("--commit")
    second = _run("--commit")

    assert "categories: 21 created, 0 updated, 0 unchanged" in first
    assert "categories: 0 created, 0 updated, 21 unchanged" in second
    assert Category.objects.filter(is_police_uk=True).count() == 14
    assert not Category.objects.filter(slug="all-crime").exists()
    assert Category.objects.get(slug="anti-social-behaviour").name == "Anti-social behaviour"
    assert Category.objects.get(slug="speeding").is_police_uk is False


def test_import_categories_dry_run_changes_nothing():
    assert "Dry run" in _run()
    assert not Category.objects.exists()
