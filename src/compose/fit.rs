//! Fitting a rendered SMS into its segment budget: render, measure, shrink, repeat.
//!
//! Reads the digest view, the stories' sentences and the budget; writes the final measured message.
//! Measurement is [`crate::sms::measure`] and nothing else, so what a digest promises is what
//! `newsdigest count` reports; candidates are only counted ([`crate::sms::count`], the same figures
//! without building parts), and each is rendered from its template's frame ([`Frames`]: one Tera
//! render per shape of the view, the leads joined in) when the template allows it. Several stories share the message fairly ([`crate::compose::fair`]:
//! every story its readable minimum first, stories whose minimum does not fit are dropped with a
//! reason). A single story (and several when not even the first one's minimum fits) follows this
//! loop: give every story its lead sentences while the message fits ([`summarize::select_leads`]);
//! if even one sentence each does not fit, cut the first sentences to the longest length that fits
//! ([`summarize::shorten`], binary search; a quotation the cut falls in is closed after the
//! ellipsis when that keeps more words than stopping before it), marking the cut with an ellipsis
//! that keeps the encoding (`...` in GSM-7, `…` in UCS-2); if nothing fits, drop stories from the
//! end. A story whose first sentence alone does not fit one GSM-7 segment keeps that sentence, cut
//! at a clause boundary that keeps 80% of the room and drops at most two words, else at a word
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
//! let budget = fit::SmsBudget { max_segments: 1, min_words: 6, options: sms::Options::default(), fill: fit::DEFAULT_FILL };
//! let fitted = fit::fit_sms(&renderer, SMS_ALERT, &view, &stories, &budget)?;
//! let m = &fitted.measurement;
//! assert_eq!((m.encoding, m.segments()), (sms::Encoding::Gsm7, 1));
//! assert!(fitted.view.stories[0].cut);
//! assert_eq!(
//!     m.text,
//!     "Newsdesk Apr 23 13:47 GMT+6: Floodwaters rose across three northeastern districts on \
//!      Wednesday after two days of heavy rain upstream, forcing more than forty..."
//! );
//! # Ok::<(), newsdigest::Error>(())
//! ```

use crate::compose::fair::DroppedStory;
use crate::compose::frame::Frames;
use crate::compose::render::Renderer;
use crate::compose::view::DigestView;
use crate::error::{Error, Result};
use crate::sms::{self, Count, Encoding, Measurement};
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
    /// When at least this share of the budget is left after whole sentences, the next sentence
    /// fills it, cut at a clause or word boundary (`--fill`, default [`DEFAULT_FILL`]).
    pub fill: f64,
}

/// The default `--fill`: chosen with `newsdigest eval` (BENCHMARKS.md): filling whatever room is
/// left (0) scored at least as well as 0.15 on all four corpora at 1 to 3 segments.
pub const DEFAULT_FILL: f64 = 0.0;

/// Fewest words a cut sentence added to fill the budget keeps; fewer read as noise.
const FILL_MIN_WORDS: usize = 3;

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
    let fitted = fit_with(&Frames::new(renderer, template), view, stories, budget)?;
    // The frames were checked against one real render per shape; the message sent is checked too,
    // and a template that treats some lead otherwise than printing it is fitted with real renders.
    let real = renderer.render(template, &fitted.view)?;
    if sms::measure(real.trim(), &budget.options) == fitted.measurement {
        return Ok(fitted);
    }
    fit_with(&Frames::off(renderer, template), view, stories, budget)
}

/// [`fit_sms`] with the renders `frames` gives.
fn fit_with(
    frames: &Frames,
    view: &DigestView,
    stories: &[Story],
    budget: &SmsBudget,
) -> Result<FittedSms> {
    let fitted = fit_leads(frames, view, stories, budget)?;
    let minimum = |f: &FittedSms| has_minimum(&f.view, stories, budget.min_words);
    if minimum(&fitted) {
        return Ok(fitted);
    }
    // A lead cut below its minimum: shorter source and title fields may leave room for it (the
    // first cap that fits may still be too long for it, so every cap is tried).
    Ok(fit_with_short_fields(frames, view, stories, budget, &minimum)?.unwrap_or(fitted))
}

/// Whether the first story's lead has at least `min_words` words, or all its first sentence (in
/// summary order).
pub(crate) fn has_minimum(view: &DigestView, stories: &[Story], min_words: usize) -> bool {
    let (Some(shown), Some(story)) = (view.stories.first(), stories.first()) else {
        return true;
    };
    // Counts above `min_words` do not change the answer: neither is read past it.
    let first = story
        .next_sentence(0)
        .map_or(0, |first| summarize::words_up_to(first, min_words));
    summarize::words_up_to(&shown.lead, min_words) >= min_words.min(first)
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
    frames: &Frames,
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
        Ok(fit_stories(frames, &mut kept, &stories[..count], budget)?
            .map(|measurement| (measurement, kept)))
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
    fit_with_short_fields(frames, view, stories, budget, &|_| true)?.ok_or_else(|| Error::Budget {
        message: format!(
            "template {} does not fit in {} SMS segment(s) even without article text",
            frames.template(),
            budget.max_segments
        ),
    })
}

/// The first story alone, its source, title and headline shortened until the message fits and is
/// `acceptable`; `None` when no cap gives such a message.
fn fit_with_short_fields(
    frames: &Frames,
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
        if let Some(measurement) = fit_stories(frames, &mut kept, &stories[..count], budget)? {
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

/// The message with whole lead sentences if they fit (and the next sentence cut into the space
/// left, [`fill`]), else with cut first sentences, else `None`.
fn fit_stories(
    frames: &Frames,
    view: &mut DigestView,
    stories: &[Story],
    budget: &SmsBudget,
) -> Result<Option<Measurement>> {
    let render = |view: &DigestView| -> Result<Candidate> {
        // Templates end in a newline and may start with one; an SMS carries neither.
        let text = frames.render(view)?;
        let text = text.trim();
        Ok(Candidate {
            count: sms::count(text, &budget.options),
            text: text.to_string(),
        })
    };
    let fits = |c: &Candidate| c.count.segments <= budget.max_segments;
    let chosen = choose(view, stories, budget, &render, &fits)?;
    Ok(chosen.map(|c| sms::measure(&c.text, &budget.options)))
}

/// A rendered message and its count; only the one sent is measured in full.
struct Candidate {
    text: String,
    count: Count,
}

/// The message [`fit_stories`] sends, as a candidate.
fn choose(
    view: &mut DigestView,
    stories: &[Story],
    budget: &SmsBudget,
    render: &dyn Fn(&DigestView) -> Result<Candidate>,
    fits: &dyn Fn(&Candidate) -> bool,
) -> Result<Option<Candidate>> {
    let available: Vec<usize> = stories.iter().map(|s| s.sentences.len()).collect();
    let leads = summarize::select_leads(&available, usize::MAX, |counts| {
        set_leads(view, stories, counts);
        Ok(fits(&render(view)?))
    })?;
    if let Some(counts) = leads {
        set_leads(view, stories, &counts);
        let whole = render(view)?;
        if let Some(filled) = fill(view, stories, &counts, budget, &whole, render)? {
            return Ok(Some(filled));
        }
        set_leads(view, stories, &counts);
        return Ok(Some(whole));
    }

    cut_to_fit(view, stories, budget, render)
}

/// The units a budget holds in a counted message's encoding.
fn capacity(measurement: &Count, budget: &SmsBudget) -> usize {
    let (single, part) = sms::limits(measurement.encoding, budget.options.concat_ref);
    if budget.max_segments <= 1 {
        single
    } else {
        part * budget.max_segments
    }
}

/// The units a measured message leaves unused in its budget.
fn units_left(measurement: &Count, budget: &SmsBudget) -> usize {
    capacity(measurement, budget).saturating_sub(measurement.units)
}

/// The share of the budget a measured message leaves unused.
fn share_left(measurement: &Count, budget: &SmsBudget) -> f64 {
    units_left(measurement, budget) as f64 / capacity(measurement, budget).max(1) as f64
}

/// The fill policy: when whole sentences leave at least `budget.fill` of the budget, the first
/// story with a sentence left gets it cut to the longest clause or word boundary that fits
/// (keeping at least [`FILL_MIN_WORDS`] words). `None` when there is no room or nothing to add.
fn fill(
    view: &mut DigestView,
    stories: &[Story],
    counts: &[usize],
    budget: &SmsBudget,
    whole: &Candidate,
    render: &dyn Fn(&DigestView) -> Result<Candidate>,
) -> Result<Option<Candidate>> {
    let whole = &whole.count;
    if budget.fill >= 1.0 || share_left(whole, budget) < budget.fill {
        return Ok(None);
    }
    let fits = |m: &Candidate| m.count.segments <= budget.max_segments;
    for (index, story) in stories.iter().enumerate() {
        let count = counts.get(index).copied().unwrap_or(0);
        let Some(next) = story.next_sentence(count) else {
            continue;
        };
        // Every character costs at least one unit, and the joiner one more: no tail longer than
        // the units left can fit, whatever the encoding becomes. The longest that may fit is tried
        // first, so a fill usually costs one render.
        let most = next
            .chars()
            .count()
            .min(units_left(whole, budget).saturating_sub(1));
        if most == 0 {
            continue;
        }
        let mut attempt = |cap: usize, ellipsis: &str| -> Result<Cut> {
            let tail = summarize::shorten(next, cap, ellipsis)
                .filter(|tail| summarize::words_up_to(tail, FILL_MIN_WORDS) >= FILL_MIN_WORDS);
            let Some(tail) = tail else {
                return Ok(Cut::None);
            };
            let story_view = &mut view.stories[index];
            story_view.lead = story.lead_with(count, Some(&tail));
            story_view.cut = tail != next;
            let measurement = render(view)?;
            Ok(if fits(&measurement) {
                Cut::Fits(measurement)
            } else {
                Cut::TooLong
            })
        };
        let ellipsis = if whole.encoding == Encoding::Gsm7 {
            "..."
        } else {
            "…"
        };
        if let Cut::Fits(measurement) = attempt(most, ellipsis)?
            && (ellipsis == "…" || measurement.count.encoding == Encoding::Gsm7)
        {
            return Ok(Some(measurement));
        }
        if let Some((cap, ellipsis)) = longest_cut(most, whole.encoding, &mut attempt)?
            && let Cut::Fits(measurement) = attempt(cap, ellipsis)?
        {
            return Ok(Some(measurement));
        }
        set_leads(view, stories, counts);
    }
    Ok(None)
}

/// What a cut at one cap gives.
enum Cut {
    /// No cut exists at this cap (it would fall inside an opening quotation, or keep too little).
    None,
    /// A cut exists and the message does not fit.
    TooLong,
    Fits(Candidate),
}

/// The largest cap in `1..=most` whose cut `attempt` makes fit, with the ellipsis that keeps the
/// message's encoding (`...` in GSM-7, `…` in UCS-2). A cap may have no cut at all (inside an
/// opening quotation): the search then takes the next cap that has one, so a cut after the
/// closing quotation is still found. Fitting is monotone in the length of the cuts that exist.
fn longest_cut(
    most: usize,
    encoding_hint: Encoding,
    attempt: &mut dyn FnMut(usize, &str) -> Result<Cut>,
) -> Result<Option<(usize, &'static str)>> {
    let mut ellipsis = if encoding_hint == Encoding::Gsm7 {
        "..."
    } else {
        "…"
    };
    loop {
        let mut best: Option<(usize, Encoding)> = None;
        let (mut low, mut high) = (1, most);
        while low <= high {
            let middle = low + (high - low) / 2;
            let mut cap = middle;
            let mut outcome = attempt(cap, ellipsis)?;
            while matches!(outcome, Cut::None) && cap < high {
                cap += 1;
                outcome = attempt(cap, ellipsis)?;
            }
            match outcome {
                Cut::Fits(measurement) => {
                    best = Some((cap, measurement.count.encoding));
                    low = cap + 1;
                }
                Cut::TooLong | Cut::None => high = middle - 1,
            }
        }
        match best {
            // `...` in a message that ended up UCS-2 (or no fit with it): try again with `…`.
            Some((_, Encoding::Ucs2)) | None if ellipsis == "..." => ellipsis = "…",
            Some((cap, _)) => return Ok(Some((cap, ellipsis))),
            None => return Ok(None),
        }
    }
}

/// Every story's first sentence cut to the longest common length that fits, or `None`. The
/// mark of the cut is `...` when the cut message is 7-bit (so the mark does not force UCS-2), else
/// `…` (one unit).
fn cut_to_fit(
    view: &mut DigestView,
    stories: &[Story],
    budget: &SmsBudget,
    render: &dyn Fn(&DigestView) -> Result<Candidate>,
) -> Result<Option<Candidate>> {
    let fits = |m: &Candidate| m.count.segments <= budget.max_segments;
    let longest = stories
        .iter()
        .map(|s| s.next_sentence(0).map_or(0, |f| f.chars().count()))
        .max()
        .unwrap_or(0);
    // No message holds more than 160 characters per segment, whatever the encoding.
    let most = longest.min(budget.max_segments.max(1) * 160);
    let mut attempt = |cap: usize, ellipsis: &str| -> Result<Cut> {
        if !cut_leads(view, stories, cap, ellipsis) {
            return Ok(Cut::None);
        }
        let measurement = render(view)?;
        Ok(if fits(&measurement) {
            Cut::Fits(measurement)
        } else {
            Cut::TooLong
        })
    };
    match longest_cut(most, Encoding::Gsm7, &mut attempt)? {
        Some((cap, ellipsis)) => match attempt(cap, ellipsis)? {
            Cut::Fits(measurement) => Ok(Some(measurement)),
            Cut::None | Cut::TooLong => Ok(None),
        },
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
        let first = story.next_sentence(0).unwrap_or("");
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
