//! `newsdigest serve`: a small HTTP server for what gateways and readers send back: delivery
//! reports (Kannel's per part, a webhook receiver's JSON), and readers' STOP and START
//! ([`routes`] lists them).
//!
//! Owns the server's parts put together: [`Server::bind`] listens on `[serve] listen`, and
//! [`Server::run`] answers on `threads` handler threads, each with its own connection to the
//! state, until `stop` is set (SIGTERM or SIGINT), then finishes the requests in hand and returns
//! what it did. Connections, their limits and HTTP itself are [`http`]'s; before a request
//! reaches a handler, a client address sending more than `rate` requests a second gets 429
//! ([`limiter`]). Confirmation SMS are sent after the request is answered.

pub mod http;
pub mod limiter;
pub mod replies;
pub mod routes;

use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use chrono::Utc;
use serde::Serialize;

use crate::bulletin::config::Config;
use crate::bulletin::deliver::reports::is_url_safe_token;
use crate::bulletin::deliver::{Outcome, one_line};
use crate::bulletin::store::Store;
use crate::error::{Error, Result};
use limiter::Limiter;
use routes::{Incoming, Kind, Routes};

/// Where `serve` listens unless `[serve] listen` says otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8088";
/// Largest request body unless `max_body` says otherwise: far more than any report.
pub const DEFAULT_MAX_BODY: usize = 64 * 1024;
/// Requests per second per client address unless `rate` says otherwise.
pub const DEFAULT_RATE: f64 = 200.0;
/// Requests handled at once unless `threads` says otherwise.
pub const DEFAULT_THREADS: usize = 4;

/// `[serve]` as read and checked.
#[derive(Debug, Clone)]
pub struct ServeSettings {
    pub listen: String,
    pub token: String,
    pub max_body: usize,
    pub rate: f64,
    pub threads: usize,
}

impl ServeSettings {
    /// The `[serve]` section of `config`, with its token read from `token_env`.
    pub fn from_config(config: &Config) -> Result<ServeSettings> {
        let problem = |message: String| Error::Config {
            path: config.path.clone(),
            message: format!("serve: {message}"),
        };
        let serve = config
            .serve
            .as_ref()
            .ok_or_else(|| problem("no [serve] section (it names at least token_env)".into()))?;
        let variable = &serve.token_env;
        let token = std::env::var(variable).unwrap_or_default();
        if token.is_empty() {
            return Err(problem(format!(
                "the environment variable {variable} (token_env) is not set"
            )));
        }
        if !is_url_safe_token(&token) {
            return Err(problem(format!(
                "the token in {variable} (token_env) must be at least 16 letters, digits or -._~"
            )));
        }
        let rate = serve.rate.unwrap_or(DEFAULT_RATE);
        if !(rate.is_finite() && rate > 0.0) {
            return Err(problem(
                "rate must be a positive number of requests a second".into(),
            ));
        }
        let threads = serve.threads.unwrap_or(DEFAULT_THREADS);
        if !(1..=64).contains(&threads) {
            return Err(problem("threads must be between 1 and 64".into()));
        }
        let max_body = serve.max_body.unwrap_or(DEFAULT_MAX_BODY);
        if !(1024..=16 * 1024 * 1024).contains(&max_body) {
            return Err(problem(
                "max_body must be between 1024 and 16777216 bytes".into(),
            ));
        }
        Ok(ServeSettings {
            listen: serve
                .listen
                .clone()
                .unwrap_or_else(|| DEFAULT_LISTEN.into()),
            token,
            max_body,
            rate,
            threads,
        })
    }
}

/// What `serve` did, counted by what each request was.
#[derive(Debug, Default, Serialize)]
pub struct Served {
    pub requests: u64,
    /// Delivery reports that moved a part.
    pub reports: u64,
    /// Delivery reports that changed nothing (repeats, older news).
    pub stale_reports: u64,
    /// Reports on messages or parts that do not exist.
    pub unknown: u64,
    pub opted_out: u64,
    pub opted_in: u64,
    /// Confirmations sent (accepted by the reply target).
    pub confirmations: u64,
    /// Wrong or missing token (403).
    pub forbidden: u64,
    /// Over the rate (429).
    pub limited: u64,
    /// Body over `max_body` (413).
    pub too_large: u64,
    /// Other refusals (400, 404, 405, 503).
    pub refused: u64,
}

/// The counters behind [`Served`], shared by the threads.
#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    reports: AtomicU64,
    stale_reports: AtomicU64,
    unknown: AtomicU64,
    opted_out: AtomicU64,
    opted_in: AtomicU64,
    confirmations: AtomicU64,
    forbidden: AtomicU64,
    limited: AtomicU64,
    too_large: AtomicU64,
    refused: AtomicU64,
}

impl Counters {
    fn count(&self, kind: Kind) {
        let counter = match kind {
            Kind::Report => &self.reports,
            Kind::StaleReport => &self.stale_reports,
            Kind::UnknownMessage => &self.unknown,
            Kind::OptOut => &self.opted_out,
            Kind::OptIn => &self.opted_in,
            Kind::Forbidden => &self.forbidden,
            Kind::Refused => &self.refused,
            Kind::Health | Kind::Ignored => return,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn served(&self) -> Served {
        let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        Served {
            requests: get(&self.requests),
            reports: get(&self.reports),
            stale_reports: get(&self.stale_reports),
            unknown: get(&self.unknown),
            opted_out: get(&self.opted_out),
            opted_in: get(&self.opted_in),
            confirmations: get(&self.confirmations),
            forbidden: get(&self.forbidden),
            limited: get(&self.limited),
            too_large: get(&self.too_large),
            refused: get(&self.refused),
        }
    }
}

/// A listening server.
pub struct Server {
    listener: TcpListener,
    settings: ServeSettings,
    routes: Routes,
    limiter: Limiter,
    counters: Counters,
}

impl Server {
    /// Listens on `settings.listen`; `routes` answer what comes in.
    pub fn bind(settings: ServeSettings, routes: Routes) -> Result<Server> {
        let listener = TcpListener::bind(&settings.listen).map_err(|error| Error::Listen {
            address: settings.listen.clone(),
            message: error.to_string(),
        })?;
        Ok(Server {
            listener,
            limiter: Limiter::new(settings.rate),
            settings,
            routes,
            counters: Counters::default(),
        })
    }

    /// The address it listens on (with the port chosen when `listen` asked for port 0).
    pub fn address(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    /// Answers requests until `stop` is set; each handler thread opens its own store with
    /// `open_store` (again after a failure). Returns what it did.
    pub fn run(
        &self,
        open_store: &(dyn Fn() -> Result<Box<dyn Store>> + Sync),
        stop: &AtomicBool,
    ) -> Result<Served> {
        let limits = http::Limits {
            max_body: self.settings.max_body,
            queue: self.settings.threads * 64,
        };
        let gate = |request: &http::Request| self.gate(request);
        let make_handler = || -> Box<dyn FnMut(http::Exchange) + '_> {
            let mut store: Option<Box<dyn Store>> = None;
            Box::new(move |exchange: http::Exchange| self.answer(exchange, &mut store, open_store))
        };
        http::serve(
            &self.listener,
            limits,
            stop,
            &gate,
            self.settings.threads,
            &make_handler,
        )
        .map_err(|error| Error::Listen {
            address: self.settings.listen.clone(),
            message: error.to_string(),
        })?;
        Ok(self.counters.served())
    }

    /// Counts a request, and answers 429 at once when its client is over the rate.
    fn gate(&self, request: &http::Request) -> Option<http::Response> {
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(
            "serve: {} {}",
            request.method,
            one_line(request.target.split('?').next().unwrap_or(""), 100)
        );
        if self.limiter.allow(request.client, Instant::now()) {
            return None;
        }
        self.counters.limited.fetch_add(1, Ordering::Relaxed);
        Some(http::Response::text(429, "too many requests").retry_after(1))
    }

    /// Answers one request, then sends its confirmation, if any.
    fn answer(
        &self,
        exchange: http::Exchange,
        store: &mut Option<Box<dyn Store>>,
        open_store: &(dyn Fn() -> Result<Box<dyn Store>> + Sync),
    ) {
        let request = &exchange.request;
        let incoming = Incoming {
            method: &request.method,
            url: &request.target,
            authorization: request.header("authorization"),
            content_type: request.header("content-type"),
            body: &request.body,
        };
        let answer = match self.store(store, open_store) {
            Ok(opened) => self.routes.handle(&incoming, opened, Utc::now()),
            Err(error) => {
                tracing::warn!("serve: {error}");
                routes::Answer {
                    status: 503,
                    body: "the state cannot be reached; try again later".into(),
                    kind: Kind::Refused,
                    confirmation: None,
                }
            }
        };
        if answer.status >= 500 {
            // Open the state again for the next request.
            *store = None;
        }
        self.counters.count(answer.kind);
        exchange.answer(http::Response::text(answer.status, answer.body));
        if let Some(confirmation) = answer.confirmation {
            match confirmation.send() {
                Outcome::Sent(_) => {
                    self.counters.confirmations.fetch_add(1, Ordering::Relaxed);
                }
                Outcome::RetryLater(why) | Outcome::Failed(why) => {
                    tracing::warn!(
                        "serve: the confirmation was not sent: {}",
                        one_line(&why, 200)
                    );
                }
            }
        }
    }

    fn store<'s>(
        &self,
        store: &'s mut Option<Box<dyn Store>>,
        open_store: &(dyn Fn() -> Result<Box<dyn Store>> + Sync),
    ) -> Result<&'s mut dyn Store> {
        let opened = match store.take() {
            Some(opened) => opened,
            None => open_store()?,
        };
        Ok(store.insert(opened).as_mut())
    }
}
