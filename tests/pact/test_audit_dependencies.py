"""The dependency audit CI runs: fails on a known vulnerability, says plainly when it could not check."""

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_dependencies.py"


@pytest.fixture
def audit():
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _answers(monkeypatch, pip_report, npm_report):
    def run(command, **kwargs):
        report = npm_report if command[0] == "npm" else pip_report
        return subprocess.CompletedProcess(command, 1, stdout=json.dumps(report), stderr="")

    monkeypatch.setattr(subprocess, "run", run)


CLEAN_PIP = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}
CLEAN_NPM = {"metadata": {"vulnerabilities": {"low": 1, "moderate": 0, "high": 0, "critical": 0}}}


def test_clean_dependencies_pass(audit, monkeypatch, capsys):
    _answers(monkeypatch, CLEAN_PIP, CLEAN_NPM)
    assert audit.main() == 0
    assert "1 Python pins checked, 0 known vulnerabilities" in capsys.readouterr().out


def test_a_vulnerable_python_pin_fails(audit, monkeypatch, capsys):
    report = {"dependencies": [{"name": "django", "version": "4.2.0", "vulns": [{"id": "PYSEC-2024-1"}]}]}
    _answers(monkeypatch, report, CLEAN_NPM)
    assert audit.main() == 1
    assert "django 4.2.0 has a known vulnerability: PYSEC-2024-1" in capsys.readouterr().out


def test_a_high_npm_advisory_fails(audit, monkeypatch, capsys):
    npm = {
        "metadata": {"vulnerabilities": {"high": 1}},
        "vulnerabilities": {"leaflet": {"severity": "high"}},
    }
    _answers(monkeypatch, CLEAN_PIP, npm)
    assert audit.main() == 1
    assert "npm leaflet has a known high vulnerability" in capsys.readouterr().out


def test_an_unreachable_service_is_reported_not_failed(audit, monkeypatch, capsys):
    unknown = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]}
    _answers(monkeypatch, unknown, {"error": {"summary": "audit endpoint returned an error"}})
    assert audit.main() == 0
    out = capsys.readouterr().out
    assert "knew none of the 1 Python pins; NOT audited" in out
    assert "npm packages NOT audited" in out
