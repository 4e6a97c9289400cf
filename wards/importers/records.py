"""Fingerprints of the input files of each import step, so unchanged steps can be skipped."""

import hashlib
from pathlib import Path

from django.utils import timezone

from wards.importers.base import data_file
from wards.models import ImportRecord


def file_digest(path: Path) -> dict[str, int | str]:
    """Size and sha256 of one file, read in chunks so a large download stays cheap on memory."""
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            sha.update(chunk)
    return {"size": path.stat().st_size, "sha256": sha.hexdigest()}


def fingerprint(directory: Path, names: tuple[str, ...], version: str) -> tuple[str, dict]:
    """One sha256 over the importer version and every input file's size and sha256.

    The version is part of it so that a change to an importer's rules re-runs the step.
    """
    files = {name: file_digest(data_file(directory, name)) for name in names}
    sha = hashlib.sha256(f"version={version}\n".encode())
    for name in sorted(files):
        sha.update(f"{name} {files[name]['size']} {files[name]['sha256']}\n".encode())
    return sha.hexdigest(), files


def import_is_current(step: str, digest: str) -> bool:
    """Whether the last successful committed run of ``step`` had exactly these inputs."""
    return ImportRecord.objects.filter(step=step, fingerprint=digest).exists()


def import_record(*, step: str, digest: str, files: dict, summary: str) -> ImportRecord:
    """Remember the inputs of a successful committed run of ``step``."""
    record, _ = ImportRecord.objects.update_or_create(
        step=step,
        defaults={"fingerprint": digest, "files": files, "summary": summary, "imported_at": timezone.now()},
    )
    return record
