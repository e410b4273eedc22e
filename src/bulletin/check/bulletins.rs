//! Checks of one `[[bulletin]]`: its sources and target, the channel the target can carry, the
//! schedule and zone, durations and limits, quiet hours, the email sender, folders, subscribers,
//! and (through [`templates`](super::templates)) rendering.

use super::{Problems, known_locale, targets, templates};
use crate::bulletin::config::{BulletinConfig, ChannelConfig, Config, TargetKind};
use crate::bulletin::quiet::{self, Window};
use crate::bulletin::schedule::Schedule;
use crate::bulletin::subscribers::{self, Subscriber};
use crate::email;

/// Most SMS segments, as `--max-segments` allows (the concatenation header counts parts in one
/// octet).
const MAX_SEGMENTS: usize = 255;
/// Most words a story may be promised, as `--min-words` allows.
const MAX_MIN_WORDS: usize = 100;

/// Checks `bulletin` and returns how many of its subscribers passed.
pub(super) fn check(config: &Config, bulletin: &BulletinConfig, problems: &mut Problems) -> usize {
    let place = format!("bulletin {}", bulletin.name);
    let folders = folder_problems(bulletin);
    let render = folders.is_empty();
    let found = [
        reference_problems(config, bulletin),
        schedule_problems(bulletin),
        limit_problems(bulletin),
        channel_problems(bulletin),
        folders,
    ];
    for message in found.into_iter().flatten() {
        problems.add(&place, message);
    }
    let subscribers = load_subscribers(config, bulletin, &place, problems);
    if render {
        templates::check(bulletin, &subscribers, &place, problems);
    }
    subscribers.len()
}

/// The templates and locales folders, when given, exist.
fn folder_problems(bulletin: &BulletinConfig) -> Vec<String> {
    [
        ("templates", &bulletin.templates),
        ("locales", &bulletin.locales),
    ]
    .into_iter()
    .filter_map(|(key, folder)| Some((key, folder.as_ref()?)))
    .filter(|(_, folder)| !folder.is_dir())
    .map(|(key, folder)| format!("{key}: {} is not a folder", folder.display()))
    .collect()
}

/// Its sources and target exist, and the target carries the bulletin's channel.
fn reference_problems(config: &Config, bulletin: &BulletinConfig) -> Vec<String> {
    let mut found = Vec::new();
    if bulletin.sources.is_empty() {
        found.push("sources is empty: name at least one [[source]]".into());
    }
    for name in &bulletin.sources {
        if config.source(name).is_none() {
            found.push(format!("no source is named {name:?}"));
        }
    }
    let Some(target) = config.target(&bulletin.target) else {
        found.push(format!("no target is named {:?}", bulletin.target));
        return found;
    };
    let (channel, kinds) = match bulletin.channel {
        ChannelConfig::Sms => ("SMS", "files, stdout, kannel or webhook"),
        ChannelConfig::Email => ("email", "files, stdout, smtp, sendmail or webhook"),
    };
    let carries = match target.kind {
        TargetKind::Files | TargetKind::Stdout | TargetKind::Webhook => true,
        TargetKind::Kannel => bulletin.channel == ChannelConfig::Sms,
        TargetKind::Smtp | TargetKind::Sendmail => bulletin.channel == ChannelConfig::Email,
    };
    if !carries {
        found.push(format!(
            "target {} is a {} target, which cannot send {channel} (use {kinds})",
            target.name,
            targets::kind_name(target.kind)
        ));
    }
    found
}

/// The schedule parses, in its zone, and fires.
fn schedule_problems(bulletin: &BulletinConfig) -> Vec<String> {
    let zone = bulletin.zone.as_deref().unwrap_or("UTC");
    let Err(first) = Schedule::parse(&bulletin.schedule, zone) else {
        return Vec::new();
    };
    let mut found = vec![format!("schedule: {first}")];
    // A bad zone is reported before the expression is read: read it in UTC too.
    if let Err(second) = Schedule::parse(&bulletin.schedule, "UTC")
        && second != first
    {
        found.push(format!("schedule: {second}"));
    }
    found
}

/// Durations parse and counts are in range.
fn limit_problems(bulletin: &BulletinConfig) -> Vec<String> {
    let mut found = Vec::new();
    for (key, text) in [
        ("since", &bulletin.since),
        ("retry_after", &bulletin.retry_after),
    ] {
        let Some(text) = text else { continue };
        match humantime::parse_duration(text) {
            Err(error) => found.push(format!("{key} {text:?}: {error} (write e.g. 24h, 90m)")),
            Ok(duration) if duration.is_zero() => {
                found.push(format!("{key} {text:?}: must be longer than zero"))
            }
            Ok(_) => {}
        }
    }
    let counts = [
        ("stories", bulletin.stories, usize::MAX),
        ("max_segments", bulletin.max_segments, MAX_SEGMENTS),
        ("email_sentences", bulletin.email_sentences, usize::MAX),
        ("min_words", bulletin.min_words, MAX_MIN_WORDS),
        (
            "max_attempts",
            bulletin.max_attempts.map(|n| n as usize),
            usize::MAX,
        ),
    ];
    for (key, value, most) in counts {
        match value {
            Some(0) => found.push(format!("{key} must be at least 1")),
            Some(n) if n > most => found.push(format!("{key} must be 1 to {most}, not {n}")),
            _ => {}
        }
    }
    if let Some(strategy) = &bulletin.strategy
        && crate::rank::Strategy::parse(strategy).is_none()
    {
        found.push(format!(
            "strategy {strategy:?}: must be lead, smart or auto"
        ));
    }
    if let Some(fill) = bulletin.fill.filter(|f| !(0.0..=1.0).contains(f)) {
        found.push(format!("fill {fill}: must be a share from 0 to 1"));
    }
    found.extend(quiet_problems(bulletin));
    found
}

/// Quiet hours are a window and their age a duration.
fn quiet_problems(bulletin: &BulletinConfig) -> Vec<String> {
    let mut found = Vec::new();
    if let Some(text) = &bulletin.quiet
        && let Err(message) = text.parse::<Window>()
    {
        found.push(format!("quiet {message}"));
    }
    if let Some(text) = &bulletin.quiet_max_age
        && let Err(message) = quiet::max_age_of(text)
    {
        found.push(format!("quiet_max_age {message}"));
    }
    found
}

/// Email bulletins have a valid sender and unsubscribe URL; neither has the other channel's keys.
fn channel_problems(bulletin: &BulletinConfig) -> Vec<String> {
    let mut found = Vec::new();
    let (other_keys, channel) = match bulletin.channel {
        ChannelConfig::Sms => (
            vec![
                ("from", bulletin.from.is_some()),
                ("unsubscribe", bulletin.unsubscribe.is_some()),
                ("email_sentences", bulletin.email_sentences.is_some()),
            ],
            "email",
        ),
        ChannelConfig::Email => (
            vec![
                ("max_segments", bulletin.max_segments.is_some()),
                ("min_words", bulletin.min_words.is_some()),
                ("fill", bulletin.fill.is_some()),
            ],
            "SMS",
        ),
    };
    for (key, _) in other_keys.into_iter().filter(|(_, given)| *given) {
        found.push(format!("{key} applies to {channel} bulletins only"));
    }
    if bulletin.channel == ChannelConfig::Email {
        match &bulletin.from {
            None => {
                found.push("an email bulletin needs from (\"Newsroom <news@example.org>\")".into())
            }
            Some(from) => found.extend(email::parse_mailbox(from, "from").err().map(usage_message)),
        }
    }
    if let Some(url) = &bulletin.unsubscribe {
        found.extend(email::ensure_unsubscribe_url(url).err().map(usage_message));
    }
    found
}

/// An email module error's message without the `--option:` it would have on the command line.
fn usage_message(error: crate::Error) -> String {
    match error {
        crate::Error::Usage { option, message } => format!("{option}: {message}"),
        other => other.to_string(),
    }
}

/// The bulletin's subscribers, each bad row reported at its line.
fn load_subscribers(
    config: &Config,
    bulletin: &BulletinConfig,
    place: &str,
    problems: &mut Problems,
) -> Vec<Subscriber> {
    let region = bulletin
        .sources
        .first()
        .and_then(|name| config.source(name))
        .and_then(|source| source.country.as_deref());
    let known = known_locale(bulletin.locales.as_deref());
    match subscribers::load(&bulletin.subscribers, bulletin.channel, region, &known) {
        Ok((list, found)) => {
            for problem in &found {
                let at = subscribers::place(&bulletin.subscribers, problem);
                problems.add(&format!("{place}: {at}"), problem.message.clone());
            }
            list
        }
        Err(error) => {
            problems.add(place, format!("subscribers: {error}"));
            Vec::new()
        }
    }
}
