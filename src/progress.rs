//! Progress of long work (reading many inputs, fetching feeds, delivering a bulletin), reported to
//! whoever watches: the binary draws a bar on a terminal; tests and libraries watch nothing.
//!
//! A stage says how many units of work it knows of ([`Progress::add`]), which one it is working on
//! ([`Progress::working_on`], e.g. a file or a feed URL) and how many it finished
//! ([`Progress::done`]). It never decides whether or how progress is shown.
//! Example: `ReadOptions { progress: Watch::new(my_bar), ..ReadOptions::default() }`.

use std::fmt;
use std::sync::Arc;

/// What a stage tells about its progress. Every method has a default that does nothing.
pub trait Progress: Send + Sync {
    /// `items` more units of work are known (the total grows as directories are expanded).
    fn add(&self, _items: u64) {}
    /// Work on `label` (a file, a URL, a target) begins.
    fn working_on(&self, _label: &str) {}
    /// `items` units of work are finished.
    fn done(&self, _items: u64) {}
}

/// Watches nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}

/// A shared handle on a [`Progress`], cheap to clone; [`Silent`] by default.
#[derive(Clone)]
pub struct Watch(Arc<dyn Progress>);

impl Watch {
    pub fn new(progress: impl Progress + 'static) -> Watch {
        Watch(Arc::new(progress))
    }
}

impl Default for Watch {
    fn default() -> Watch {
        Watch::new(Silent)
    }
}

impl fmt::Debug for Watch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Watch")
    }
}

impl std::ops::Deref for Watch {
    type Target = dyn Progress;

    fn deref(&self) -> &(dyn Progress + 'static) {
        self.0.as_ref()
    }
}
