"""Residents' incident logs are deleted a period after their last entry (core.personal_data)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEvent
from core.personal_data import personal_data_holdings, retention_apply
from priorities.models import IncidentLog, IncidentLogEntry
from tests.priorities.factories import IncidentLogEntryFactory, IncidentLogFactory

pytestmark = pytest.mark.django_db


def _aged(log, days):
    IncidentLog.objects.filter(pk=log.pk).update(created_at=timezone.now() - timedelta(days=days))


def _entry(log, days):
    moment = timezone.now() - timedelta(days=days)
    return IncidentLogEntryFactory(log=log, happened_at=moment, created_at=moment)


def test_logs_go_a_year_after_their_last_entry_and_not_a_day_sooner(settings):
    settings.PACT_RETENTION_DAYS = {**settings.PACT_RETENTION_DAYS, "incident_log": 365}
    stale = IncidentLogFactory()
    _aged(stale, 500)
    _entry(stale, 366)
    _entry(stale, 400)
    recent = IncidentLogFactory()
    _aged(recent, 500)
    _entry(recent, 364)
    empty_old = IncidentLogFactory()
    _aged(empty_old, 366)
    empty_new = IncidentLogFactory()

    counts = retention_apply()

    assert counts["priorities.incident_logs"] == 2
    assert set(IncidentLog.objects.values_list("pk", flat=True)) == {recent.pk, empty_new.pk}
    assert not IncidentLogEntry.objects.filter(log_id=stale.pk).exists()
    assert retention_apply()["priorities.incident_logs"] == 0
    assert AuditEvent.objects.filter(action="pact.retention.applied").count() == 2


def test_logs_are_never_found_by_an_email_address():
    IncidentLogEntryFactory()
    holdings = {holding.source.name: holding for holding in personal_data_holdings(email="me@example.org")}
    assert holdings["priorities.incident_logs"].items == []
