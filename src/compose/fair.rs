//! Sharing one multi-story SMS fairly: every story its readable minimum first, then more in turn.
//!
//! Reads the stories in the order given (the caller sorts them), the digest view and the budget;
//! writes the fitted message and the stories left out, each with its reason. Each story has a
//! ladder of steps: its readable minimum (its title, cut after [`SmsBudget::min_words`] words if
//! longer; a shorter title followed by a lead clause of at least that many words of its own; no
//! title: the lead clause alone, see [`summarize::lead_clause`]), then its title and first
//! sentence, then one more sentence per step. The longest run of stories whose minima all fit is
//! found by binary search (a few renders even for thousands of stories); the rest are dropped.
//! Then every kept story climbs one step in turn, round-robin, while the message fits: no story
//! gets a second step before every story has had its first. Growth is counted in units of the
//! added text (additive in GSM-7 and UCS-2) and checked with one real render at the end, backing
//! off the last steps if part boundaries cost more than counted.
//!
//! ```
//! # use std::sync::Arc;
//! # use newsdigest::compose::{fair, fit::SmsBudget, render::Renderer, view::DigestView, SMS_DIGEST};
//! # use newsdigest::{dateline, ingest, locale::Locale, story};
//! let wire = |body: &str| format!("{body}\nSource: Newsdesk\nBDST: 1347 HRS, APR 23, 2025");
//! let bodies = [
//!     "Floodwaters rose across three northeastern districts on Wednesday after two days of \
//!      heavy rain upstream, officials said.",
//!     "The metro will run until midnight from next month, the operator said on Tuesday after \
//!      months of requests from office workers.",
//! ];
//! let now = "2025-04-23T09:00:00Z".parse().unwrap();
//! let context = dateline::Context { country: None, home: None, now };
//! let mut articles = Vec::new();
//! for (i, body) in bodies.iter().enumerate() {
//!     articles.extend(ingest::parse_bytes(&format!("{i}.txt"), None, wire(body).as_bytes())?);
//! }
//! let stories = story::prepare(articles, &context, story::SentenceLimit::ALL, &mut Vec::new());
//! let renderer = Renderer::new(Arc::new(Locale::load("en", None)?), None)?;
//! let view = DigestView::new(&stories, &[1, 1], "sms", renderer.locale(), &[], now);
//! let budget = SmsBudget { max_segments: 1, min_words: 6, options: Default::default(), fill: 0.15 };
//! let fitted = fair::fit_bulletin(&renderer, SMS_DIGEST, &view, &stories, &budget)?.unwrap();
//! let lines: Vec<&str> = fitted.measurement.text.lines().skip(1).collect();
//! assert_eq!(lines[0], "1. 13:47 Floodwaters rose across three northeastern districts...");
//! assert_eq!(lines[1], "2. 13:47 The metro will run until midnight from next month...");
//! # Ok::<(), newsdigest::Error>(())
//! ```

use serde::Serialize;

use crate::compose::fit::{FittedSms, SmsBudget};
use crate::compose::render::Renderer;
use crate::compose::view::{DigestView, StoryView};
use crate::error::Result;
use crate::sms::{self, Encoding, Measurement};
use crate::story::{self, Story};
use crate::summarize;

/// A story left out of an SMS, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DroppedStory {
    /// Where the story came from (file name, `stdin[2]`, URL).
    pub story: String,
    pub reason: String,
}

/// What a story line shows at one step: the title (as shown) and the lead.
struct Shown {
    title: Option<String>,
    lead: String,
    cut: bool,
}

/// One story's steps: an optional cut minimum, then whole steps (title and `k` sentences).
struct Ladder {
    title: Option<String>,
    /// The readable minimum when it is shorter than the first whole step.
    floor: Option<(Option<String>, String)>,
    /// Sentences shown at the first whole step (0: the title alone).
    first_whole: usize,
    /// Sentences shown at the last step.
    last_whole: usize,
}

impl Ladder {
    fn new(story: &Story, min_words: usize, ellipsis: &str) -> Ladder {
        let title = story.article.title.clone().filter(|t| !t.trim().is_empty());
        let sentences = story.sentences.len();
        // The sentence the summary opens with (the lead, unless `smart` ranked another first).
        let first = story.next_sentence(0).unwrap_or("");
        let lead_floor = |words: usize| {
            let clause = summarize::lead_clause(first, words, ellipsis);
            (clause != first).then_some(clause)
        };
        let (floor, first_whole) = match &title {
            Some(t) if summarize::word_count(t) >= min_words => {
                let cut = summarize::first_words(t, min_words, ellipsis);
                ((cut != *t).then(|| (Some(cut), String::new())), 0)
            }
            // A title shorter than the minimum is followed by a lead clause readable on its own
            // (`Ferry timetable changes: The harbour authority will run two extra...`), never by
            // the one or two words that would make up the count (`...: The...`).
            Some(_) if sentences > 0 => {
                (lead_floor(min_words).map(|lead| (title.clone(), lead)), 1)
            }
            Some(_) => (None, 0),
            None => (lead_floor(min_words).map(|lead| (None, lead)), 1),
        };
        Ladder {
            title,
            floor,
            first_whole,
            last_whole: sentences.max(first_whole),
        }
    }

    /// How many steps the story has.
    fn len(&self) -> usize {
        usize::from(self.floor.is_some()) + self.last_whole - self.first_whole + 1
    }

    fn shown(&self, step: usize, story: &Story) -> Shown {
        let whole = match &self.floor {
            Some((title, lead)) if step == 0 => {
                return Shown {
                    title: title.clone(),
                    lead: lead.clone(),
                    cut: true,
                };
            }
            Some(_) => step - 1,
            None => step,
        };
        Shown {
            title: self.title.clone(),
            lead: story.lead(self.first_whole + whole),
            cut: false,
        }
    }
}

impl Shown {
    /// The story's own text in the line, as the built-in template joins it.
    fn text(&self) -> String {
        match (&self.title, self.lead.is_empty()) {
            (Some(title), true) => title.clone(),
            (Some(title), false) => format!("{title}: {}", self.lead),
            (None, _) => self.lead.clone(),
        }
    }

    fn apply(self, view: &mut StoryView, step: usize) {
        view.title = self.title;
        view.lead = self.lead;
        view.cut = self.cut;
        view.minimum = step == 0;
    }
}

/// The stories kept, their ladders and the message at their minima.
struct Kept {
    view: DigestView,
    ladders: Vec<Ladder>,
    measurement: Measurement,
}

/// Fits several stories fairly; `None` when not even the first story's minimum fits.
pub fn fit_bulletin(
    renderer: &Renderer,
    template: &str,
    view: &DigestView,
    stories: &[Story],
    budget: &SmsBudget,
) -> Result<Option<FittedSms>> {
    let render = |view: &DigestView| -> Result<Measurement> {
        let text = renderer.render(template, view)?;
        Ok(sms::measure(text.trim(), &budget.options))
    };
    let total = stories.len().min(view.stories.len());
    let Some(kept) = longest_run_of_minima(view, stories, total, budget, &render)? else {
        return Ok(None);
    };
    let count = kept.ladders.len();
    let dropped = stories[count..total]
        .iter()
        .map(|story| DroppedStory {
            story: story.article.origin.clone(),
            reason: format!(
                "its minimum ({} words) does not fit in {} SMS segment(s) with the {} kept \
                 before it",
                budget.min_words.max(1),
                budget.max_segments,
                story::count(count)
            ),
        })
        .collect();
    let (measurement, view) = grow(kept, &stories[..count], budget, &render)?;
    Ok(Some(FittedSms {
        measurement,
        view,
        dropped,
        shortened_fields: false,
    }))
}

/// The most leading stories whose minima all fit (binary search), with the ellipsis that keeps
/// their encoding: `...` when the message is GSM-7, else `…`.
fn longest_run_of_minima(
    view: &DigestView,
    stories: &[Story],
    total: usize,
    budget: &SmsBudget,
    render: &dyn Fn(&DigestView) -> Result<Measurement>,
) -> Result<Option<Kept>> {
    let try_count = |count: usize| -> Result<Option<Kept>> {
        let mut fallback = None;
        for ellipsis in ["...", "…"] {
            let kept = at_minima(view, &stories[..count], budget.min_words, ellipsis, render)?;
            if kept.measurement.encoding == Encoding::Gsm7 || ellipsis == "…" {
                fallback = Some(kept);
                break;
            }
        }
        Ok(fallback.filter(|kept| kept.measurement.segments() <= budget.max_segments))
    };
    if let Some(kept) = try_count(total)? {
        return Ok(Some(kept));
    }
    let (mut best, mut low, mut high) = (None, 1, total.saturating_sub(1));
    while low <= high {
        let count = low + (high - low) / 2;
        match try_count(count)? {
            Some(kept) => {
                best = Some(kept);
                low = count + 1;
            }
            None => high = count - 1,
        }
    }
    Ok(best)
}

/// The first `stories.len()` stories of `view`, each at its minimum, rendered.
fn at_minima(
    view: &DigestView,
    stories: &[Story],
    min_words: usize,
    ellipsis: &str,
    render: &dyn Fn(&DigestView) -> Result<Measurement>,
) -> Result<Kept> {
    let mut view = view.clone();
    view.stories.truncate(stories.len());
    view.story_count = stories.len();
    let ladders: Vec<Ladder> = stories
        .iter()
        .map(|story| Ladder::new(story, min_words.max(1), ellipsis))
        .collect();
    for ((story_view, ladder), story) in view.stories.iter_mut().zip(&ladders).zip(stories) {
        ladder.shown(0, story).apply(story_view, 0);
    }
    let measurement = render(&view)?;
    Ok(Kept {
        view,
        ladders,
        measurement,
    })
}

/// Every story one step up in turn while the counted units fit; then one render to check, backing
/// off the last steps (binary search over the order they were taken) if it does not fit.
fn grow(
    kept: Kept,
    stories: &[Story],
    budget: &SmsBudget,
    render: &dyn Fn(&DigestView) -> Result<Measurement>,
) -> Result<(Measurement, DigestView)> {
    let Kept {
        mut view,
        ladders,
        measurement,
    } = kept;
    let climbed = climb(&ladders, stories, &measurement, budget);
    if climbed.is_empty() {
        return Ok((measurement, view));
    }
    let fits = |m: &Measurement| m.segments() <= budget.max_segments;
    let set_steps = |view: &mut DigestView, taken: usize| {
        let mut steps = vec![0; ladders.len()];
        for &story in &climbed[..taken] {
            steps[story] += 1;
        }
        for (i, story_view) in view.stories.iter_mut().enumerate() {
            ladders[i]
                .shown(steps[i], &stories[i])
                .apply(story_view, steps[i]);
        }
    };
    set_steps(&mut view, climbed.len());
    let all = render(&view)?;
    if fits(&all) {
        return Ok((all, view));
    }
    let (mut best, mut low, mut high) = ((0, measurement), 1, climbed.len() - 1);
    while low <= high {
        let taken = low + (high - low) / 2;
        set_steps(&mut view, taken);
        let m = render(&view)?;
        if fits(&m) {
            best = (taken, m);
            low = taken + 1;
        } else {
            high = taken - 1;
        }
    }
    set_steps(&mut view, best.0);
    Ok((best.1, view))
}

/// The steps taken, in order (story index per step), round-robin while the counted units fit.
fn climb(
    ladders: &[Ladder],
    stories: &[Story],
    start: &Measurement,
    budget: &SmsBudget,
) -> Vec<usize> {
    let encoding = start.encoding;
    let (single, multi) = sms::limits(encoding, budget.options.concat_ref);
    let capacity = single.max(multi * budget.max_segments);
    let units_of = |text: &str| -> Option<usize> {
        match encoding {
            Encoding::Ucs2 => Some(text.encode_utf16().count()),
            Encoding::Gsm7 => {
                let m = sms::measure(text, &budget.options);
                (m.encoding == Encoding::Gsm7).then_some(m.units)
            }
        }
    };
    let mut steps = vec![0; ladders.len()];
    let mut line_units: Vec<usize> = ladders
        .iter()
        .zip(stories)
        .map(|(ladder, story)| units_of(&ladder.shown(0, story).text()).unwrap_or(0))
        .collect();
    let mut growing: Vec<bool> = ladders.iter().map(|l| l.len() > 1).collect();
    let (mut units, mut taken) = (start.units, Vec::new());
    while growing.contains(&true) {
        for i in 0..ladders.len() {
            if !growing[i] {
                continue;
            }
            let next = steps[i] + 1;
            let line = units_of(&ladders[i].shown(next, &stories[i]).text());
            match line {
                Some(line) if units + line <= capacity + line_units[i] => {
                    units = (units + line).saturating_sub(line_units[i]);
                    (steps[i], line_units[i]) = (next, line);
                    taken.push(i);
                    growing[i] = next + 1 < ladders[i].len();
                }
                _ => growing[i] = false,
            }
        }
    }
    taken
}
