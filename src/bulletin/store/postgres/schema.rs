//! The PostgreSQL tables, and the migrations that build them: the same versions as SQLite's
//! ([`crate::bulletin::store::sqlite::MIGRATIONS`]), step for step, in PostgreSQL's dialect.
//!
//! The version lives in a one-row table, `newsdigest_schema`. [`migrate`] takes a
//! transaction-scoped advisory lock first, so hosts that start at once queue: the first applies
//! the missing steps and commits, the others then find nothing to do. A database written by a
//! newer newsdigest is refused. Instants are whole unix seconds (UTC), as in SQLite.

use postgres::Client;

use super::Fault;

/// The advisory lock key migrations hold (`newsdigest` in ASCII, as a number).
pub const MIGRATION_LOCK: i64 = 0x6e65_7773_6469_6773;

/// The schema changes, in order; a database at version `n` has the first `n` applied.
pub const MIGRATIONS: &[&str] = &[
    // 1: slots, stories sent, renders and the outbox.
    "
    CREATE TABLE slots (
        bulletin   TEXT   NOT NULL,
        slot       BIGINT NOT NULL,
        planned_at BIGINT NOT NULL,
        channel    TEXT   NOT NULL,
        target     TEXT   NOT NULL,
        stories    TEXT   NOT NULL,
        PRIMARY KEY (bulletin, slot)
    );
    CREATE TABLE story_sent (
        bulletin  TEXT   NOT NULL,
        story_key TEXT   NOT NULL,
        slot      BIGINT NOT NULL,
        PRIMARY KEY (bulletin, story_key),
        FOREIGN KEY (bulletin, slot) REFERENCES slots (bulletin, slot)
    );
    CREATE TABLE renders (
        id       BIGSERIAL PRIMARY KEY,
        bulletin TEXT      NOT NULL,
        slot     BIGINT    NOT NULL,
        locale   TEXT      NOT NULL,
        zone     TEXT      NOT NULL,
        content  TEXT      NOT NULL,
        FOREIGN KEY (bulletin, slot) REFERENCES slots (bulletin, slot)
    );
    CREATE TABLE messages (
        id          BIGSERIAL PRIMARY KEY,
        bulletin    TEXT      NOT NULL,
        slot        BIGINT    NOT NULL,
        address     TEXT      NOT NULL,
        name        TEXT,
        render_id   BIGINT    NOT NULL REFERENCES renders (id),
        status      TEXT      NOT NULL
            CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'uncertain')),
        attempts    INTEGER   NOT NULL DEFAULT 0,
        next_try    BIGINT    NOT NULL,
        tried_at    BIGINT,
        finished_at BIGINT,
        answer      TEXT,
        last_error  TEXT,
        UNIQUE (bulletin, slot, address),
        FOREIGN KEY (bulletin, slot) REFERENCES slots (bulletin, slot)
    );
    CREATE INDEX messages_due ON messages (status, next_try);
    ",
    // 2: who planned a slot, who holds a message and until when (claimed delivery), each
    // target's shared rate limit (the next free departure, in microseconds), and pending messages
    // in the order they are handed out (a claim of a few reads a few, not every pending row).
    "
    ALTER TABLE slots ADD COLUMN planned_by TEXT;
    ALTER TABLE messages ADD COLUMN claimed_by TEXT;
    ALTER TABLE messages ADD COLUMN lease_until BIGINT;
    CREATE TABLE rate_limits (
        target  TEXT   PRIMARY KEY,
        next_at BIGINT NOT NULL
    );
    CREATE INDEX messages_pending ON messages (slot, render_id, id) WHERE status = 'pending';
    ",
    // 3: delivery reports, opt-outs and quiet hours (see the SQLite schema's migration 3).
    "
    ALTER TABLE messages DROP CONSTRAINT messages_status_check;
    ALTER TABLE messages ADD CONSTRAINT messages_status_check
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'uncertain', 'skipped'));
    ALTER TABLE messages ADD COLUMN quiet TEXT;
    ALTER TABLE messages ADD COLUMN parts INTEGER;
    ALTER TABLE messages ADD COLUMN delivery TEXT
        CHECK (delivery IN ('accepted', 'delivered', 'failed'));
    ALTER TABLE messages ADD COLUMN delivery_note TEXT;
    ALTER TABLE messages ADD COLUMN reported_at BIGINT;
    CREATE TABLE parts (
        message_id  BIGINT NOT NULL REFERENCES messages (id),
        part        INTEGER NOT NULL,
        status      TEXT   NOT NULL
            CHECK (status IN ('buffered', 'accepted', 'delivered', 'undelivered', 'rejected')),
        reason      TEXT,
        reported_at BIGINT NOT NULL,
        PRIMARY KEY (message_id, part)
    );
    CREATE TABLE opt_outs (
        address      TEXT   PRIMARY KEY,
        keyword      TEXT   NOT NULL,
        opted_out_at BIGINT NOT NULL
    );
    ",
];

/// Brings the database up to `migrations.len()` in one transaction, under the advisory lock.
pub fn migrate(client: &mut Client, migrations: &[&str]) -> Result<(), Fault> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS newsdigest_schema (version INTEGER NOT NULL)")?;
    let version: i32 = tx
        .query_opt("SELECT version FROM newsdigest_schema", &[])?
        .map(|row| row.get(0))
        .unwrap_or(0);
    let known = migrations.len();
    let applied = usize::try_from(version)
        .ok()
        .filter(|&applied| applied <= known)
        .ok_or_else(|| {
            Fault(format!(
                "written by a newer newsdigest (schema version {version}; this one knows up to \
                 {known}): upgrade newsdigest"
            ))
        })?;
    if applied == known {
        return Ok(tx.commit()?);
    }
    for (index, migration) in migrations.iter().enumerate().skip(applied) {
        tx.batch_execute(migration).map_err(|e| {
            Fault(format!(
                "migration to schema version {}: {}",
                index + 1,
                Fault::from(e).0
            ))
        })?;
    }
    let known = i32::try_from(known).unwrap_or(i32::MAX);
    if version == 0 {
        tx.execute("DELETE FROM newsdigest_schema", &[])?;
        tx.execute(
            "INSERT INTO newsdigest_schema (version) VALUES ($1)",
            &[&known],
        )?;
    } else {
        tx.execute("UPDATE newsdigest_schema SET version = $1", &[&known])?;
    }
    tx.commit()?;
    Ok(())
}

/// The database's schema version.
#[cfg(test)]
pub fn version(client: &mut Client) -> i32 {
    client
        .query_one("SELECT version FROM newsdigest_schema", &[])
        .unwrap()
        .get(0)
}
