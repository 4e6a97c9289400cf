"""Ports: what the ground floor and the apps may ask of an app they must not import.

The ground floor imports no app, and feedback does not import priorities (DESIGN.md). Where
one of them needs an answer only another app can give (who may act for which ward, what a
PACT meeting is, how a concern is raised), it asks a port declared here; the app that owns
the answer plugs its implementation in from its AppConfig.ready(). Only plain values cross.
"""

from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class Port(Generic[T]):
    """One implementation of a small interface, plugged in once by the app that owns it."""

    def __init__(self, name: str, *, owner: str) -> None:
        self.name = name
        self.owner = owner
        self._implementation: list[T] = []

    def plug(self, implementation: T) -> None:
        self._implementation[:] = [implementation]

    def __call__(self) -> T:
        if not self._implementation:
            raise ImproperlyConfigured(f"No app has plugged in {self.name} ({self.owner}).")
        return self._implementation[0]
