//! `newsdigest serve`: listens for delivery reports and readers' STOP and START (see
//! [`newsdigest::serve`]) until SIGTERM or SIGINT, then finishes the requests in hand and exits 0.
//! The first line on stdout says where it listens (`listening on http://127.0.0.1:8088`); with
//! `--format json`, what it received is printed when it stops. Example:
//! `NEWSDIGEST_SERVE_TOKEN=… newsdigest serve --config /etc/newsdigest/newsdigest.toml`.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use newsdigest::bulletin::store::{self, Store};
use newsdigest::error::{Error, Result};
use newsdigest::serve::replies::Replies;
use newsdigest::serve::routes::Routes;
use newsdigest::serve::{ServeSettings, Server};

use super::Io;
use crate::cli::{Format, ServeArgs};
use crate::output::{self, print};

pub fn run(args: ServeArgs, io: &mut Io<'_>) -> Result<()> {
    let config = super::state::load_config(args.config.as_deref())?;
    let settings = ServeSettings::from_config(&config)?;
    let location = super::state::location(&config)?;
    // Open (and migrate) the state once before listening: a bad state fails here, at once.
    drop(store::open(&location)?);
    let routes = Routes::new(settings.token.clone(), Replies::new(&config)?);
    let server = Server::bind(settings, routes)?;
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(Error::Output)?;
    }
    let address = server
        .address()
        .map_or_else(|| "(unknown)".to_string(), |a| format!("http://{a}"));
    writeln!(io.stdout, "listening on {address}").map_err(Error::Output)?;
    io.stdout.flush().map_err(Error::Output)?;
    tracing::info!("serve: listening on {address}");
    let open_store = || -> Result<Box<dyn Store>> { store::open(&location) };
    let served = server.run(&open_store, &stop)?;
    tracing::info!(
        requests = served.requests,
        reports = served.reports,
        opted_out = served.opted_out,
        opted_in = served.opted_in,
        "serve: stopped"
    );
    match args.format {
        Format::Json => print(io, &output::to_json(&served)),
        Format::Text => Ok(()),
    }
}
