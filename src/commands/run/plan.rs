//! Planning one bulletin's slot: read its sources, keep the stories not yet sent in it, render once
//! per (locale, zone) group of subscribers, and describe one message per subscriber as a
//! [`Plan`] for the store to record. Each message carries its reader's quiet hours: one due inside
//! them is recorded to go at their end, or `skipped` past the bulletin's `quiet_max_age`.
//!
//! Nothing here sends or writes: the plan is recorded by the caller in one transaction, so a run
//! killed while planning leaves no trace and the next run plans the slot again.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;

use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use newsdigest::bulletin::config::{BulletinConfig, ChannelConfig, Config, SourceConfig};
use newsdigest::bulletin::outbox::{Content, OPTED_OUT, Plan, Recipient, Render};
use newsdigest::bulletin::quiet::{self, Decision, Window};
use newsdigest::bulletin::store::Store;
use newsdigest::bulletin::subscribers::Subscriber;
use newsdigest::compose::Channel;
use newsdigest::compose::render::Renderer;
use newsdigest::dateline::{self, Zone};
use newsdigest::error::{Error, Result};
use newsdigest::sms;
use newsdigest::sms::report::Report;
use newsdigest::story::Story;

use super::super::{
    Composition, Feeds, Io, compose_with, load_locale, prepare_stories, select_for_locale,
};
use crate::cli;
use crate::settings::Settings;

/// Stories this long old or newer are new enough for a bulletin that sets no `since`.
const DEFAULT_SINCE: &str = "24h";

/// A slot's plan and what was noticed while making it.
pub struct Planned {
    pub plan: Plan,
    /// Problems with what goes out (a dateline not read in a story sent): cron mails them.
    pub notes: Vec<String>,
    /// How stories were chosen (too old, another language, already sent, dropped for room):
    /// the normal working of a bulletin, shown only by `--dry-run`.
    pub routine: Vec<String>,
}

/// Plans `bulletin`'s `slot` for `subscribers`; `now` is the run's clock.
pub fn plan_slot(
    config: &Config,
    bulletin: &BulletinConfig,
    slot: DateTime<Utc>,
    subscribers: &[Subscriber],
    store: &mut dyn Store,
    io: &mut Io<'_>,
    now: DateTime<Utc>,
) -> Result<Planned> {
    let (mut notes, mut routine) = (Vec::new(), Vec::new());
    let base = settings_for(config, bulletin, now)?;
    let (window, max_age) = quiet_hours(config, bulletin)?;
    let stories = unsent_stories(config, bulletin, &base, store, io, &mut routine)?;
    let mut plan = Plan {
        bulletin: bulletin.name.clone(),
        slot,
        channel: base.channel.as_str().into(),
        target: bulletin.target.clone(),
        stories: Vec::new(),
        renders: Vec::new(),
        recipients: Vec::new(),
        planned_at: now,
        planned_by: String::new(),
    };
    if stories.is_empty() {
        return Ok(Planned {
            plan,
            notes,
            routine,
        });
    }
    let mut sent_keys = HashSet::new();
    let mut renderers = HashMap::new();
    for ((tag, zone), members) in groups(subscribers) {
        let chosen = select_for_locale(&base, &stories, tag, &mut routine, &mut notes);
        if chosen.is_empty() {
            routine.push(format!(
                "bulletin {}: no new story for locale {tag}; {} subscribers get nothing this slot",
                bulletin.name,
                members.len()
            ));
            continue;
        }
        let renderer = renderer_for(&mut renderers, &base, tag)?;
        let mut settings = base.clone();
        settings.zones = vec![parse_zone(zone)?];
        let content = render(&settings, &chosen, renderer, &mut routine)?;
        sent_keys.extend(chosen.iter().map(|story| story.article.key.clone()));
        plan.renders.push(Render {
            locale: tag.to_string(),
            zone: zone.to_string(),
            content,
        });
        let render = plan.renders.len() - 1;
        plan.recipients.extend(members.iter().map(|member| {
            let quiet = member.quiet.window(window);
            let decision = quiet.map(|quiet| quiet::decide(quiet, member.zone, now, slot, max_age));
            let (send_after, skip) = match decision {
                None | Some(Decision::Now) => (None, None),
                Some(Decision::After(at)) => (Some(at), None),
                Some(Decision::Drop(reason)) => (None, Some(reason)),
            };
            Recipient {
                address: member.address.clone(),
                name: member.name.clone(),
                render,
                send_after,
                quiet: quiet.map(|quiet| quiet.to_string()),
                skip,
            }
        }));
    }
    skip_opted_out(&mut plan, store)?;
    plan.stories = stories
        .iter()
        .map(|story| story.article.key.clone())
        .filter(|key| sent_keys.contains(key))
        .collect();
    Ok(Planned {
        plan,
        notes,
        routine,
    })
}

/// The bulletin's quiet hours and how old a message they hold may get (`check` reports bad ones;
/// here they stop the bulletin).
fn quiet_hours(
    config: &Config,
    bulletin: &BulletinConfig,
) -> Result<(Option<Window>, Option<chrono::Duration>)> {
    let bad = |key: &str, message: String| Error::Config {
        path: config.path.clone(),
        message: format!("bulletin {}: {key} {message}", bulletin.name),
    };
    let window = match &bulletin.quiet {
        Some(text) => Some(text.parse::<Window>().map_err(|m| bad("quiet", m))?),
        None => None,
    };
    let max_age = match &bulletin.quiet_max_age {
        Some(text) => Some(quiet::max_age_of(text).map_err(|m| bad("quiet_max_age", m))?),
        None => None,
    };
    Ok((window, max_age))
}

/// Recipients who opted out (STOP) are recorded `skipped: opted out`, not sent (an opt-out wins
/// over quiet hours).
fn skip_opted_out(plan: &mut Plan, store: &mut dyn Store) -> Result<()> {
    let addresses: Vec<String> = plan.recipients.iter().map(|r| r.address.clone()).collect();
    let opted_out = store.opted_out(&addresses)?;
    for recipient in &mut plan.recipients {
        if opted_out.contains(&recipient.address) {
            recipient.skip = Some(OPTED_OUT.to_string());
        }
    }
    Ok(())
}

/// Subscribers grouped by (locale, zone), in a stable order.
fn groups(subscribers: &[Subscriber]) -> BTreeMap<(&str, &str), Vec<&Subscriber>> {
    let mut groups: BTreeMap<(&str, &str), Vec<&Subscriber>> = BTreeMap::new();
    for subscriber in subscribers {
        groups
            .entry((subscriber.locale.as_str(), subscriber.zone.name()))
            .or_default()
            .push(subscriber);
    }
    groups
}

/// The stories of every source of `bulletin`, newest first, without those already sent in it.
fn unsent_stories(
    config: &Config,
    bulletin: &BulletinConfig,
    base: &Settings,
    store: &mut dyn Store,
    io: &mut Io<'_>,
    notes: &mut Vec<String>,
) -> Result<Vec<Story>> {
    let mut stories = Vec::new();
    for name in &bulletin.sources {
        let source = config.source(name).ok_or_else(|| Error::Config {
            path: config.path.clone(),
            message: format!("bulletin {}: no source named {name:?}", bulletin.name),
        })?;
        let mut settings = settings_for_source(base, source)?;
        // Near-duplicates of stories already sent are merged first, so they are not sent again.
        settings.since = None;
        match prepare_stories(&settings, io, Feeds::Unconditional, notes) {
            Ok((found, _validators)) => stories.extend(found),
            // A source with nothing in it (an empty spool folder) is a quiet slot, not a failure.
            Err(Error::NoArticles) => {}
            Err(error) => return Err(error),
        }
    }
    let keys: Vec<String> = stories.iter().map(|s| s.article.key.clone()).collect();
    let sent: HashSet<String> = store
        .sent_stories(&bulletin.name, &keys)?
        .into_iter()
        .collect();
    stories.retain(|story| !sent.contains(&story.article.key));
    let mut stories = newsdigest::select::recent(stories, base.since, base.now(), notes);
    // Sources read one by one: order them together, newest first.
    newsdigest::select::order(
        &mut stories,
        newsdigest::select::Order::Newest,
        &mut Vec::new(),
    );
    Ok(stories)
}

/// The settings `digest` would run on for this bulletin, before any source or reader zone.
fn settings_for(
    config: &Config,
    bulletin: &BulletinConfig,
    now: DateTime<Utc>,
) -> Result<Settings> {
    let bad = |message: String| Error::Config {
        path: config.path.clone(),
        message: format!("bulletin {}: {message}", bulletin.name),
    };
    let since = humantime::parse_duration(bulletin.since.as_deref().unwrap_or(DEFAULT_SINCE))
        .map_err(|e| bad(format!("since: {e}")))?;
    let from = match &bulletin.from {
        Some(from) => Mailbox::from_str(from).map_err(|e| bad(format!("from: {e}")))?,
        None => Mailbox::from_str("newsdigest <newsdigest@localhost>")
            .map_err(|e| bad(format!("from: {e}")))?,
    };
    Ok(Settings {
        inputs: Vec::new(),
        channel: match bulletin.channel {
            ChannelConfig::Sms => Channel::Sms,
            ChannelConfig::Email => Channel::Email,
        },
        zones: Vec::new(),
        context: dateline::Context {
            country: None,
            home: None,
            now,
        },
        max_segments: bulletin.max_segments.unwrap_or(1),
        stories: bulletin.stories,
        email_sentences: bulletin.email_sentences.unwrap_or(3),
        templates: bulletin.templates.clone(),
        locales: bulletin.locales.clone(),
        sms: sms::Options::default(),
        from,
        to: Vec::new(),
        unsubscribe: bulletin.unsubscribe.clone(),
        since: Some(chrono::Duration::from_std(since).unwrap_or(chrono::Duration::MAX)),
        order: cli::Order::Newest,
        min_words: bulletin.min_words.unwrap_or(6),
        any_language: bulletin.any_language,
        language: None,
        timeout: std::time::Duration::from_secs(30),
        strategy: bulletin
            .strategy
            .as_deref()
            .and_then(newsdigest::rank::Strategy::parse)
            .unwrap_or_default(),
        fill: bulletin
            .fill
            .unwrap_or(newsdigest::compose::fit::DEFAULT_FILL),
    })
}

/// `base` reading one source: its path or URL, outlet country and language.
fn settings_for_source(base: &Settings, source: &SourceConfig) -> Result<Settings> {
    let input = match (&source.path, &source.url) {
        (Some(path), _) => path.display().to_string(),
        (None, Some(url)) => url.clone(),
        (None, None) => {
            return Err(Error::Usage {
                option: "config",
                message: format!("source {}: neither path nor url", source.name),
            });
        }
    };
    let mut settings = base.clone();
    settings.inputs = vec![input];
    settings.context.country = source.country.as_ref().map(|c| c.to_ascii_uppercase());
    settings.context.home = match &source.zone {
        Some(zone) => Some(zone.parse::<chrono_tz::Tz>().map_err(|_| Error::Usage {
            option: "config",
            message: format!("source {}: zone {zone:?} is not an IANA zone", source.name),
        })?),
        None => None,
    };
    settings.language = source.language.clone();
    if let Some(seconds) = source.timeout {
        settings.timeout = std::time::Duration::from_secs(seconds);
    }
    Ok(settings)
}

fn parse_zone(zone: &str) -> Result<Zone> {
    Zone::from_str(zone).map_err(|message| Error::Usage {
        option: "config",
        message: format!("zone {zone:?}: {message}"),
    })
}

/// The renderer for locale `tag`, built once per slot (templates are parsed once per locale, not
/// once per zone).
fn renderer_for<'a>(
    cache: &'a mut HashMap<String, Renderer>,
    settings: &Settings,
    tag: &str,
) -> Result<&'a Renderer> {
    if !cache.contains_key(tag) {
        let locale = load_locale(settings, tag)?;
        let renderer = Renderer::new(locale, settings.templates.as_deref())?;
        cache.insert(tag.to_string(), renderer);
    }
    Ok(&cache[tag])
}

/// One group's message, composed as `digest` would for one reader in `settings.zones`.
fn render(
    settings: &Settings,
    stories: &[Story],
    renderer: &Renderer,
    notes: &mut Vec<String>,
) -> Result<Content> {
    Ok(match compose_with(settings, stories, renderer, notes)? {
        Composition::Sms(digest) => {
            Content::sms(&Report::new(&digest.measurement, settings.sms.concat_ref))
        }
        Composition::Email(content) => Content::Email {
            subject: content.subject,
            text: content.text,
            html: content.html,
        },
    })
}
