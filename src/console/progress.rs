//! Progress bars for long work: reading many inputs, fetching feeds, delivering a bulletin.
//!
//! Drawn with indicatif on stderr only when it is a terminal, without `-q` and with text logs
//! ([`super::Console::new`] decides); otherwise nothing is drawn, so cron mail and journald never
//! see one. Every item worked on is also a debug line for `-vv`. A bar is cleared when its work is done (its
//! last [`Watch`] dropped). Example: `ReadOptions { progress: io.bars.start("reading"), .. }`.

use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use newsdigest::progress::{Progress, Watch};

/// Hands out bars, or silent watchers when bars are not shown.
#[derive(Clone)]
pub struct Bars {
    /// `None` when bars are not shown.
    multi: Option<MultiProgress>,
}

impl Bars {
    pub fn new(shown: bool) -> Bars {
        Bars {
            multi: shown.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
        }
    }

    /// A new bar for work called `verb` ("reading", "delivering"), empty until told its length.
    /// Each item worked on is also a debug line (`-vv`: `debug: reading item=story.txt`).
    pub fn start(&self, verb: &str) -> Watch {
        let bar = self.multi.as_ref().map(|multi| {
            let style = ProgressStyle::with_template(
                "{spinner} {prefix:>10} [{bar:24}] {pos}/{len} {wide_msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            let bar = multi.add(
                ProgressBar::new(0)
                    .with_style(style)
                    .with_prefix(verb.to_string()),
            );
            // A slow feed still shows that the work goes on.
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Watch::new(Bar {
            bar,
            verb: verb.to_string(),
        })
    }

    /// Runs `write` with every bar hidden, so a log line is never cut by one.
    pub fn suspend<R>(&self, write: impl FnOnce() -> R) -> R {
        match &self.multi {
            Some(multi) => multi.suspend(write),
            None => write(),
        }
    }
}

/// One piece of work: its bar (when shown), cleared when dropped.
struct Bar {
    bar: Option<ProgressBar>,
    verb: String,
}

impl Progress for Bar {
    fn add(&self, items: u64) {
        if let Some(bar) = &self.bar {
            bar.inc_length(items);
        }
    }

    fn working_on(&self, label: &str) {
        tracing::debug!(item = label, "{}", self.verb);
        if let Some(bar) = &self.bar {
            bar.set_message(label.to_string());
        }
    }

    fn done(&self, items: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(items);
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
