"""Database schema (SQLAlchemy Core). Migrations in ``migrations/`` create exactly this."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = [
    "api_keys",
    "attempts",
    "audit_log",
    "deliveries",
    "events",
    "mappings",
    "metadata",
    "org_sequences",
    "org_states",
    "snapshots",
    "webhooks",
]

metadata = MetaData()

api_keys = Table(
    "api_keys", metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("prefix", String(16), nullable=False, index=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("scopes", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("revoked_at", Float, nullable=True),
    # Space-separated org ids the key may read and act on ("default": the settings' org);
    # NULL: every org.
    Column("orgs", Text, nullable=True),
)

mappings = Table(
    "mappings", metadata,
    Column("id", String(32), primary_key=True),
    Column("org_key", String(300), nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),
    Column("phase", String(32), nullable=False),
    Column("progress", Text, nullable=False),
    Column("requested_by", String(200), nullable=False),
    Column("created_at", Float, nullable=False, index=True),
    Column("started_at", Float, nullable=True),
    Column("finished_at", Float, nullable=True),
    Column("lease_owner", String(100), nullable=True),
    Column("lease_expires_at", Float, nullable=True),
    Column("cancel_requested", Boolean, nullable=False, default=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("snapshot_hash", String(80), nullable=True),
    Column("summary", Text, nullable=True),
    Column("error", Text, nullable=True),
    # The audit records an incremental run applies (JSON), NULL for a full run.
    Column("changes", Text, nullable=True),
)

snapshots = Table(
    "snapshots", metadata,
    Column("hash", String(80), primary_key=True),
    Column("created_at", Float, nullable=False),
    Column("size", Integer, nullable=False),
    Column("body", LargeBinary, nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", Float, nullable=False),
    Column("record", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

webhooks = Table(
    "webhooks", metadata,
    Column("id", String(32), primary_key=True),
    Column("url", Text, nullable=False),
    Column("event_types", Text, nullable=False),
    Column("org_filter", String(100), nullable=True),
    Column("description", Text, nullable=False, default=""),
    Column("status", String(16), nullable=False),
    Column("secret", String(100), nullable=False),
    Column("previous_secret", String(100), nullable=True),
    Column("previous_expires_at", Float, nullable=True),
    Column("created_at", Float, nullable=False),
    Column("verified_at", Float, nullable=True),
    Column("disabled_reason", Text, nullable=True),
    Column("failing_since", Float, nullable=True),
)

events = Table(
    "events", metadata,
    Column("id", String(40), primary_key=True),
    Column("org_id", String(100), nullable=False, index=True),
    Column("sequence", Integer, nullable=False),
    Column("type", String(40), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", Float, nullable=False, index=True),
)

deliveries = Table(
    "deliveries", metadata,
    Column("id", String(32), primary_key=True),
    Column("event_id", String(40), nullable=False, index=True),
    Column("webhook_id", String(32), nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", Float, nullable=False, index=True),
    Column("lease_owner", String(100), nullable=True),
    Column("lease_expires_at", Float, nullable=True),
    Column("created_at", Float, nullable=False),
    Column("delivered_at", Float, nullable=True),
    Column("last_status", Integer, nullable=True),
    Column("last_error", Text, nullable=True),
)

attempts = Table(
    "attempts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("delivery_id", String(32), nullable=False, index=True),
    Column("webhook_id", String(32), nullable=False, index=True),
    Column("event_id", String(40), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("at", Float, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("status", Integer, nullable=True),
    Column("latency_ms", Float, nullable=False),
    Column("error", Text, nullable=True),
)

org_sequences = Table(
    "org_sequences", metadata,
    Column("org_id", String(100), primary_key=True),
    Column("last", Integer, nullable=False),
)

# Orgs registered with the service (the settings' org is the default and is not a row).
orgs = Table(
    "orgs", metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("environment", String(200), nullable=False),
    Column("api_base_url", Text, nullable=True),
    Column("client_id", String(200), nullable=False),
    Column("client_secret", Text, nullable=False),  # sealed: enc:v1:...
    Column("created_at", Float, nullable=False),
    Column("remap_interval_s", Float, nullable=True),  # NULL: GCMAP_REMAP_INTERVAL_S
)

org_states = Table(
    "org_states", metadata,
    Column("org_key", String(300), primary_key=True),
    Column("run_id", String(32), nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("body", LargeBinary, nullable=False),  # sealed zlib JSON
)
