//! `newsdigest work`: a long-running worker that only delivers. It plans nothing (that is
//! `run`'s job, from cron on one or more hosts); it claims due messages of the shared state a
//! window at a time, sends them, and when nothing is due looks again every `--poll` seconds.
//! Each pass first applies the uncertain policy to messages whose worker's lease ran out (a
//! worker that died), so a dead worker's messages are handled by the living ones.
//!
//! Meant for a PostgreSQL state, with as many workers on as many hosts as the gateway can take.
//! On a SQLite state it takes the run lock for each pass, so it and cron's `run` take turns.
//! `--until-idle` stops once nothing is due (for tests and catch-up); otherwise it runs until
//! killed, and a worker killed mid-window leaves that window to the lease (see `lease` in the
//! configuration). Quiet unless a message fails for good; `--format json` prints what it did
//! when it stops. Example: `newsdigest work --config /etc/newsdigest/newsdigest.toml`.

use std::time::{Duration, Instant};

use chrono::Utc;
use newsdigest::bulletin::store::{self, StateLocation};
use newsdigest::error::{Error, Result};
use serde::Serialize;

use super::Io;
use super::run::send::{self, Gateways};
use crate::cli::{Format, WorkArgs};
use crate::output::{self, print, warn};

/// What a worker did before it stopped.
#[derive(Debug, Default, Serialize)]
struct Worked {
    worker: String,
    sent: usize,
    failed: usize,
    deferred: usize,
    /// Messages found abandoned by dead workers (then handled by their bulletin's policy).
    recovered: usize,
    seconds: f64,
}

pub fn run(args: WorkArgs, io: &mut Io<'_>) -> Result<()> {
    let config = super::state::load_config(args.config.as_deref())?;
    if let Some(unknown) = args.bulletins.iter().find(|n| config.bulletin(n).is_none()) {
        return Err(Error::Config {
            path: config.path.clone(),
            message: format!("no bulletin named {unknown:?}"),
        });
    }
    let location = super::state::location(&config)?;
    let worker = super::state::worker_name(args.worker.as_deref());
    let claimant = super::state::claimant(&config, worker.clone())?;
    let started = Instant::now();
    let mut worked = Worked {
        worker,
        ..Worked::default()
    };
    let mut gateways = Gateways::new(&config);
    let mut shared_store = None;
    loop {
        let now = Utc::now();
        // A SQLite state is one writer at a time: hold the run lock for a pass, not longer.
        let lock = match &location {
            StateLocation::Sqlite(_) => match super::state::lock(&location) {
                Ok(lock) => lock,
                Err(Error::Locked { .. }) => {
                    std::thread::sleep(Duration::from_secs_f64(args.poll));
                    continue;
                }
                Err(error) => return Err(error),
            },
            StateLocation::Postgres(_) => None,
        };
        let store = match &mut shared_store {
            Some(store) => store,
            None => shared_store.insert(store::open(&location)?),
        };
        worked.recovered += super::run::recover(&config, store.as_mut(), io, now)?;
        let delivered = send::deliver_due(
            store.as_mut(),
            &mut gateways,
            &args.bulletins,
            now,
            &claimant,
            // A long-running worker draws no bar; each pass is logged instead.
            &newsdigest::progress::Silent,
        )?;
        warn(io, &delivered.failures);
        let idle = delivered.sent
            + delivered.failed
            + delivered.deferred
            + delivered.skipped
            + delivered.waiting
            == 0;
        worked.sent += delivered.sent;
        worked.failed += delivered.failed;
        worked.deferred += delivered.deferred;
        if lock.is_some() {
            // A SQLite state is opened anew under the lock at each pass.
            shared_store = None;
            drop(lock);
        }
        if idle && args.until_idle {
            break;
        }
        if idle {
            std::thread::sleep(Duration::from_secs_f64(args.poll));
        }
    }
    worked.seconds = started.elapsed().as_secs_f64();
    match args.format {
        Format::Json => print(io, &output::to_json(&worked)),
        Format::Text => Ok(()),
    }
}
