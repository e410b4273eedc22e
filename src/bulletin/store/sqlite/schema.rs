//! The state database's tables, and the migrations that build them.
//!
//! [`MIGRATIONS`] lists every schema change in order; the database's `PRAGMA user_version` is how
//! many of them it has. [`migrate`] applies the missing ones in one transaction, so a database is
//! never left half-upgraded, and refuses a database written by a newer newsdigest. Changing the
//! schema means adding an entry at the end, never editing one already released.
//!
//! Instants are whole unix seconds (UTC); sub-second parts are dropped.

use rusqlite::{Connection, TransactionBehavior};

use super::Fault;

/// The schema changes, in order; a database at version `n` has the first `n` applied.
pub const MIGRATIONS: &[&str] = &[
    // 1: slots, stories sent, renders and the outbox.
    "
    CREATE TABLE slots (
        bulletin   TEXT    NOT NULL,
        slot       INTEGER NOT NULL,
        planned_at INTEGER NOT NULL,
        channel    TEXT    NOT NULL,
        target     TEXT    NOT NULL,
        -- The slot's story keys, in order, as a JSON array.
        stories    TEXT    NOT NULL,
        PRIMARY KEY (bulletin, slot)
    );
    CREATE TABLE story_sent (
        bulletin  TEXT    NOT NULL,
        story_key TEXT    NOT NULL,
        slot      INTEGER NOT NULL,
        PRIMARY KEY (bulletin, story_key),
        FOREIGN KEY (bulletin, slot) REFERENCES slots (bulletin, slot)
    );
    CREATE TABLE renders (
        id       INTEGER PRIMARY KEY,
        bulletin TEXT    NOT NULL,
        slot     INTEGER NOT NULL,
        locale   TEXT    NOT NULL,
        zone     TEXT    NOT NULL,
        -- outbox::Content as JSON.
        content  TEXT    NOT NULL,
        FOREIGN KEY (bulletin, slot) REFERENCES slots (bulletin, slot)
    );
    CREATE TABLE messages (
        id          INTEGER PRIMARY KEY,
        bulletin    TEXT    NOT NULL,
        slot        INTEGER NOT NULL,
        address     TEXT    NOT NULL,
        name        TEXT,
        render_id   INTEGER NOT NULL REFERENCES renders (id),
        status      TEXT    NOT NULL
            CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'uncertain')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        next_try    INTEGER NOT NULL,
        -- When the last attempt started (mark_sending).
        tried_at    INTEGER,
        -- When it became sent or failed.
        finished_at INTEGER,
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
    ALTER TABLE messages ADD COLUMN lease_until INTEGER;
    CREATE TABLE rate_limits (
        target  TEXT    PRIMARY KEY,
        next_at INTEGER NOT NULL
    );
    CREATE INDEX messages_pending ON messages (slot, render_id, id) WHERE status = 'pending';
    ",
    // 3: delivery reports, opt-outs and quiet hours. Messages gain the status `skipped` (an
    // opted-out reader, or quiet hours that outlasted the bulletin's `quiet_max_age`: SQLite
    // cannot change a CHECK, so the table is rebuilt with its rows and indexes), the reader's
    // quiet hours (retries wait them out), the parts submitted, and the delivery status derived
    // from every part's report. `parts` holds each part's latest report; `opt_outs` the readers
    // who said STOP.
    "
    CREATE TABLE messages_v3 (
        id          INTEGER PRIMARY KEY,
        bulletin    TEXT    NOT NULL,
        slot        INTEGER NOT NULL,
        address     TEXT    NOT NULL,
        name        TEXT,
        render_id   INTEGER NOT NULL REFERENCES renders (id),
        status      TEXT    NOT NULL
            CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'uncertain', 'skipped')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        next_try    INTEGER NOT NULL,
        tried_at    INTEGER,
        finished_at INTEGER,
        answer      TEXT,
        last_error  TEXT,
        claimed_by  TEXT,
        lease_until INTEGER,
        -- The reader's quiet hours (`22:00-07:00`), read in the render's zone.
        quiet       TEXT,
        -- SMS parts submitted (delivery is complete when each has reported).
        parts       INTEGER,
        -- Derived from the parts' reports: `accepted`, `delivered` or `failed`.
        delivery    TEXT CHECK (delivery IN ('accepted', 'delivered', 'failed')),
        delivery_note TEXT,
        reported_at INTEGER,
        UNIQUE (bulletin, slot, address),
        FOREIGN KEY (bulletin, slot) REFERENCES slots (bulletin, slot)
    );
    INSERT INTO messages_v3 (id, bulletin, slot, address, name, render_id, status, attempts,
        next_try, tried_at, finished_at, answer, last_error, claimed_by, lease_until)
    SELECT id, bulletin, slot, address, name, render_id, status, attempts, next_try, tried_at,
        finished_at, answer, last_error, claimed_by, lease_until
    FROM messages;
    DROP TABLE messages;
    ALTER TABLE messages_v3 RENAME TO messages;
    CREATE INDEX messages_due ON messages (status, next_try);
    CREATE INDEX messages_pending ON messages (slot, render_id, id) WHERE status = 'pending';
    CREATE TABLE parts (
        message_id  INTEGER NOT NULL REFERENCES messages (id),
        part        INTEGER NOT NULL,
        status      TEXT    NOT NULL
            CHECK (status IN ('buffered', 'accepted', 'delivered', 'undelivered', 'rejected')),
        reason      TEXT,
        reported_at INTEGER NOT NULL,
        PRIMARY KEY (message_id, part)
    );
    CREATE TABLE opt_outs (
        address      TEXT    PRIMARY KEY,
        keyword      TEXT    NOT NULL,
        opted_out_at INTEGER NOT NULL
    );
    ",
];

/// Brings the database up to `migrations.len()`, each missing step in order, in one transaction.
/// A database whose version is already higher is refused: this binary does not know its tables.
pub fn migrate(connection: &mut Connection, migrations: &[&str]) -> Result<(), Fault> {
    // IMMEDIATE: two processes opening a new database at once must not both migrate it.
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = transaction.query_row("PRAGMA user_version", [], |row| row.get(0))?;
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
        return Ok(());
    }
    for (index, migration) in migrations.iter().enumerate().skip(applied) {
        transaction
            .execute_batch(migration)
            .map_err(|e| Fault(format!("migration to schema version {}: {e}", index + 1)))?;
    }
    transaction.pragma_update(None, "user_version", known as i64)?;
    transaction.commit()?;
    Ok(())
}

/// The database's schema version.
#[cfg(test)]
pub fn version(connection: &Connection) -> i64 {
    connection
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_changes_nothing() {
        let mut connection = Connection::open_in_memory().unwrap();
        migrate(&mut connection, MIGRATIONS).unwrap();
        assert_eq!(version(&connection), MIGRATIONS.len() as i64);
        migrate(&mut connection, MIGRATIONS).unwrap();
        assert_eq!(version(&connection), MIGRATIONS.len() as i64);
    }

    #[test]
    fn an_older_database_is_upgraded_and_keeps_its_rows() {
        let mut connection = Connection::open_in_memory().unwrap();
        migrate(&mut connection, MIGRATIONS).unwrap();
        connection
            .execute(
                "INSERT INTO slots (bulletin, slot, planned_at, channel, target, stories)
                 VALUES ('morning', 1, 1, 'sms', 'spool', '[]')",
                [],
            )
            .unwrap();
        let mut next: Vec<&str> = MIGRATIONS.to_vec();
        next.push("ALTER TABLE slots ADD COLUMN note TEXT NOT NULL DEFAULT 'none';");
        migrate(&mut connection, &next).unwrap();
        assert_eq!(version(&connection), next.len() as i64);
        let note: String = connection
            .query_row(
                "SELECT note FROM slots WHERE bulletin = 'morning'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(note, "none");
    }

    #[test]
    fn a_failed_migration_leaves_the_old_version() {
        let mut connection = Connection::open_in_memory().unwrap();
        migrate(&mut connection, MIGRATIONS).unwrap();
        let mut next: Vec<&str> = MIGRATIONS.to_vec();
        next.push("CREATE TABLE extra (x); CREATE TABLE slots (y);");
        let error = migrate(&mut connection, &next).unwrap_err();
        let failed = format!("schema version {}", MIGRATIONS.len() + 1);
        assert!(error.0.contains(&failed), "{}", error.0);
        assert_eq!(version(&connection), MIGRATIONS.len() as i64);
        let extra: i64 = connection
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = 'extra'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(extra, 0, "the half-applied step was rolled back");
    }

    #[test]
    fn a_version_1_database_gains_claims_and_keeps_its_rows() {
        let mut connection = Connection::open_in_memory().unwrap();
        migrate(&mut connection, &MIGRATIONS[..1]).unwrap();
        connection
            .execute_batch(
                "INSERT INTO slots VALUES ('morning', 1, 1, 'sms', 'spool', '[]');
                 INSERT INTO renders VALUES (1, 'morning', 1, 'en', 'UTC', '{}');
                 INSERT INTO messages (bulletin, slot, address, render_id, status, next_try)
                 VALUES ('morning', 1, '+8801711111111', 1, 'sending', 1);",
            )
            .unwrap();
        migrate(&mut connection, MIGRATIONS).unwrap();
        assert_eq!(version(&connection), MIGRATIONS.len() as i64);
        let (claimed_by, lease_until): (Option<String>, Option<i64>) = connection
            .query_row("SELECT claimed_by, lease_until FROM messages", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(
            (claimed_by, lease_until),
            (None, None),
            "no lease: abandoned"
        );
    }

    #[test]
    fn a_newer_database_is_refused() {
        let mut connection = Connection::open_in_memory().unwrap();
        connection
            .pragma_update(None, "user_version", MIGRATIONS.len() as i64 + 1)
            .unwrap();
        let error = migrate(&mut connection, MIGRATIONS).unwrap_err();
        assert!(error.0.contains("newer newsdigest"), "{}", error.0);
    }
}
