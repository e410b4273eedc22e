//! `newsdigest retry`: make `pending`, `failed` and `uncertain` messages due now, with a fresh
//! count of attempts, so the next `newsdigest run` sends them. It sends nothing itself, and never
//! touches a `sent` message.
//!
//! Takes the run lock while it writes, so it never races a run. Example:
//! `newsdigest retry --bulletin morning` prints `3 messages will be tried on the next run`.

use chrono::{DateTime, Utc};
use newsdigest::bulletin::lock::RunLock;
use newsdigest::bulletin::store::sqlite::SqliteStore;
use newsdigest::bulletin::store::{Filter, Store};
use newsdigest::error::Result;

use super::{Io, state};
use crate::cli::RetryArgs;
use crate::output::print;

pub fn run(args: RetryArgs, io: &mut Io<'_>, clock: DateTime<Utc>) -> Result<()> {
    let config = state::load_config(args.state.config.as_deref())?;
    state::warn_unknown_bulletins(&config, &args.state.bulletins, io);
    let path = state::state_path(&config)?;
    let filter = Filter {
        bulletins: args.state.bulletins,
        ..Filter::default()
    };
    // No database: no run has planned anything yet, and there is nothing to retry.
    let count = if path.exists() {
        let _lock = RunLock::acquire(&path)?;
        SqliteStore::open(&path)?.retry(&filter, clock)?
    } else {
        0
    };
    let noun = if count == 1 { "message" } else { "messages" };
    print(
        io,
        &format!("{count} {noun} will be tried on the next run\n"),
    )
}
