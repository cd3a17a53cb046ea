-- =============================================================================
-- Orleans ADO.NET schema for PostgreSQL (invariant "Npgsql")
--
-- Targets the Orleans 10.4.2 providers:
--   Microsoft.Orleans.Clustering.AdoNet   (membership table + gateway list)
--   Microsoft.Orleans.Persistence.AdoNet  (grain state)
--   Microsoft.Orleans.Reminders.AdoNet    (reminder table)
--
-- Equivalent in function to upstream PostgreSQL-Main.sql, PostgreSQL-Clustering.sql
-- (including the "atomic writes" revision), PostgreSQL-Persistence.sql and
-- PostgreSQL-Reminders.sql as they match the 10.4.2 binaries. Written for this
-- project; only the query keys, the parameter names and the result column
-- names are dictated by the providers.
--
-- Contract with the providers:
--   * At start-up each provider runs "SELECT QueryKey, QueryText FROM OrleansQuery"
--     and fails if a key it requires is missing. It then runs the stored text,
--     binding parameters by name; Npgsql rewrites each "@Name" to a positional
--     parameter. Every "@Name" in a query text must therefore be one the
--     provider binds for that key, or the statement fails with a syntax error.
--   * Results are read by column name (case-insensitively).
--   * Parameter types as Npgsql sends them: strings -> text, int -> integer,
--     long -> bigint, DateTime (always UTC) -> timestamptz, byte[] -> bytea.
--
-- Idempotent: safe to run any number of times against the same database
-- (CREATE ... IF NOT EXISTS, CREATE OR REPLACE FUNCTION, and
-- INSERT ... ON CONFLICT (QueryKey) DO UPDATE for the query rows).
-- Uses no psql meta-commands, so it can also be run as one Npgsql command.
-- Suggested: psql -v ON_ERROR_STOP=1 --single-transaction -f orleans.sql
-- =============================================================================


-- -----------------------------------------------------------------------------
-- Main: the table the providers read their SQL from.
-- -----------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);


-- =============================================================================
-- Clustering (membership)
--
-- Orleans SiloStatus values used below: 3 = Active, 6 = Dead.
-- The table version (ETag) lives in OrleansMembershipVersionTable.Version; every
-- write to a membership row must bump it atomically, or do nothing.
-- =============================================================================

-- One row per cluster (DeploymentId = ClusterId), holding the table version.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

-- One row per silo instance (address, port and generation identify it).
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT PK_MembershipTable_DeploymentId
        PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Heartbeat. Never moves IAmAliveTime backwards. No result is expected.
CREATE OR REPLACE FUNCTION update_i_am_alive_time(
    deployment_id   varchar,
    address_arg     varchar,
    port_arg        integer,
    generation_arg  integer,
    i_am_alive_time timestamptz)
RETURNS void
LANGUAGE plpgsql
AS $func$
BEGIN
    UPDATE OrleansMembershipTable AS m
    SET IAmAliveTime = GREATEST(m.IAmAliveTime, i_am_alive_time)
    WHERE m.DeploymentId = deployment_id AND deployment_id IS NOT NULL
      AND m.Address = address_arg AND address_arg IS NOT NULL
      AND m.Port = port_arg AND port_arg IS NOT NULL
      AND m.Generation = generation_arg AND generation_arg IS NOT NULL;
END
$func$;

-- Creates the version row of a cluster. Returns 1 if created, 0 if it already existed.
CREATE OR REPLACE FUNCTION insert_membership_version(
    DeploymentIdArg varchar)
RETURNS TABLE(row_count integer)
LANGUAGE plpgsql
AS $func$
DECLARE
    affected integer := 0;
BEGIN
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (DeploymentIdArg)
    ON CONFLICT (DeploymentId) DO NOTHING;

    GET DIAGNOSTICS affected = ROW_COUNT;

    RETURN QUERY SELECT affected;
END
$func$;

-- Adds a silo row if, and only if, the table version still equals VersionArg
-- and the row does not exist yet; on success the version is bumped.
-- Returns 1 on success and 0 otherwise, leaving nothing changed on failure.
-- (RAISE rather than ASSERT, so it holds even with plpgsql.check_asserts off.)
CREATE OR REPLACE FUNCTION insert_membership(
    DeploymentIdArg varchar,
    AddressArg      varchar,
    PortArg         integer,
    GenerationArg   integer,
    SiloNameArg     varchar,
    HostNameArg     varchar,
    StatusArg       integer,
    ProxyPortArg    integer,
    StartTimeArg    timestamptz,
    IAmAliveTimeArg timestamptz,
    VersionArg      integer)
RETURNS TABLE(row_count integer)
LANGUAGE plpgsql
AS $func$
DECLARE
    affected integer := 0;
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable
        SET Timestamp = now(),
            Version = Version + 1
        WHERE DeploymentId = DeploymentIdArg AND DeploymentIdArg IS NOT NULL
          AND Version = VersionArg AND VersionArg IS NOT NULL
          AND Version < 2147483647;

        GET DIAGNOSTICS affected = ROW_COUNT;

        INSERT INTO OrleansMembershipTable
        (
            DeploymentId, Address, Port, Generation, SiloName, HostName,
            Status, ProxyPort, StartTime, IAmAliveTime
        )
        SELECT
            DeploymentIdArg, AddressArg, PortArg, GenerationArg, SiloNameArg, HostNameArg,
            StatusArg, ProxyPortArg, StartTimeArg, IAmAliveTimeArg
        WHERE affected > 0
        ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;

        GET DIAGNOSTICS affected = ROW_COUNT;

        IF affected = 0 THEN
            -- Undo the version bump made above (the block is a subtransaction).
            RAISE EXCEPTION 'membership insert rejected' USING ERRCODE = 'assert_failure';
        END IF;

        RETURN QUERY SELECT affected;
    EXCEPTION
        WHEN assert_failure THEN
            RETURN QUERY SELECT 0;
    END;
END
$func$;

-- Updates a silo row if, and only if, the table version still equals VersionArg;
-- on success the version is bumped. Returns 1 on success, 0 otherwise.
CREATE OR REPLACE FUNCTION update_membership(
    DeploymentIdArg varchar,
    AddressArg      varchar,
    PortArg         integer,
    GenerationArg   integer,
    StatusArg       integer,
    SuspectTimesArg varchar,
    IAmAliveTimeArg timestamptz,
    VersionArg      integer)
RETURNS TABLE(row_count integer)
LANGUAGE plpgsql
AS $func$
DECLARE
    affected integer := 0;
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable
        SET Timestamp = now(),
            Version = Version + 1
        WHERE DeploymentId = DeploymentIdArg AND DeploymentIdArg IS NOT NULL
          AND Version = VersionArg AND VersionArg IS NOT NULL
          AND Version < 2147483647;

        GET DIAGNOSTICS affected = ROW_COUNT;

        UPDATE OrleansMembershipTable
        SET Status = StatusArg,
            SuspectTimes = SuspectTimesArg,
            IAmAliveTime = GREATEST(IAmAliveTime, IAmAliveTimeArg)
        WHERE DeploymentId = DeploymentIdArg AND DeploymentIdArg IS NOT NULL
          AND Address = AddressArg AND AddressArg IS NOT NULL
          AND Port = PortArg AND PortArg IS NOT NULL
          AND Generation = GenerationArg AND GenerationArg IS NOT NULL
          AND affected > 0;

        GET DIAGNOSTICS affected = ROW_COUNT;

        IF affected = 0 THEN
            RAISE EXCEPTION 'membership update rejected' USING ERRCODE = 'assert_failure';
        END IF;

        RETURN QUERY SELECT affected;
    EXCEPTION
        WHEN assert_failure THEN
            RETURN QUERY SELECT 0;
    END;
END
$func$;

-- Query rows for clustering. Parameters bound by the 10.4.2 provider are
-- listed above each one.

-- @DeploymentId, @Address, @Port, @Generation, @IAmAliveTime
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', $q$
    SELECT * FROM update_i_am_alive_time(@DeploymentId, @Address, @Port, @Generation, @IAmAliveTime);
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- @DeploymentId; returns one row, one column (row_count > 0 means created).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', $q$
    SELECT * FROM insert_membership_version(@DeploymentId);
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status,
-- @ProxyPort, @StartTime, @IAmAliveTime, @Version; returns one boolean-ish column.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', $q$
    SELECT * FROM insert_membership(
        @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- @DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
-- @IAmAliveTime, @Version; returns one boolean-ish column.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', $q$
    SELECT * FROM update_membership(
        @DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
        @IAmAliveTime, @Version);
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- @DeploymentId, @Address, @Port, @Generation.
-- Always returns the version row (LEFT JOIN), with the silo columns NULL when
-- the silo has no row; the provider treats a NULL StartTime as "no entry".
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', $q$
    SELECT
        v.DeploymentId,
        m.Address,
        m.Port,
        m.Generation,
        m.SiloName,
        m.HostName,
        m.Status,
        m.ProxyPort,
        m.SuspectTimes,
        m.StartTime,
        m.IAmAliveTime,
        v.Version
    FROM OrleansMembershipVersionTable AS v
    LEFT OUTER JOIN OrleansMembershipTable AS m
        ON v.DeploymentId = m.DeploymentId
        AND m.Address = @Address AND @Address IS NOT NULL
        AND m.Port = @Port AND @Port IS NOT NULL
        AND m.Generation = @Generation AND @Generation IS NOT NULL
    WHERE v.DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- @DeploymentId. Same columns as MembershipReadRowKey, all silos of the cluster.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', $q$
    SELECT
        v.DeploymentId,
        m.Address,
        m.Port,
        m.Generation,
        m.SiloName,
        m.HostName,
        m.Status,
        m.ProxyPort,
        m.SuspectTimes,
        m.StartTime,
        m.IAmAliveTime,
        v.Version
    FROM OrleansMembershipVersionTable AS v
    LEFT OUTER JOIN OrleansMembershipTable AS m
        ON v.DeploymentId = m.DeploymentId
    WHERE v.DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- @DeploymentId. Removes the whole cluster (silo rows, then the version row).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
    DELETE FROM OrleansMembershipVersionTable
    WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- @DeploymentId, @Status (always 3 = Active). Read by clients: Address, ProxyPort, Generation.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', $q$
    SELECT
        Address,
        ProxyPort,
        Generation
    FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
      AND Status = @Status AND @Status IS NOT NULL
      AND ProxyPort > 0;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- @DeploymentId, @IAmAliveTime (the cut-off). Required key; 10.4.2 only runs it
-- when CleanupDefunctSiloEntryKey is absent. Deletes Dead rows that started and
-- last heartbeated before the cut-off and carry no suspicion votes.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
      AND IAmAliveTime < @IAmAliveTime
      AND StartTime < @IAmAliveTime
      AND COALESCE(SuspectTimes, '') = ''
      AND Status = 6;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- @DeploymentId, @Address, @Port, @Generation, @SuspectTimes, @StartTime, @IAmAliveTime.
-- Optional key; when present 10.4.2 prefers it: it reads all rows, picks the
-- defunct Dead ones in .NET, and deletes each only if it is still unchanged.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntryKey', $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId
      AND Status = 6
      AND Address = @Address
      AND Port = @Port
      AND Generation = @Generation
      AND IAmAliveTime = @IAmAliveTime
      AND StartTime = @StartTime
      AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;


-- =============================================================================
-- Grain persistence
--
-- A grain's state is identified by (ServiceId, GrainTypeString, GrainIdN0,
-- GrainIdN1, GrainIdExtensionString); the two hashes only narrow the index
-- search. Version is the ETag: NULL/absent row = never written.
-- =============================================================================
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer        NOT NULL,
    GrainIdN0              bigint         NOT NULL,
    GrainIdN1              bigint         NOT NULL,
    GrainTypeHash          integer        NOT NULL,
    GrainTypeString        varchar(512)   NOT NULL,
    GrainIdExtensionString varchar(1024)  NULL,
    ServiceId              varchar(150)   NOT NULL,
    PayloadBinary          bytea          NULL,
    ModifiedOn             timestamptz(3) NOT NULL,
    Version                integer        NULL
);

-- An alert key is a service id (up to 64), '|' and an escaped dedup key (GrainKey: up to 1 + 3 x 255 characters).
-- Widened from Orleans' 512 where an older installation has it; a check first, so that no start-up takes the lock.
DO $$
BEGIN
    IF (SELECT character_maximum_length FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'orleansstorage'
          AND column_name = 'grainidextensionstring') < 1024 THEN
        ALTER TABLE OrleansStorage ALTER COLUMN GrainIdExtensionString TYPE varchar(1024);
    END IF;
END
$$;

CREATE INDEX IF NOT EXISTS IX_OrleansStorage
    ON OrleansStorage USING btree (GrainIdHash, GrainTypeHash);

-- Writes a grain state with optimistic concurrency and returns the new version:
--   _grainstateversion NULL     -> insert version 1 unless the state already exists;
--   _grainstateversion = n      -> update only if the stored version is n, giving n + 1.
-- On a conflict the returned value is unchanged (n, or NULL), which the provider
-- reports as an InconsistentStateException.
CREATE OR REPLACE FUNCTION writetostorage(
    _grainidhash            integer,
    _grainidn0              bigint,
    _grainidn1              bigint,
    _graintypehash          integer,
    _graintypestring        varchar,
    _grainidextensionstring varchar,
    _serviceid              varchar,
    _grainstateversion      integer,
    _payloadbinary          bytea)
RETURNS TABLE(newgrainstateversion integer)
LANGUAGE plpgsql
AS $func$
DECLARE
    new_version integer := _grainstateversion;
    affected    integer := 0;
BEGIN
    IF _grainstateversion IS NOT NULL THEN
        UPDATE OrleansStorage
        SET PayloadBinary = _payloadbinary,
            ModifiedOn = now(),
            Version = Version + 1
        WHERE GrainIdHash = _grainidhash AND _grainidhash IS NOT NULL
          AND GrainTypeHash = _graintypehash AND _graintypehash IS NOT NULL
          AND GrainIdN0 = _grainidn0 AND _grainidn0 IS NOT NULL
          AND GrainIdN1 = _grainidn1 AND _grainidn1 IS NOT NULL
          AND GrainTypeString = _graintypestring AND _graintypestring IS NOT NULL
          AND GrainIdExtensionString IS NOT DISTINCT FROM _grainidextensionstring
          AND ServiceId = _serviceid AND _serviceid IS NOT NULL
          AND Version IS NOT NULL AND Version = _grainstateversion;

        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected > 0 THEN
            new_version := _grainstateversion + 1;
        END IF;
    ELSE
        INSERT INTO OrleansStorage
        (
            GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
            GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version
        )
        SELECT
            _grainidhash, _grainidn0, _grainidn1, _graintypehash, _graintypestring,
            _grainidextensionstring, _serviceid, _payloadbinary, now(), 1
        WHERE NOT EXISTS
        (
            SELECT 1
            FROM OrleansStorage
            WHERE GrainIdHash = _grainidhash AND _grainidhash IS NOT NULL
              AND GrainTypeHash = _graintypehash AND _graintypehash IS NOT NULL
              AND GrainIdN0 = _grainidn0 AND _grainidn0 IS NOT NULL
              AND GrainIdN1 = _grainidn1 AND _grainidn1 IS NOT NULL
              AND GrainTypeString = _graintypestring AND _graintypestring IS NOT NULL
              AND GrainIdExtensionString IS NOT DISTINCT FROM _grainidextensionstring
              AND ServiceId = _serviceid AND _serviceid IS NOT NULL
        );

        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected > 0 THEN
            new_version := 1;
        END IF;
    END IF;

    RETURN QUERY SELECT new_version;
END
$func$;

-- @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
-- @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary.
-- Result column read: NewGrainStateVersion.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', $q$
    SELECT NewGrainStateVersion
    FROM writetostorage(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                        @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
-- @GrainIdExtensionString, @ServiceId. Columns read: PayloadBinary, Version.
-- A row with NULL PayloadBinary is a cleared state (record does not exist, ETag kept).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', $q$
    SELECT
        PayloadBinary,
        Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND @GrainIdHash IS NOT NULL
      AND GrainTypeHash = @GrainTypeHash AND @GrainTypeHash IS NOT NULL
      AND GrainIdN0 = @GrainIdN0 AND @GrainIdN0 IS NOT NULL
      AND GrainIdN1 = @GrainIdN1 AND @GrainIdN1 IS NOT NULL
      AND GrainTypeString = @GrainTypeString AND @GrainTypeString IS NOT NULL
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
      AND ServiceId = @ServiceId AND @ServiceId IS NOT NULL;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Same parameters plus @GrainStateVersion. Used when DeleteStateOnClear = false:
-- keeps the row, nulls the payload and bumps the version, returning the new
-- version (no row returned = version conflict).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', $q$
    UPDATE OrleansStorage
    SET PayloadBinary = NULL,
        ModifiedOn = now(),
        Version = Version + 1
    WHERE GrainIdHash = @GrainIdHash AND @GrainIdHash IS NOT NULL
      AND GrainTypeHash = @GrainTypeHash AND @GrainTypeHash IS NOT NULL
      AND GrainIdN0 = @GrainIdN0 AND @GrainIdN0 IS NOT NULL
      AND GrainIdN1 = @GrainIdN1 AND @GrainIdN1 IS NOT NULL
      AND GrainTypeString = @GrainTypeString AND @GrainTypeString IS NOT NULL
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
      AND ServiceId = @ServiceId AND @ServiceId IS NOT NULL
      AND Version IS NOT NULL AND Version = @GrainStateVersion AND @GrainStateVersion IS NOT NULL
    RETURNING Version AS NewGrainStateVersion;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Same parameters as ClearStorageKey. Optional key, needed only when the
-- storage is configured with DeleteStateOnClear = true: removes the row. It
-- must return a value different from the old version on success, and no row
-- on a version conflict.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteStorageKey', $q$
    DELETE FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND @GrainIdHash IS NOT NULL
      AND GrainTypeHash = @GrainTypeHash AND @GrainTypeHash IS NOT NULL
      AND GrainIdN0 = @GrainIdN0 AND @GrainIdN0 IS NOT NULL
      AND GrainIdN1 = @GrainIdN1 AND @GrainIdN1 IS NOT NULL
      AND GrainTypeString = @GrainTypeString AND @GrainTypeString IS NOT NULL
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
      AND ServiceId = @ServiceId AND @ServiceId IS NOT NULL
      AND Version IS NOT NULL AND Version = @GrainStateVersion AND @GrainStateVersion IS NOT NULL
    RETURNING Version + 1 AS NewGrainStateVersion;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;


-- =============================================================================
-- Reminders
--
-- GrainHash is the grain's uniform hash stored as a signed integer; the
-- provider also passes the range bounds as signed integers.
-- Period is in milliseconds; the provider binds it as a 64-bit value once it
-- exceeds int.MaxValue ms (about 24.8 days), hence bigint.
-- =============================================================================
CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150)   NOT NULL,
    GrainId      varchar(150)   NOT NULL,
    ReminderName varchar(150)   NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    Period       bigint         NOT NULL,
    GrainHash    integer        NOT NULL,
    Version      integer        NOT NULL,

    CONSTRAINT PK_RemindersTable_ServiceId_GrainId_ReminderName
        PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Not in the upstream script: serves the hash-range reads (ReadRangeRows1/2Key).
CREATE INDEX IF NOT EXISTS IX_RemindersTable_ServiceId_GrainHash
    ON OrleansRemindersTable (ServiceId, GrainHash);

-- A reminder table created by the pre-3.x scripts had an integer Period, which
-- cannot hold periods longer than about 24.8 days. Widening is lossless.
DO $do$
BEGIN
    IF EXISTS (
        SELECT 1
        FROM information_schema.columns
        WHERE table_schema = current_schema()
          AND table_name = 'orleansreminderstable'
          AND column_name = 'period'
          AND data_type <> 'bigint')
    THEN
        ALTER TABLE OrleansRemindersTable ALTER COLUMN Period TYPE bigint;
    END IF;
END
$do$;

-- Inserts (Version 0) or updates (Version + 1) a reminder; returns the new version.
CREATE OR REPLACE FUNCTION upsert_reminder_row(
    ServiceIdArg    varchar,
    GrainIdArg      varchar,
    ReminderNameArg varchar,
    StartTimeArg    timestamptz,
    PeriodArg       bigint,
    GrainHashArg    integer)
RETURNS TABLE(version integer)
LANGUAGE plpgsql
AS $func$
DECLARE
    new_version integer;
BEGIN
    INSERT INTO OrleansRemindersTable AS r
    (
        ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version
    )
    VALUES
    (
        ServiceIdArg, GrainIdArg, ReminderNameArg, StartTimeArg, PeriodArg, GrainHashArg, 0
    )
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
    SET StartTime = EXCLUDED.StartTime,
        Period = EXCLUDED.Period,
        GrainHash = EXCLUDED.GrainHash,
        Version = r.Version + 1
    RETURNING r.Version INTO STRICT new_version;

    RETURN QUERY SELECT new_version;
END
$func$;

-- Deletes a reminder if its version still matches; returns the number of rows deleted.
CREATE OR REPLACE FUNCTION delete_reminder_row(
    ServiceIdArg    varchar,
    GrainIdArg      varchar,
    ReminderNameArg varchar,
    VersionArg      integer)
RETURNS TABLE(row_count integer)
LANGUAGE plpgsql
AS $func$
DECLARE
    affected integer := 0;
BEGIN
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = ServiceIdArg AND ServiceIdArg IS NOT NULL
      AND GrainId = GrainIdArg AND GrainIdArg IS NOT NULL
      AND ReminderName = ReminderNameArg AND ReminderNameArg IS NOT NULL
      AND Version = VersionArg AND VersionArg IS NOT NULL;

    GET DIAGNOSTICS affected = ROW_COUNT;

    RETURN QUERY SELECT affected;
END
$func$;

-- @ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash.
-- Result column read: Version.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpsertReminderRowKey', $q$
    SELECT * FROM upsert_reminder_row(
        @ServiceId, @GrainId, @ReminderName, @StartTime, @Period::bigint, @GrainHash);
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- @ServiceId, @GrainId. Columns read: GrainId, ReminderName, StartTime, Period, Version.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowsKey', $q$
    SELECT
        GrainId,
        ReminderName,
        StartTime,
        Period,
        Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL
      AND GrainId = @GrainId AND @GrainId IS NOT NULL;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- @ServiceId, @GrainId, @ReminderName. Same columns.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowKey', $q$
    SELECT
        GrainId,
        ReminderName,
        StartTime,
        Period,
        Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL
      AND GrainId = @GrainId AND @GrainId IS NOT NULL
      AND ReminderName = @ReminderName AND @ReminderName IS NOT NULL;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- @ServiceId, @BeginHash, @EndHash. Used when (int)BeginHash < (int)EndHash:
-- the range (BeginHash, EndHash] does not wrap around.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows1Key', $q$
    SELECT
        GrainId,
        ReminderName,
        StartTime,
        Period,
        Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL
      AND GrainHash > @BeginHash AND @BeginHash IS NOT NULL
      AND GrainHash <= @EndHash AND @EndHash IS NOT NULL;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- @ServiceId, @BeginHash, @EndHash. Used otherwise: the range wraps around
-- (BeginHash = EndHash means the whole ring).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows2Key', $q$
    SELECT
        GrainId,
        ReminderName,
        StartTime,
        Period,
        Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL
      AND ((GrainHash > @BeginHash AND @BeginHash IS NOT NULL)
        OR (GrainHash <= @EndHash AND @EndHash IS NOT NULL));
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- @ServiceId, @GrainId, @ReminderName, @Version. Returns one column; > 0 means deleted.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowKey', $q$
    SELECT * FROM delete_reminder_row(@ServiceId, @GrainId, @ReminderName, @Version);
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- @ServiceId. Removes every reminder of the service.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowsKey', $q$
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
