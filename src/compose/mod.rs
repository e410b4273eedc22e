//! Composing one digest for one locale: the view, rendering, and for SMS the fitting.
//!
//! Reads prepared [`Story`]s, a [`Renderer`] (which holds the locale), the reader zones and the
//! reference time; writes a fitted SMS [`Measurement`] or an [`EmailContent`]. Both `digest` and
//! `preview` go through here, so what an editor previews is what is sent.
//!
//! ```
//! # use std::sync::Arc;
//! # use newsdigest::compose::{render::Renderer, view::DigestView};
//! # use newsdigest::{dateline, ingest, locale::Locale, story};
//! # let wire = "Heavy rain flooded parts of Dhaka on Wednesday. Traffic stopped on main roads.
//! # Source: Newsdesk
//! # BDST: 1347 HRS, APR 23, 2025";
//! # let now = "2025-04-23T09:00:00Z".parse().unwrap();
//! # let context = dateline::Context { country: None, home: None, now };
//! # let articles = ingest::parse_bytes("rain.txt", None, wire.as_bytes())?;
//! # let stories = story::prepare(articles, &context, story::SentenceLimit::ALL, &mut Vec::new());
//! use newsdigest::compose::{fit::SmsBudget, Composer};
//! let renderer = Renderer::new(Arc::new(Locale::load("en", None)?), None)?;
//! let composer = Composer {
//!     renderer: &renderer,
//!     stories: &stories,
//!     zones: &[],
//!     now,
//!     unsubscribe: None,
//! };
//! let budget = SmsBudget { max_segments: 1, min_words: 6, options: Default::default(), fill: 0.15 };
//! let mut notes = Vec::new();
//! let sms = composer.sms(&budget, &mut notes)?.measurement;
//! assert_eq!(
//!     sms.text,
//!     "Newsdesk Apr 23 13:47 GMT+6: Heavy rain flooded parts of Dhaka on Wednesday. \
//!      Traffic stopped on main roads."
//! );
//! assert_eq!((sms.segments(), notes.len()), (1, 0));
//! # Ok::<(), newsdigest::Error>(())
//! ```

pub mod fair;
pub mod fit;
pub mod frame;
pub mod render;
pub mod view;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::dateline::Zone;
use crate::email::EmailContent;
use crate::error::Result;
use crate::sms::Measurement;
use crate::story::{self, Story};
use fair::DroppedStory;
use fit::SmsBudget;
use render::Renderer;
use view::DigestView;

/// Template for a single story in SMS.
pub const SMS_ALERT: &str = "sms/alert.txt.tera";
/// Template for several stories in SMS.
pub const SMS_DIGEST: &str = "sms/digest.txt.tera";
/// Email subject line (one line; line breaks are removed).
pub const EMAIL_SUBJECT: &str = "email/subject.txt.tera";
/// Email plain-text part.
pub const EMAIL_TEXT: &str = "email/body.txt.tera";
/// Email HTML part (escaped).
pub const EMAIL_HTML: &str = "email/body.html.tera";

/// Where a digest goes: one SMS, or one email.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    /// `sms` or `email`, as templates and JSON output name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }
}

/// A fitted SMS and the stories left out of it.
#[derive(Debug, Clone)]
pub struct SmsDigest {
    pub measurement: Measurement,
    /// Stories left out to fit, in the order given, each with its reason.
    pub dropped: Vec<DroppedStory>,
}

/// Everything needed to render a digest in one locale.
pub struct Composer<'a> {
    pub renderer: &'a Renderer,
    pub stories: &'a [Story],
    pub zones: &'a [Zone],
    pub now: DateTime<Utc>,
    /// Unsubscribe URL shown in email and sent as `List-Unsubscribe`.
    pub unsubscribe: Option<&'a str>,
}

impl Composer<'_> {
    fn view(&self, channel: Channel, leads: &[usize]) -> DigestView {
        let mut view = DigestView::new(
            self.stories,
            leads,
            channel.as_str(),
            self.renderer.locale(),
            self.zones,
            self.now,
        );
        view.unsubscribe = self.unsubscribe.map(str::to_string);
        view
    }

    /// The SMS, fitted to `budget`, with the stories left out to fit (also noted). Stories are
    /// kept in the order given: the caller sorts them.
    pub fn sms(&self, budget: &SmsBudget, notes: &mut Vec<String>) -> Result<SmsDigest> {
        let view = self.view(Channel::Sms, &vec![1; self.stories.len()]);
        let bulletin = match self.stories.len() {
            0 | 1 => None,
            // A bulletin that keeps one story is that story under a heading: as an alert it has
            // the heading's room for its lead.
            _ => fair::fit_bulletin(self.renderer, SMS_DIGEST, &view, self.stories, budget)?
                .filter(|fitted| fitted.view.stories.len() > 1),
        };
        let fitted = match bulletin {
            Some(fitted) => fitted,
            // One story, or room for only the first story's minimum: the first story alone, as
            // an alert.
            None => {
                let mut alert = self.view(Channel::Sms, &[1]);
                alert.stories.truncate(1);
                alert.story_count = alert.stories.len();
                let first = &self.stories[..self.stories.len().min(1)];
                let mut fitted = fit::fit_sms(self.renderer, SMS_ALERT, &alert, first, budget)?;
                fitted.dropped = fit::left_out(self.stories, first.len(), budget);
                if !fit::has_minimum(&fitted.view, first, budget.min_words) {
                    notes.push(format!(
                        "the story shows fewer than {} words (--min-words): {} SMS segment(s) have no room for more",
                        budget.min_words, budget.max_segments
                    ));
                }
                fitted
            }
        };
        if fitted.measurement.danda_kept_ucs2 {
            notes.push(crate::sms::DANDA_NOTE.to_string());
        }
        if fitted.shortened_fields {
            notes.push(format!(
                "the story's source and title were shortened to fit {} SMS segment(s)",
                budget.max_segments
            ));
        }
        let dropped = fitted.dropped.len();
        if dropped > 0 {
            notes.push(format!(
                "{} left out to fit {} SMS segment(s)",
                story::count(dropped),
                budget.max_segments
            ));
        }
        Ok(SmsDigest {
            measurement: fitted.measurement,
            dropped: fitted.dropped,
        })
    }

    /// The email's subject, text and HTML, with up to `sentences` lead sentences per story.
    pub fn email(&self, sentences: usize) -> Result<EmailContent> {
        let leads = vec![sentences; self.stories.len()];
        let view = self.view(Channel::Email, &leads);
        Ok(EmailContent {
            subject: self.renderer.render(EMAIL_SUBJECT, &view)?,
            text: self.renderer.render(EMAIL_TEXT, &view)?,
            html: self.renderer.render(EMAIL_HTML, &view)?,
        })
    }
}
