//! View structs: the small, flat values templates see, built from stories and a locale.
//!
//! Templates never see domain types; every string here is already formatted for the locale (dates,
//! times, digits). Article text is carried as plain data. A story published 2025-04-23T07:47:00Z,
//! viewed in Europe/London for `en`, has this time:
//!
//! ```
//! use newsdigest::{compose::view::TimeView, locale::Locale};
//! let en = Locale::load("en", None)?;
//! let instant = "2025-04-23T07:47:00Z".parse().unwrap();
//! let t = TimeView::new(instant, "Europe/London".parse().unwrap(), &en);
//! assert_eq!(
//!     [t.zone, t.label, t.city, t.date, t.time],
//!     ["Europe/London", "BST", "London", "Apr 23", "08:47"]
//! );
//! # Ok::<(), newsdigest::Error>(())
//! ```
//!
//! A story whose dateline gave a date and no time of day (an opener's `April 23`) has that date
//! only, in the zone it was written in, with `time` and `label` empty: its midnight, or that
//! midnight seen from another zone, is a time nobody wrote.

use chrono::{DateTime, Datelike, Offset, Utc};
use serde::Serialize;

use crate::dateline::Zone;
use crate::locale::{Direction, Locale};
use crate::story::Story;
use crate::summarize;

/// The longest headline made from a first sentence, in characters.
const HEADLINE_CHARS: usize = 90;

/// A whole digest as templates see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DigestView {
    /// The locale tag (`bn`), for `lang` attributes.
    pub locale: String,
    /// `ltr` or `rtl`, for `dir` attributes.
    pub direction: Direction,
    /// `sms` or `email`.
    pub channel: String,
    pub story_count: usize,
    /// The digest's date: the newest story's day in the first reader zone (the reference time's
    /// when no story has a time), localized.
    pub date: String,
    pub stories: Vec<StoryView>,
    /// Unsubscribe URL, when one is configured (email).
    pub unsubscribe: Option<String>,
}

/// One story as templates see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryView {
    /// The story's language (`en`), for its `lang` attribute; `None` when unknown.
    pub language: Option<String>,
    /// `ltr` or `rtl` from the story's language, `auto` when unknown: its `dir` attribute.
    pub direction: &'static str,
    /// Whether the story's direction differs from the locale's (or is unknown), so plain text
    /// wraps each of its lines in a Unicode bidi isolate (`| isolate(when=story.isolate)`).
    pub isolate: bool,
    pub title: Option<String>,
    /// The title, or the first sentence shortened to a headline.
    pub headline: String,
    /// The source, and after it any other source of the same event (`BSS, UNB`).
    pub source: Option<String>,
    pub url: Option<String>,
    /// The selected lead sentences, joined.
    pub lead: String,
    /// Whether the lead was cut inside a sentence to fit.
    pub cut: bool,
    /// Whether a multi-story SMS shows only the story's readable minimum (its title, else its
    /// lead clause, at least `--min-words` words).
    pub minimum: bool,
    /// When the story was published, in each reader zone; empty when unknown.
    pub times: Vec<TimeView>,
}

/// An instant in one zone, formatted for the locale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeView {
    /// IANA name (`Europe/London`) or offset (`+06:00`).
    pub zone: String,
    /// Short zone label: the zone's abbreviation when it has a real one (`BST`, `EDT`), else the
    /// offset (`GMT+6`), in the locale's digits.
    pub label: String,
    /// The zone's city in English (`London`, `New York`); empty for a fixed offset.
    pub city: String,
    /// Day and month (`Apr 23`, `২৩ এপ্রি`).
    pub date: String,
    /// 24-hour time (`08:47`, `১৩:৪৭`).
    pub time: String,
    /// The day relative to the reader's today in this zone: empty for today, the locale's word for
    /// yesterday (`yesterday`, `গতকাল`), else the date (`Apr 21`; `Apr 21, 2024` in another year).
    pub day: String,
    /// The time with its day when that is not today: `08:47`, `yesterday 08:47`, `Apr 21 08:47`.
    pub when: String,
    /// The instant in RFC 3339 with the zone's offset.
    pub iso: String,
}

impl DigestView {
    /// The view of `stories`, each lead set to its first `leads[i]` sentences.
    pub fn new(
        stories: &[Story],
        leads: &[usize],
        channel: &str,
        locale: &Locale,
        zones: &[Zone],
        now: DateTime<Utc>,
    ) -> DigestView {
        let digest_zone = zones
            .first()
            .copied()
            .or_else(|| {
                stories
                    .iter()
                    .find_map(|s| s.published.as_ref().map(|p| p.zone))
            })
            .unwrap_or(Zone::Named(chrono_tz::UTC));
        let newest = stories
            .iter()
            .filter_map(|s| s.published.as_ref().map(|p| p.utc))
            .max();
        DigestView {
            locale: locale.tag.clone(),
            direction: locale.direction,
            channel: channel.to_string(),
            story_count: stories.len(),
            date: locale.full_date(&digest_zone.local(newest.unwrap_or(now))),
            stories: stories
                .iter()
                .zip(leads)
                .map(|(story, &lead)| StoryView::new(story, lead, locale, zones, now))
                .collect(),
            unsubscribe: None,
        }
    }
}

impl StoryView {
    fn new(
        story: &Story,
        lead: usize,
        locale: &Locale,
        zones: &[Zone],
        now: DateTime<Utc>,
    ) -> StoryView {
        let article = &story.article;
        let first = story.sentences.first().map(String::as_str).unwrap_or("");
        let headline = match &article.title {
            Some(title) => title.clone(),
            None => summarize::shorten(first, HEADLINE_CHARS, "…").unwrap_or_default(),
        };
        let times = match &story.published {
            None => Vec::new(),
            Some(published) if !published.has_time => {
                vec![
                    TimeView::date_only(published.utc, published.zone, locale).relative_to(
                        now,
                        published.zone,
                        locale,
                    ),
                ]
            }
            Some(published) if zones.is_empty() => {
                vec![
                    TimeView::new(published.utc, published.zone, locale).relative_to(
                        now,
                        published.zone,
                        locale,
                    ),
                ]
            }
            Some(published) => zones
                .iter()
                .map(|&zone| {
                    TimeView::new(published.utc, zone, locale).relative_to(now, zone, locale)
                })
                .collect(),
        };
        let direction = Direction::of_language(&article.language);
        let language = direction.map(|_| article.language.clone());
        let lead = story.lead(lead);
        StoryView {
            language,
            direction: direction.map_or("auto", Direction::as_str),
            isolate: direction != Some(locale.direction),
            title: article
                .title
                .clone()
                .filter(|title| !repeats_lead(title, first, &lead)),
            headline,
            source: sources(story),
            url: article.url.clone(),
            lead,
            cut: false,
            minimum: false,
            times,
        }
    }
}

/// Whether `title` only repeats the story's text: the whole first sentence or lead (a feed item
/// without a title gets its text as title), or the start of it cut with an ellipsis. Such a title
/// is not shown, so a story without a real title shows its lead once.
fn repeats_lead(title: &str, first: &str, lead: &str) -> bool {
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let title = words(title);
    if title.is_empty() || title == words(first) || title == words(lead) {
        return true;
    }
    let Some(cut) = title
        .strip_suffix('…')
        .or_else(|| title.strip_suffix("..."))
        .map(str::trim_end)
    else {
        return false;
    };
    !cut.is_empty() && words(lead).starts_with(cut)
}

/// The story's source, followed by the other sources that told the same event (`BSS, UNB`).
fn sources(story: &Story) -> Option<String> {
    let all: Vec<&str> = story
        .article
        .source
        .iter()
        .chain(&story.also_from)
        .map(String::as_str)
        .collect();
    (!all.is_empty()).then(|| all.join(", "))
}

impl TimeView {
    pub fn new(instant: DateTime<Utc>, zone: Zone, locale: &Locale) -> TimeView {
        let local = zone.local(instant);
        let (label, city) = match zone {
            Zone::Named(tz) => {
                let abbreviation = instant.with_timezone(&tz).format("%Z").to_string();
                let label = if abbreviation.chars().all(|c| c.is_ascii_alphabetic()) {
                    abbreviation
                } else {
                    offset_label(local.offset().fix().local_minus_utc())
                };
                let city = tz.name().rsplit('/').next().unwrap_or("").replace('_', " ");
                (label, city)
            }
            Zone::Fixed(offset) => (offset_label(offset.local_minus_utc()), String::new()),
        };
        let (date, time) = (locale.date(&local), locale.time(&local));
        TimeView {
            zone: zone.to_string(),
            label: locale.digits(&label),
            city,
            day: date.clone(),
            when: format!("{date} {time}"),
            date,
            time,
            iso: local.to_rfc3339(),
        }
    }

    /// The date of `instant` in `zone`, for a dateline without a time of day: `time` and `label`
    /// are empty, `when` is the date.
    ///
    /// ```
    /// use newsdigest::{compose::view::TimeView, locale::Locale};
    /// let en = Locale::load("en", None)?;
    /// let zone = "Asia/Dhaka".parse().unwrap();
    /// let t = TimeView::date_only("2025-04-22T18:00:00Z".parse().unwrap(), zone, &en);
    /// assert_eq!([t.date.as_str(), t.time.as_str(), t.label.as_str(), t.when.as_str()], ["Apr 23", "", "", "Apr 23"]);
    /// # Ok::<(), newsdigest::Error>(())
    /// ```
    pub fn date_only(instant: DateTime<Utc>, zone: Zone, locale: &Locale) -> TimeView {
        let mut view = TimeView::new(instant, zone, locale);
        view.time.clear();
        view.label.clear();
        view.when.clone_from(&view.date);
        view
    }

    /// The same time with `day` and `when` relative to `now` in `zone` (the zone it was made for):
    /// no day for today, the
    /// locale's word for yesterday, the date otherwise (also for any day after today), with its
    /// year when that is not this year.
    ///
    /// ```
    /// use newsdigest::{compose::view::TimeView, locale::Locale};
    /// let en = Locale::load("en", None)?;
    /// let zone = "Asia/Dhaka".parse().unwrap();
    /// let now = "2025-04-23T09:00:00Z".parse().unwrap();
    /// let at = |utc: &str| TimeView::new(utc.parse().unwrap(), zone, &en).relative_to(now, zone, &en).when;
    /// assert_eq!(at("2025-04-23T07:47:00Z"), "13:47");
    /// assert_eq!(at("2025-04-22T18:01:00Z"), "00:01");
    /// assert_eq!(at("2025-04-22T17:59:00Z"), "yesterday 23:59");
    /// assert_eq!(at("2025-04-22T07:47:00Z"), "yesterday 13:47");
    /// assert_eq!(at("2025-04-20T07:47:00Z"), "Apr 20 13:47");
    /// assert_eq!(at("2024-04-20T07:47:00Z"), "Apr 20, 2024 13:47");
    /// # Ok::<(), newsdigest::Error>(())
    /// ```
    pub fn relative_to(mut self, now: DateTime<Utc>, zone: Zone, locale: &Locale) -> TimeView {
        let Ok(local) = DateTime::parse_from_rfc3339(&self.iso) else {
            return self;
        };
        let today = zone.local(now).date_naive();
        let day = local.date_naive();
        self.day = if day == today {
            String::new()
        } else if day.succ_opt() == Some(today) {
            locale
                .message("yesterday", &[])
                .unwrap_or_else(|_| self.date.clone())
        } else if day.year() != today.year() {
            // `Apr 20` from last year would read as this April.
            locale.full_date(&local)
        } else {
            self.date.clone()
        };
        self.when = if self.time.is_empty() {
            // A date only: today's date rather than nothing.
            if self.day.is_empty() {
                self.date.clone()
            } else {
                self.day.clone()
            }
        } else if self.day.is_empty() {
            self.time.clone()
        } else {
            format!("{} {}", self.day, self.time)
        };
        self
    }
}

/// `GMT+6`, `GMT+5:45`, `GMT-4`, `GMT` for an offset in seconds east of UTC.
fn offset_label(seconds: i32) -> String {
    if seconds == 0 {
        return "GMT".into();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    match minutes % 60 {
        0 => format!("GMT{sign}{}", minutes / 60),
        m => format!("GMT{sign}{}:{m:02}", minutes / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::dateline::{self, Context};

    #[test]
    fn a_date_without_a_time_is_shown_as_that_date_in_its_own_zone() {
        let context = Context {
            country: Some("BD".into()),
            home: None,
            now: "2025-04-25T12:00:00Z".parse().unwrap(),
        };
        let story = |dateline: &str| Story {
            article: Article {
                body: "Rain.".into(),
                language: "en".into(),
                ..Default::default()
            },
            sentences: vec!["Rain.".into()],
            order: Vec::new(),
            published: Some(dateline::parse(dateline, &context).unwrap()),
            opener: None,
            notes: Vec::new(),
            also_from: Vec::new(),
        };
        let en = Locale::load("en", None).unwrap();
        let london = "Europe/London".parse().unwrap();
        let view = DigestView::new(
            &[story("April 23, 2025"), story("April 23, 2025 13:47")],
            &[1, 1],
            "sms",
            &en,
            &[london],
            context.now,
        );
        // Midnight in Dhaka is April 22 in London: the date stays the one written, in Dhaka.
        let date_only = &view.stories[0].times;
        assert_eq!(date_only.len(), 1);
        let t = &date_only[0];
        assert_eq!(
            [&t.zone, &t.date, &t.time, &t.label, &t.when],
            ["Asia/Dhaka", "Apr 23", "", "", "Apr 23"]
        );
        let timed = &view.stories[1].times[0];
        assert_eq!(
            [&timed.zone, &timed.time, &timed.label, &timed.when],
            ["Europe/London", "08:47", "BST", "Apr 23 08:47"]
        );
    }

    #[test]
    fn a_title_that_repeats_the_lead_is_no_title() {
        let first = "Heavy rain flooded parts of Dhaka on Wednesday.";
        let lead = "Heavy rain flooded parts of Dhaka on Wednesday. Traffic stopped.";
        for title in [
            first,
            lead,
            "Heavy rain flooded parts of Dhaka…",
            "Heavy  rain flooded...",
            " ",
        ] {
            assert!(repeats_lead(title, first, lead), "{title:?}");
        }
        for title in ["Heavy rain", "Dhaka floods", "Heavy rain in Sylhet…"] {
            assert!(!repeats_lead(title, first, lead), "{title:?}");
        }
    }

    #[test]
    fn offset_labels() {
        for (seconds, label) in [
            (0, "GMT"),
            (21600, "GMT+6"),
            (20700, "GMT+5:45"),
            (-14400, "GMT-4"),
            (-9000, "GMT-2:30"),
        ] {
            assert_eq!(offset_label(seconds), label);
        }
    }
}
