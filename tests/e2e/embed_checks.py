"""Assertions on what the bot sends Discord, shared by the end-to-end tests."""

from __future__ import annotations

from fakediscord import JSON, FakeDiscord

EPHEMERAL = 1 << 6
NO_PINGS = {"parse": []}
EMBED_LIMITS = {"title": 256, "description": 4096, "field_name": 256, "field_value": 1024, "footer": 2048,
                "fields": 25, "total": 6000}


def is_ephemeral(data: JSON) -> bool:
    """Whether a message payload (or stored message) is only shown to the one user."""
    return bool(int(data.get("flags") or 0) & EPHEMERAL)


def embed_size(embed: JSON) -> int:
    """The characters Discord counts towards an embed's 6000-character total."""
    fields = embed.get("fields") or []
    return (len(embed.get("title") or "") + len(embed.get("description") or "")
            + len((embed.get("footer") or {}).get("text") or "")
            + sum(len(f["name"]) + len(f["value"]) for f in fields))


def assert_within_embed_limits(embed: JSON) -> None:
    """Every Discord embed limit (the fake would answer 50035 otherwise, but say which one here)."""
    assert len(embed.get("title") or "") <= EMBED_LIMITS["title"]
    assert len(embed.get("description") or "") <= EMBED_LIMITS["description"]
    assert len((embed.get("footer") or {}).get("text") or "") <= EMBED_LIMITS["footer"]
    fields = embed.get("fields") or []
    assert len(fields) <= EMBED_LIMITS["fields"]
    for f in fields:
        assert 1 <= len(f["name"]) <= EMBED_LIMITS["field_name"]
        assert 1 <= len(f["value"]) <= EMBED_LIMITS["field_value"]
    assert embed_size(embed) <= EMBED_LIMITS["total"]


def assert_no_rejected_calls(server: FakeDiscord) -> None:
    """No request of the bot was refused by the fake Discord (an oversize embed would be a 400, 50035)."""
    rejected = server.calls_matching(predicate=lambda c: c.status >= 400)
    assert not rejected, [(c.method, c.path, c.status, c.response) for c in rejected]
