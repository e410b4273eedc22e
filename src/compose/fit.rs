//! Fitting a rendered SMS into its segment budget: render, measure, shrink, repeat.
//!
//! Reads the digest view, the stories' sentences and the budget; writes the final measured message.
//! Measurement is [`crate::sms::measure`] and nothing else, so what a digest promises is what
//! `newsdigest count` reports. Several stories share the message fairly ([`crate::compose::fair`]:
//! every story its readable minimum first, stories whose minimum does not fit are dropped with a
//! reason). A single story (and several when not even the first one's minimum fits) follows this
//! loop: give every story its lead sentences while the message fits ([`summarize::select_leads`]);
//! if even one sentence each does not fit, cut the first sentences to the longest length that fits
//! ([`summarize::shorten`], binary search), marking the cut with an ellipsis that keeps the
//! encoding (`...` in GSM-7, `…` in UCS-2); if nothing fits, drop stories from the end. A story
//! whose first sentence alone does not fit one GSM-7 segment keeps that sentence, cut at a clause
//! boundary:
//!
//! ```
//! use std::sync::Arc;
//! use newsdigest::compose::{fit, render::Renderer, view::DigestView, SMS_ALERT};
//! use newsdigest::{dateline, ingest, locale::Locale, sms, story};
//! let wire = "Floodwaters rose across three northeastern districts on Wednesday after two days \
//!     of heavy rain upstream, forcing more than forty thousand families into shelters and \
//!     cutting road links to Sunamganj, officials said. Schools were closed.
//! Source: Newsdesk
//! BDST: 1347 HRS, APR 23, 2025";
//! let now = "2025-04-23T09:00:00Z".parse().unwrap();
//! let context = dateline::Context { country: None, home: None, now };
//! let articles = ingest::parse_bytes("flood.txt", None, wire.as_bytes())?;
//! let stories = story::prepare(articles, &context, story::SentenceLimit::ALL, &mut Vec::new());
//! let renderer = Renderer::new(Arc::new(Locale::load("en", None)?), None)?;
//! let view = DigestView::new(&stories, &[1], "sms", renderer.locale(), &[], now);
//! let budget = fit::SmsBudget { max_segments: 1, min_words: 6, options: sms::Options::default() };
//! let fitted = fit::fit_sms(&renderer, SMS_ALERT, &view, &stories, &budget)?;
//! let m = &fitted.measurement;
//! assert_eq!((m.encoding, m.segments()), (sms::Encoding::Gsm7, 1));
//! assert!(fitted.view.stories[0].cut);
//! assert_eq!(
//!     m.text,
//!     "Newsdesk Apr 23 13:47 GMT+6: Floodwaters rose across three northeastern districts on \
//!      Wednesday after two days of heavy rain upstream..."
//! );
//! # Ok::<(), newsdigest::Error>(())
//! ```

use crate::compose::fair::DroppedStory;
use crate::compose::render::Renderer;
use crate::compose::view::DigestView;
use crate::error::{Error, Result};
use crate::sms::{self, Encoding, Measurement};
use crate::story::{self, Story};
use crate::summarize;

/// The SMS budget: how many segments, and how they are measured.
#[derive(Debug, Clone, Copy)]
pub struct SmsBudget {
    pub max_segments: usize,
    /// Fewest words a story shows in a multi-story SMS (`--min-words`, default 6); a lone story's
    /// lead is not cut below them unless nothing longer fits.
    pub min_words: usize,
    pub options: sms::Options,
}

/// A message that fits its budget.
#[derive(Debug, Clone)]
pub struct FittedSms {
    pub measurement: Measurement,
    /// The view it was rendered from (leads as sent).
    pub view: DigestView,
    /// The stories left out to fit, in order, each with its reason.
    pub dropped: Vec<DroppedStory>,
    /// Whether the story's source, title or headline had to be shortened to fit.
    pub shortened_fields: bool,
}

/// Caps, in characters, tried in turn on the short fields an article supplies (source, title,
/// headline) when even a cut lead does not fit: article data is shortened, never refused.
const FIELD_CAPS: &[usize] = &[40, 16, 0];

/// Renders `template` with the longest leads that fit `budget`, keeping as many stories as fit; a
/// lead is cut below `budget.min_words` words only when shorter source and title fields do not make
/// room for them either. Several stories are shared fairly by
/// [`crate::compose::fair::fit_bulletin`] instead.
pub fn fit_sms(
    renderer: &Renderer,
    template: &str,
    view: &DigestView,
    stories: &[Story],
    budget: &SmsBudget,
) -> Result<FittedSms> {
    let fitted = fit_leads(renderer, template, view, stories, budget)?;
    let minimum = |f: &FittedSms| has_minimum(&f.view, stories, budget.min_words);
    if minimum(&fitted) {
        return Ok(fitted);
    }
    // A lead cut below its minimum: shorter source and title fields may leave room for it (the
    // first cap that fits may still be too long for it, so every cap is tried).
    Ok(
        fit_with_short_fields(renderer, template, view, stories, budget, &minimum)?
            .unwrap_or(fitted),
    )
}

/// Whether the first story's lead has at least `min_words` words, or all its first sentence.
pub(crate) fn has_minimum(view: &DigestView, stories: &[Story], min_words: usize) -> bool {
    let (Some(shown), Some(story)) = (view.stories.first(), stories.first()) else {
        return true;
    };
    let first = story
        .sentences
        .first()
        .map_or(0, |s| summarize::word_count(s));
    summarize::word_count(&shown.lead) >= min_words.min(first)
}

/// The stories from `count` on, left out because the ones before them took the budget.
pub fn left_out(stories: &[Story], count: usize, budget: &SmsBudget) -> Vec<DroppedStory> {
    stories
        .get(count..)
        .unwrap_or_default()
        .iter()
        .map(|story| DroppedStory {
            story: story.article.origin.clone(),
            reason: format!(
                "no room for its minimum in {} SMS segment(s) after the first {}",
                budget.max_segments,
                story::count(count)
            ),
        })
        .collect()
}

/// The longest leads that fit, keeping as many stories as fit (binary search over the count).
fn fit_leads(
    renderer: &Renderer,
    template: &str,
    view: &DigestView,
    stories: &[Story],
    budget: &SmsBudget,
) -> Result<FittedSms> {
    // The most stories that fit, by binary search over how many are kept (each count is one full
    // fit), so thousands of stories cost a few dozen renders, not one fit per dropped story.
    let try_count = |count: usize| -> Result<Option<(Measurement, DigestView)>> {
        let mut kept = view.clone();
        kept.stories.truncate(count);
        kept.story_count = count;
        Ok(
            fit_stories(renderer, template, &mut kept, &stories[..count], budget)?
                .map(|measurement| (measurement, kept)),
        )
    };
    let total = stories.len().min(view.stories.len());
    let mut best = try_count(total)?.map(|fitted| (total, fitted));
    if best.is_none() && total > 1 {
        let (mut low, mut high) = (1, total - 1);
        while low <= high {
            let count = low + (high - low) / 2;
            match try_count(count)? {
                Some(fitted) => {
                    best = Some((count, fitted));
                    low = count + 1;
                }
                None => high = count - 1,
            }
        }
    }
    if let Some((count, (measurement, view))) = best {
        return Ok(FittedSms {
            measurement,
            view,
            dropped: left_out(&stories[..total], count, budget),
            shortened_fields: false,
        });
    }
    fit_with_short_fields(renderer, template, view, stories, budget, &|_| true)?.ok_or_else(|| {
        Error::Budget {
            message: format!(
                "template {template} does not fit in {} SMS segment(s) even without article text",
                budget.max_segments
            ),
        }
    })
}

/// The first story alone, its source, title and headline shortened until the message fits and is
/// `acceptable`; `None` when no cap gives such a message.
fn fit_with_short_fields(
    renderer: &Renderer,
    template: &str,
    view: &DigestView,
    stories: &[Story],
    budget: &SmsBudget,
    acceptable: &dyn Fn(&FittedSms) -> bool,
) -> Result<Option<FittedSms>> {
    let total = stories.len().min(view.stories.len());
    for &cap in FIELD_CAPS {
        let mut kept = view.clone();
        kept.stories.truncate(1);
        kept.story_count = kept.stories.len();
        for story in &mut kept.stories {
            story.source = story.source.as_deref().and_then(|s| shorten_field(s, cap));
            story.title = story.title.as_deref().and_then(|s| shorten_field(s, cap));
            story.headline = shorten_field(&story.headline, cap).unwrap_or_default();
        }
        let count = kept.stories.len();
        if let Some(measurement) =
            fit_stories(renderer, template, &mut kept, &stories[..count], budget)?
        {
            let fitted = FittedSms {
                measurement,
                view: kept,
                dropped: left_out(&stories[..total], count, budget),
                shortened_fields: true,
            };
            if acceptable(&fitted) {
                return Ok(Some(fitted));
            }
        }
    }
    Ok(None)
}

/// `field` cut to `cap` characters (with `…`), or `None` when the cap leaves nothing.
fn shorten_field(field: &str, cap: usize) -> Option<String> {
    if cap == 0 {
        return None;
    }
    // `...` keeps a GSM-7 field GSM-7; `…` would force the whole message into UCS-2.
    let ellipsis = if sms::is_gsm7(field) { "..." } else { "…" };
    summarize::shorten(field, cap, ellipsis).or_else(|| Some(field.chars().take(cap).collect()))
}

/// The message with whole lead sentences if they fit, else with cut first sentences, else `None`.
fn fit_stories(
    renderer: &Renderer,
    template: &str,
    view: &mut DigestView,
    stories: &[Story],
    budget: &SmsBudget,
) -> Result<Option<Measurement>> {
    let render = |view: &DigestView| -> Result<Measurement> {
        // Templates end in a newline and may start with one; an SMS carries neither.
        let text = renderer.render(template, view)?;
        Ok(sms::measure(text.trim(), &budget.options))
    };
    let fits = |m: &Measurement| m.segments() <= budget.max_segments;

    let available: Vec<usize> = stories.iter().map(|s| s.sentences.len()).collect();
    let leads = summarize::select_leads(&available, usize::MAX, |counts| {
        set_leads(view, stories, counts);
        Ok(fits(&render(view)?))
    })?;
    if let Some(counts) = leads {
        set_leads(view, stories, &counts);
        return Ok(Some(render(view)?));
    }

    cut_to_fit(view, stories, budget, &render)
}

/// Every story's first sentence cut to the longest common length that fits (binary search), or
/// `None`. The mark of the cut is `...` when the cut message is 7-bit (so the mark does not force
/// UCS-2), else `…` (one unit).
fn cut_to_fit(
    view: &mut DigestView,
    stories: &[Story],
    budget: &SmsBudget,
    render: &dyn Fn(&DigestView) -> Result<Measurement>,
) -> Result<Option<Measurement>> {
    let fits = |m: &Measurement| m.segments() <= budget.max_segments;
    let longest = stories
        .iter()
        .map(|s| s.sentences.first().map_or(0, |f| f.chars().count()))
        .max()
        .unwrap_or(0);
    let ellipsis = if cut_leads(view, stories, longest / 2, "...")
        && render(view)?.encoding == Encoding::Gsm7
    {
        "..."
    } else {
        "…"
    };
    // No message holds more than 160 characters per segment, whatever the encoding.
    let most = longest.min(budget.max_segments.max(1) * 160);
    let mut best = None;
    let (mut low, mut high) = (1, most);
    while low <= high {
        let cap = low + (high - low) / 2;
        let fitted = cut_leads(view, stories, cap, ellipsis)
            .then(|| render(view))
            .transpose()?
            .filter(fits);
        if fitted.is_some() {
            best = Some(cap);
            low = cap + 1;
        } else {
            high = cap - 1;
        }
    }
    match best {
        Some(cap) => {
            cut_leads(view, stories, cap, ellipsis);
            Ok(Some(render(view)?))
        }
        None => Ok(None),
    }
}

/// Sets story `i`'s lead to its first `counts[i]` sentences.
fn set_leads(view: &mut DigestView, stories: &[Story], counts: &[usize]) {
    for ((story_view, story), &count) in view.stories.iter_mut().zip(stories).zip(counts) {
        story_view.lead = story.lead(count);
        story_view.cut = false;
    }
}

/// Sets every lead to its first sentence cut to `cap` characters; false if one cannot be cut so.
fn cut_leads(view: &mut DigestView, stories: &[Story], cap: usize, ellipsis: &str) -> bool {
    for (story_view, story) in view.stories.iter_mut().zip(stories) {
        let first = story.sentences.first().map(String::as_str).unwrap_or("");
        match summarize::shorten(first, cap, ellipsis) {
            Some(lead) => {
                story_view.cut = lead != first;
                story_view.lead = lead;
            }
            None => return false,
        }
    }
    true
}
