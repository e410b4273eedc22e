//! `newsdigest retry`: make `pending`, `failed` and `uncertain` messages due now, with a fresh
//! count of attempts, so the next `newsdigest run` sends them. It sends nothing itself, and never
//! touches a `sent` message.
//!
//! On a SQLite state it takes the run lock while it writes, so it never races a run; on
//! PostgreSQL each message's status check is its own guard (a message being sent is not
//! touched). Example:
//! `newsdigest retry --bulletin morning` prints `3 messages will be tried on the next run`.

use chrono::{DateTime, Utc};
use newsdigest::bulletin::store::{Filter, StateLocation};
use newsdigest::error::Result;

use super::{Io, state};
use crate::cli::RetryArgs;
use crate::output::print;

pub fn run(args: RetryArgs, io: &mut Io<'_>, clock: DateTime<Utc>) -> Result<()> {
    let clock = args.now.unwrap_or(clock);
    let config = state::load_config(args.state.config.as_deref())?;
    state::warn_unknown_bulletins(&config, &args.state.bulletins, io);
    let location = state::location(&config)?;
    let filter = Filter {
        bulletins: args.state.bulletins,
        ..Filter::default()
    };
    // No database: no run has planned anything yet, and there is nothing to retry.
    let exists = match &location {
        StateLocation::Sqlite(path) => path.exists(),
        StateLocation::Postgres(_) => true,
    };
    let count = if exists {
        let _lock = state::lock(&location)?;
        match state::open_existing(&location)? {
            Some(mut store) => store.retry(&filter, clock)?,
            None => 0,
        }
    } else {
        0
    };
    let noun = if count == 1 { "message" } else { "messages" };
    print(
        io,
        &format!("{count} {noun} will be tried on the next run\n"),
    )
}
