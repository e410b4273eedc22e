//! Bulletins from cron: the configuration (`newsdigest.toml`), subscribers, schedules, the state
//! store with its outbox, and delivery to gateways.
//!
//! `newsdigest run` (in the binary) ties them together: for each bulletin whose slot is due
//! ([`schedule`]), it reads the sources, picks the stories not yet sent in that bulletin, renders
//! once per (locale, zone) group of [`subscribers`], records one [`outbox::Message`] per subscriber
//! in the [`store`], then delivers each through its target ([`deliver`]). Every step is its own
//! transaction, so a run killed at any point neither loses nor silently repeats a message.

pub mod check;
pub mod config;
pub mod deliver;
pub mod delivery;
pub mod keywords;
pub mod lock;
pub mod mask;
pub mod outbox;
pub mod quiet;
pub mod schedule;
pub mod store;
pub mod subscribers;
