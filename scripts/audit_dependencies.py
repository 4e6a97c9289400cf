"""Audit PACT's pinned Python and npm dependencies for known vulnerabilities.

Run by .ci/run after installing (it needs the package registries, like the install):
- Python: pip-audit (from scripts/audit-requirements.txt, in its own virtualenv) checks every
  pin of requirements.txt and requirements-dev.txt against the PyPI advisory database. Pins
  the advisory service does not know are listed, not failed: they cannot be checked there.
- npm: `npm audit` checks package-lock.json against the npm registry's advisories.

Exit status 1 when either reports a vulnerability of moderate severity or worse, so CI fails
until the pin is upgraded. When an advisory service itself cannot be reached, the run says so
plainly and does not fail: that is an outage of a service outside PACT, not a finding.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NPM_FAILING = ("moderate", "high", "critical")


def say(message: str) -> None:
    sys.stdout.write(f"audit: {message}\n")


def python_audit(pip_audit: str) -> bool:
    command = [
        pip_audit,
        "--requirement",
        str(ROOT / "requirements.txt"),
        # pip-audit does not follow requirements-dev.txt's "-r requirements.txt" with --no-deps.
        "--requirement",
        str(ROOT / "requirements-dev.txt"),
        "--no-deps",
        "--disable-pip",
        "--progress-spinner",
        "off",
        "--format",
        "json",
    ]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)  # noqa: S603
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        say(f"pip-audit could not run ({result.stderr.strip()[-300:]}); Python dependencies NOT audited")
        return True
    found = [
        (dep["name"], dep["version"], vuln["id"]) for dep in report["dependencies"] for vuln in dep.get("vulns", [])
    ]
    skipped = [dep["name"] for dep in report["dependencies"] if dep.get("skip_reason")]
    checked = len(report["dependencies"]) - len(skipped)
    for name, version, vuln in found:
        say(f"{name} {version} has a known vulnerability: {vuln}")
    if not checked:
        say(f"the PyPI advisory service knew none of the {len(skipped)} Python pins; NOT audited")
        return True
    unknown = f"; not known to the advisory service, so not checked: {', '.join(sorted(skipped))}" if skipped else ""
    say(f"{checked} Python pins checked, {len(found)} known vulnerabilities{unknown}")
    return not found


def npm_audit() -> bool:
    result = subprocess.run(  # noqa: S603
        ["npm", "audit", "--json"],  # noqa: S607
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        report = {"error": {"summary": result.stderr.strip()[-300:]}}
    if "error" in report:
        summary = report["error"].get("summary", "no answer")
        say(f"the npm advisory service could not be reached ({summary}); npm packages NOT audited")
        return True
    counts = report.get("metadata", {}).get("vulnerabilities", {})
    failing = {level: counts.get(level, 0) for level in NPM_FAILING if counts.get(level, 0)}
    for name, item in sorted(report.get("vulnerabilities", {}).items()):
        if item.get("severity") in NPM_FAILING:
            say(f"npm {name} has a known {item['severity']} vulnerability")
    say(f"npm packages checked, {sum(failing.values())} vulnerabilities of moderate severity or worse")
    return not failing


def main() -> int:
    pip_audit = sys.argv[1] if len(sys.argv) > 1 else "pip-audit"
    python_clean = python_audit(pip_audit)
    npm_clean = npm_audit()
    return 0 if python_clean and npm_clean else 1


if __name__ == "__main__":
    sys.exit(main())
