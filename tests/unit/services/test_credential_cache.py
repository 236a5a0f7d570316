"""The per-process cache of verified credentials: entries expire, failures are not kept."""

from __future__ import annotations

from credit_app.domain import ActorKind, Role
from credit_app.services.actors import Actor
from credit_app.services.credential_cache import CredentialCache

OFFICER = Actor(ActorKind.api_client, 1, "bench", Role.officer)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_an_entry_lives_its_ttl_and_no_longer() -> None:
    clock = Clock()
    cache = CredentialCache(2.0, clock=clock)
    assert cache.get("key:a") is None
    cache.put("key:a", OFFICER)
    clock.now += 1.99
    assert cache.get("key:a") == OFFICER
    clock.now += 0.01
    assert cache.get("key:a") is None
    clock.now += 100
    assert cache.get("key:a") is None  # an expired entry is gone, not revived


def test_a_full_cache_starts_again_empty() -> None:
    cache = CredentialCache(60.0, max_entries=3)
    for name in "abc":
        cache.put(f"key:{name}", OFFICER)
    cache.put("key:d", OFFICER)
    assert [cache.get(f"key:{n}") for n in "abcd"] == [None, None, None, OFFICER]
