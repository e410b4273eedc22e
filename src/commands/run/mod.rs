//! `newsdigest run`: what cron calls every minute. For each bulletin whose slot is due, plan it
//! (stories not yet sent, one render per (locale, zone) group, one message per subscriber) and
//! record the plan; then deliver every due message through its target.
//!
//! Quiet on success. Errors and per-message failures go to stderr (cron mails them); exit 75 when
//! a gateway could not take messages now and they stay pending for the next run. On a SQLite state,
//! one run at a time per file: a second one exits 75 at once. On a PostgreSQL state any number of
//! hosts run together: the (bulletin, slot) row makes one of them the slot's planner (the others
//! only deliver), and messages are claimed with leases ([`send`]). With `--dry-run` the plan is
//! made against the real state but recorded in memory and nothing is sent; what would go out is
//! printed.
//! Example: `newsdigest run --config /etc/newsdigest/newsdigest.toml`.

mod plan;
pub mod send;

use chrono::{DateTime, Utc};
use newsdigest::bulletin::config::{BulletinConfig, Config};
use newsdigest::bulletin::outbox::{Content, Render};
use newsdigest::bulletin::schedule::Schedule;
use newsdigest::bulletin::store::sqlite::SqliteStore;
use newsdigest::bulletin::store::{self, StateLocation, Store, Sweep};
use newsdigest::bulletin::subscribers;
use newsdigest::error::{Error, Result};
use serde::Serialize;

use super::Io;
use crate::cli::{Format, RunArgs};
use crate::output::{self, print, warn};

/// What one bulletin's turn in this run did.
#[derive(Debug, Serialize)]
struct BulletinRun {
    bulletin: String,
    /// The slot due in this run, RFC 3339 UTC; `null` when none was due.
    slot: Option<String>,
    /// Whether this run recorded the slot's plan (`false`: another host had, at the same time).
    planned: bool,
    stories: usize,
    groups: usize,
    messages: usize,
    /// Each group's render and how many subscribers it goes to (shown by `--dry-run`).
    #[serde(skip)]
    renders: Vec<(Render, usize)>,
}

#[derive(Debug, Serialize)]
struct Summary {
    dry_run: bool,
    bulletins: Vec<BulletinRun>,
    #[serde(flatten)]
    delivered: send::Delivered,
}

pub fn run(args: RunArgs, io: &mut Io<'_>, clock: DateTime<Utc>) -> Result<()> {
    let now = args.now.unwrap_or(clock);
    let config = super::state::load_config(args.config.as_deref())?;
    let bulletins = chosen_bulletins(&config, &args.bulletins)?;
    let location = super::state::location(&config)?;
    let worker = super::state::worker_name(args.worker.as_deref());
    let claimant = super::state::claimant(&config, worker.clone())?;
    let _lock = if args.dry_run {
        None
    } else {
        super::state::lock(&location)?
    };
    let mut stores = Stores::open(&location, args.dry_run)?;
    let names: Vec<String> = bulletins.iter().map(|b| b.name.clone()).collect();
    if !args.dry_run {
        recover(&config, stores.state.as_mut(), io, now)?;
    }
    let mut notes = Vec::new();
    let mut first_error = None;
    let mut runs = Vec::new();
    for bulletin in &bulletins {
        match plan_bulletin(&config, bulletin, &mut stores, io, now, &worker, &mut notes) {
            Ok(run) => {
                tracing::info!(
                    bulletin = %run.bulletin,
                    slot = run.slot.as_deref().unwrap_or("none due"),
                    stories = run.stories,
                    groups = run.groups,
                    messages = run.messages,
                    "planned"
                );
                runs.push(run)
            }
            Err(error) => {
                notes.push(format!("error: bulletin {}: {error}", bulletin.name));
                first_error.get_or_insert(error);
            }
        }
    }
    let delivered = if args.dry_run {
        send::Delivered::default()
    } else {
        let mut gateways = send::Gateways::new(&config);
        let progress = io.bars.start("delivering");
        send::deliver_due(
            stores.state.as_mut(),
            &mut gateways,
            &names,
            now,
            &claimant,
            &*progress,
        )?
    };
    tracing::info!(
        sent = delivered.sent,
        failed = delivered.failed,
        deferred = delivered.deferred,
        "delivered"
    );
    report(io, &args, &notes, runs, delivered, first_error)
}

/// Applies each bulletin's uncertain policy to messages a killed worker left `sending`: all of
/// them on a SQLite state (the run lock says no other run is alive), those whose lease ran out on
/// a shared one. Warns when there were any.
pub fn recover(
    config: &Config,
    store: &mut dyn Store,
    io: &mut Io<'_>,
    now: DateTime<Utc>,
) -> Result<usize> {
    let policy = |name: &str| {
        config
            .bulletin(name)
            .map(|b| b.uncertain)
            .unwrap_or_default()
    };
    let sweep = if store.shared() {
        Sweep::Expired
    } else {
        Sweep::All
    };
    let found = store.recover(&policy, now, sweep)?;
    if found > 0 {
        warn(
            io,
            &[format!(
                "{found} messages were being sent when a run was interrupted: now uncertain (see `newsdigest history --status uncertain`)"
            )],
        );
    }
    Ok(found)
}

/// The bulletins named on the command line (all when none), in the configuration's order.
fn chosen_bulletins<'a>(config: &'a Config, names: &[String]) -> Result<Vec<&'a BulletinConfig>> {
    if let Some(unknown) = names.iter().find(|name| config.bulletin(name).is_none()) {
        return Err(Error::Config {
            path: config.path.clone(),
            message: format!("no bulletin named {unknown:?}"),
        });
    }
    Ok(config
        .bulletins
        .iter()
        .filter(|b| names.is_empty() || names.contains(&b.name))
        .collect())
}

/// The state store, and with `--dry-run` a store in memory that takes the plans instead.
struct Stores {
    state: Box<dyn Store>,
    dry_run: Option<Box<dyn Store>>,
}

impl Stores {
    fn open(location: &StateLocation, dry_run: bool) -> Result<Stores> {
        if !dry_run {
            return Ok(Stores {
                state: store::open(location)?,
                dry_run: None,
            });
        }
        // A dry run reads what was sent but records nothing: no state file is created for it.
        let reads: Box<dyn Store> = match super::state::open_existing(location)? {
            Some(store) => store,
            None => Box::new(SqliteStore::in_memory()?),
        };
        Ok(Stores {
            state: reads,
            dry_run: Some(Box::new(SqliteStore::in_memory()?)),
        })
    }

    /// Where plans are recorded: the state, or on a dry run the store in memory.
    fn plans(&mut self) -> &mut dyn Store {
        match &mut self.dry_run {
            Some(store) => store.as_mut(),
            None => self.state.as_mut(),
        }
    }
}

/// Plans `bulletin`'s due slot, if any, and records the plan (in memory on a dry run).
fn plan_bulletin(
    config: &Config,
    bulletin: &BulletinConfig,
    stores: &mut Stores,
    io: &mut Io<'_>,
    now: DateTime<Utc>,
    worker: &str,
    notes: &mut Vec<String>,
) -> Result<BulletinRun> {
    let schedule = Schedule::parse(
        &bulletin.schedule,
        bulletin.zone.as_deref().unwrap_or("UTC"),
    )
    .map_err(|message| Error::Config {
        path: config.path.clone(),
        message: format!("bulletin {}: schedule: {message}", bulletin.name),
    })?;
    let mut run = BulletinRun {
        bulletin: bulletin.name.clone(),
        slot: None,
        planned: false,
        stories: 0,
        groups: 0,
        messages: 0,
        renders: Vec::new(),
    };
    let Some(slot) = schedule.due_slot(stores.state.last_slot(&bulletin.name)?, now) else {
        return Ok(run);
    };
    let subscribers = load_subscribers(config, bulletin, notes)?;
    let mut planned = plan::plan_slot(
        config,
        bulletin,
        slot,
        &subscribers,
        stores.state.as_mut(),
        io,
        now,
    )?;
    planned.plan.planned_by = worker.to_string();
    notes.extend(planned.notes);
    if stores.dry_run.is_some() {
        notes.extend(planned.routine);
    }
    run.slot = Some(slot.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    run.stories = planned.plan.stories.len();
    run.groups = planned.plan.renders.len();
    run.messages = planned.plan.recipients.len();
    let mut sizes = vec![0; planned.plan.renders.len()];
    for recipient in &planned.plan.recipients {
        sizes[recipient.render] += 1;
    }
    run.renders = planned.plan.renders.iter().cloned().zip(sizes).collect();
    run.planned = stores.plans().record_plan(&planned.plan)?;
    Ok(run)
}

/// The bulletin's subscribers; bad rows are noted (with their line) and skipped.
fn load_subscribers(
    config: &Config,
    bulletin: &BulletinConfig,
    notes: &mut Vec<String>,
) -> Result<Vec<subscribers::Subscriber>> {
    let region = bulletin
        .sources
        .first()
        .and_then(|name| config.source(name))
        .and_then(|source| source.country.as_deref());
    let known = newsdigest::bulletin::check::known_locale(bulletin.locales.as_deref());
    let (list, problems) =
        subscribers::load(&bulletin.subscribers, bulletin.channel, region, &known)?;
    notes.extend(
        problems
            .into_iter()
            .map(|problem| format!("bulletin {}: subscribers: {problem}", bulletin.name)),
    );
    Ok(list)
}

/// Prints what the run did (always with `--dry-run` or `--format json`; otherwise only notes and
/// failures), and turns deferred messages into exit 75.
fn report(
    io: &mut Io<'_>,
    args: &RunArgs,
    notes: &[String],
    bulletins: Vec<BulletinRun>,
    delivered: send::Delivered,
    first_error: Option<Error>,
) -> Result<()> {
    let mut lines = notes.to_vec();
    lines.extend(delivered.failures.iter().cloned());
    match args.format {
        Format::Json => {
            warn(io, &lines);
            let summary = Summary {
                dry_run: args.dry_run,
                bulletins,
                delivered,
            };
            print(io, &output::to_json(&summary))?;
            return finish(first_error, &summary.delivered);
        }
        Format::Text => {
            warn(io, &lines);
            if args.dry_run {
                print(io, &dry_run_text(&bulletins))?;
            }
        }
    }
    finish(first_error, &delivered)
}

/// The run's error: the first bulletin that failed, else messages left pending (exit 75).
fn finish(first_error: Option<Error>, delivered: &send::Delivered) -> Result<()> {
    if let Some(error) = first_error {
        return Err(error);
    }
    match &delivered.last_deferral {
        Some((target, reason)) => Err(Error::GatewayLater {
            target: target.clone(),
            message: format!(
                "{} messages stay pending for the next run: {reason}",
                delivered.deferred
            ),
        }),
        None => Ok(()),
    }
}

/// What a dry run would send: per bulletin, its slot and counts, then each group's text.
fn dry_run_text(bulletins: &[BulletinRun]) -> String {
    let mut text = String::new();
    for run in bulletins {
        let Some(slot) = &run.slot else {
            text.push_str(&format!("{}: no slot due\n", run.bulletin));
            continue;
        };
        text.push_str(&format!(
            "{} {slot}: {} stories, {} groups, {} messages (not sent: --dry-run)\n",
            run.bulletin, run.stories, run.groups, run.messages
        ));
        for (render, subscribers) in &run.renders {
            let body = match &render.content {
                Content::Sms { text, .. } => text.clone(),
                Content::Email { subject, text, .. } => format!("Subject: {subject}\n\n{text}"),
            };
            text.push_str(&format!(
                "--- {} {} ({subscribers} subscribers) ---\n{}\n",
                render.locale,
                render.zone,
                body.trim_end()
            ));
        }
    }
    text
}
