-- Escalation's own tables. Idempotent: applied at every start-up.

CREATE TABLE IF NOT EXISTS users (
    id text PRIMARY KEY,
    doc jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS teams (
    id text PRIMARY KEY,
    doc jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS escalation_policies (
    id text PRIMARY KEY,
    doc jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The integration key is derived from the document, so that services are written like every other resource.
CREATE TABLE IF NOT EXISTS services (
    id text PRIMARY KEY,
    doc jsonb NOT NULL,
    integration_key text GENERATED ALWAYS AS (doc->>'integration_key') STORED UNIQUE,
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- Databases made before the key was derived had a plain column: make it derived.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_name = 'services' AND column_name = 'integration_key' AND is_generated = 'NEVER') THEN
        ALTER TABLE services DROP COLUMN integration_key;
        ALTER TABLE services ADD COLUMN integration_key text GENERATED ALWAYS AS (doc->>'integration_key') STORED UNIQUE;
    END IF;
END $$;

-- Rotations as configured; each rotation's grain keeps its overrides, swap requests and handoffs.
CREATE TABLE IF NOT EXISTS rotations (
    id text PRIMARY KEY,
    doc jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Heartbeats and HTTP checks as configured; each monitor's grain keeps its last ping or check and its incident.
CREATE TABLE IF NOT EXISTS monitors (
    id text PRIMARY KEY,
    doc jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- A heartbeat's ping URL carries its own secret token; like API keys, only its SHA-256 is kept.
CREATE TABLE IF NOT EXISTS monitor_tokens (
    monitor_id text PRIMARY KEY,
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);

-- Calendar subscriptions. Calendar apps cannot send headers, so each feed URL carries a secret token;
-- like API keys, only its SHA-256 is kept.
CREATE TABLE IF NOT EXISTS calendar_feeds (
    id text PRIMARY KEY,
    kind text NOT NULL,
    target_id text NOT NULL,
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);

-- The incidents read model: one row an incident, kept current by its grain.
CREATE TABLE IF NOT EXISTS incidents (
    id text PRIMARY KEY,
    service_id text NOT NULL,
    dedup_key text NOT NULL,
    title text NOT NULL,
    severity text NOT NULL,
    status text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    alert_count integer NOT NULL,
    level integer NOT NULL,
    loop integer NOT NULL,
    next_escalation_at timestamptz
);
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS version bigint NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS priority text NOT NULL DEFAULT 'P1';
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS route text NOT NULL DEFAULT 'page';
CREATE INDEX IF NOT EXISTS incidents_by_created ON incidents (created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS incidents_by_status ON incidents (status, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS incidents_by_service ON incidents (service_id, created_at DESC, id DESC);
-- An SLO reads one priority of one service over its window every minute.
CREATE INDEX IF NOT EXISTS incidents_by_service_priority ON incidents (service_id, priority, created_at DESC);

-- API keys, stored as SHA-256 of the key: the key itself is shown once and never kept.
CREATE TABLE IF NOT EXISTS api_keys (
    id text PRIMARY KEY,
    name text NOT NULL,
    role text NOT NULL,
    key_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);
-- The user a key acts as, when it is one person's credential.
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS user_id text;
CREATE INDEX IF NOT EXISTS api_keys_by_user ON api_keys (user_id) WHERE user_id IS NOT NULL;

-- Each page or announcement a channel has claimed. The primary key is what stops a redelivered message from
-- sending twice. A row belongs to an incident (a page) or to a rotation (an announcement); user_id is the recipient.
CREATE TABLE IF NOT EXISTS notification_deliveries (
    notification_id text PRIMARY KEY,
    incident_id text NOT NULL,
    user_id text NOT NULL,
    channel text NOT NULL,
    status text NOT NULL,
    attempts integer NOT NULL,
    claimed_at timestamptz NOT NULL,
    sent_at timestamptz,
    error text
);
ALTER TABLE notification_deliveries ADD COLUMN IF NOT EXISTS rotation_id text;
ALTER TABLE notification_deliveries ALTER COLUMN incident_id DROP NOT NULL;
-- Claim, send, complete: a channel claims the row ('sending', with a lease) before calling its provider and
-- settles it after. A live lease keeps a redelivered copy from sending in parallel; an expired one (its holder
-- died) is taken over.
ALTER TABLE notification_deliveries ADD COLUMN IF NOT EXISTS lease_until timestamptz;
ALTER TABLE notification_deliveries ADD COLUMN IF NOT EXISTS address text;
ALTER TABLE notification_deliveries ADD COLUMN IF NOT EXISTS provider_message_id text;
ALTER TABLE notification_deliveries ADD COLUMN IF NOT EXISTS provider_status text;
ALTER TABLE notification_deliveries ADD COLUMN IF NOT EXISTS delivered_via text;
ALTER TABLE notification_deliveries ADD COLUMN IF NOT EXISTS updated_at timestamptz;
ALTER TABLE notification_deliveries ADD COLUMN IF NOT EXISTS claim_token uuid;
-- The silo holding the claim (its SiloAddress): an expired lease is taken over only once that silo is dead in the
-- cluster's membership, since a live one settles what it sent as soon as the database lets it.
ALTER TABLE notification_deliveries ADD COLUMN IF NOT EXISTS claimed_by text;
-- Settled failed by an attempt whose outcome was the recipient's (an invalid number, STOP, no address), not by
-- attempts running out: such a page is not made again while nobody is reached.
ALTER TABLE notification_deliveries ADD COLUMN IF NOT EXISTS failed_for_good boolean NOT NULL DEFAULT false;
CREATE INDEX IF NOT EXISTS notification_deliveries_by_incident ON notification_deliveries (incident_id) WHERE incident_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS notification_deliveries_by_provider_id ON notification_deliveries (provider_message_id) WHERE provider_message_id IS NOT NULL;
-- The start of the one attempt of a notification delivered at its first try: such an attempt is kept here (it ended
-- at sent_at) rather than as a row of notification_attempts, which has the attempts of the others.
ALTER TABLE notification_deliveries ADD COLUMN IF NOT EXISTS single_attempt_started_at timestamptz;

-- Every call to a provider, kept for the notification log, but for the single attempt of a notification delivered at
-- once (notification_deliveries.single_attempt_started_at).
CREATE TABLE IF NOT EXISTS notification_attempts (
    notification_id text NOT NULL,
    attempt integer NOT NULL,
    started_at timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    outcome text NOT NULL,
    error text,
    provider_message_id text,
    PRIMARY KEY (notification_id, attempt)
);

-- SMS reply codes ("1a"), per phone number: lowest free first, free again once the incident is resolved.
CREATE TABLE IF NOT EXISTS sms_reply_codes (
    phone text NOT NULL,
    code integer NOT NULL,
    incident_id text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (phone, code)
);
CREATE UNIQUE INDEX IF NOT EXISTS sms_reply_codes_by_incident ON sms_reply_codes (phone, incident_id);

-- Numbers that replied STOP: SMS to them fails at once (Twilio would refuse it) and falls back.
CREATE TABLE IF NOT EXISTS sms_opt_outs (
    phone text PRIMARY KEY,
    opted_out_at timestamptz NOT NULL
);

-- Secrets the service makes for itself on first start (the key that signs email action links), shared by every silo.
CREATE TABLE IF NOT EXISTS service_secrets (
    name text PRIMARY KEY,
    value bytea NOT NULL,
    created_at timestamptz NOT NULL
);

-- SMS pages waiting for their number's next slot: a phone gets at most one page SMS a minute, and pages that arrive
-- inside that minute go out together in the next one.
CREATE TABLE IF NOT EXISTS sms_queue (
    notification_id text PRIMARY KEY,
    phone text NOT NULL,
    code integer NOT NULL,
    incident_id text NOT NULL,
    title text NOT NULL,
    severity text NOT NULL,
    service_name text NOT NULL,
    queued_at timestamptz NOT NULL,
    sent_at timestamptz,
    provider_message_id text
);
ALTER TABLE sms_queue ADD COLUMN IF NOT EXISTS link text;
CREATE INDEX IF NOT EXISTS sms_queue_waiting ON sms_queue (phone, queued_at) WHERE sent_at IS NULL;
CREATE INDEX IF NOT EXISTS sms_queue_sent_by_incident ON sms_queue (phone, incident_id) WHERE sent_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS sms_throttle (
    phone text PRIMARY KEY,
    last_sent_at timestamptz NOT NULL
);

-- Which sender holds a number while it calls Twilio (no transaction is held across the call): given back once its
-- bundle is recorded, taken over once `until` has passed and its silo is dead (or it held it ten minutes too long).
CREATE TABLE IF NOT EXISTS sms_senders (
    phone text PRIMARY KEY,
    token uuid NOT NULL,
    until timestamptz NOT NULL,
    silo text
);

-- Webhook requests already acted on (a Slack signature, a Twilio MessageSid), shared by every silo, so that a
-- captured request sent again is refused wherever it lands.
CREATE TABLE IF NOT EXISTS webhook_replays (
    key text PRIMARY KEY,
    expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_replays_by_expiry ON webhook_replays (expires_at);

-- An incident's older timeline entries and settled notifications, once its state holds more than it keeps. Each is
-- kept once by its item (a timeline entry's place in the whole timeline; a notification's id) and shown in seq order.
CREATE TABLE IF NOT EXISTS incident_archive (
    incident_id text NOT NULL,
    kind text NOT NULL,
    item text NOT NULL,
    seq integer NOT NULL,
    body jsonb NOT NULL,
    PRIMARY KEY (incident_id, kind, item)
);

-- The ways alerts reach a service from a tool (Alertmanager, Grafana, ...). Each integration's URL carries its own
-- secret, kept only as its SHA-256 like an API key; the tool's own signing secret is kept as given, since verifying
-- an HMAC needs it. Deleting the service removes its integrations.
CREATE TABLE IF NOT EXISTS integrations (
    id text PRIMARY KEY,
    service_id text NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    type text NOT NULL,
    name text NOT NULL,
    secret_hash text NOT NULL UNIQUE,
    signing_secret text,
    settings jsonb,
    created_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS integrations_by_service ON integrations (service_id, created_at);
-- PagerDuty Change Events (deploys, config changes) on a service's timeline, shown on incidents opened within the
-- hour after. `at` is the sender's payload.timestamp, else `received_at`. Kept 90 days after they arrived: each
-- insert deletes a batch of older rows (Api/Changes/ChangeEventStore).
CREATE TABLE IF NOT EXISTS change_events (
    id uuid PRIMARY KEY,
    service_id text NOT NULL,
    at timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    summary text NOT NULL,
    source text,
    links jsonb NOT NULL,
    custom_details jsonb
);
CREATE INDEX IF NOT EXISTS change_events_by_service ON change_events (service_id, at);
CREATE INDEX IF NOT EXISTS change_events_by_arrival ON change_events (received_at);

-- Owned by MaintenanceWindowStore. last_end is null while a recurrence goes on.
CREATE TABLE IF NOT EXISTS maintenance_windows (
    id text PRIMARY KEY,
    service_ids text[] NOT NULL,
    last_end timestamptz,
    created_at timestamptz NOT NULL,
    doc jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS maintenance_windows_by_service ON maintenance_windows USING gin (service_ids);

-- The engine keeps each incident in one row (owned by Storage/Incidents/IncidentStore): the list columns above, the
-- state, and its next deadline placed on the consistent ring (ring_hash, the uniform hash of the grain id) for the
-- deadline service. Dedup is the unique index of open incidents by service and dedup key.
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS state jsonb;
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS next_deadline_at timestamptz;
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS ring_hash bigint;
CREATE UNIQUE INDEX IF NOT EXISTS incidents_open_by_dedup_key ON incidents (service_id, dedup_key) WHERE status <> 'resolved';
CREATE INDEX IF NOT EXISTS incidents_by_deadline ON incidents (next_deadline_at) WHERE next_deadline_at IS NOT NULL;

-- The other grains' state (rotations, maintenance windows; owned by Storage/GrainStates/GrainStateStore), with their
-- next deadline the same way.
CREATE TABLE IF NOT EXISTS grain_states (
    grain_id text PRIMARY KEY,
    version bigint NOT NULL,
    state jsonb NOT NULL,
    next_deadline_at timestamptz,
    ring_hash bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS grain_states_by_deadline ON grain_states (next_deadline_at) WHERE next_deadline_at IS NOT NULL;

-- The metrics read the notifications in flight (claimed, not settled) every few seconds.
CREATE INDEX IF NOT EXISTS notification_deliveries_in_flight ON notification_deliveries (channel, claimed_at) WHERE status = 'sending';
