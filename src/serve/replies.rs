//! Readers' own messages (mobile-originated, from Kannel's `sms-service`): STOP, START and their
//! equivalents in each language ([`keywords`](crate::bulletin::keywords)). A STOP puts the
//! sender on the opt-out list, which `run` checks before every send; a START takes them off it.
//! Each change is confirmed with one SMS in the reader's locale (the `sms/opted-out.txt.tera` and
//! `sms/opted-in.txt.tera` templates), through the `[serve]` section's `reply_target`.
//!
//! The reader's locale is theirs in a bulletin's subscribers; for a number no bulletin lists, the
//! language of the keyword they sent (English for STOP). A keyword that changes nothing (STOP
//! from a reader already opted out) is not confirmed again, so a flood of messages cannot make
//! newsdigest send a flood of paid replies. Any other message is ignored.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use crate::bulletin::config::{ChannelConfig, Config};
use crate::bulletin::deliver::{self, Gateway, Outcome};
use crate::bulletin::keywords::{Keyword, Keywords};
use crate::bulletin::outbox::{Content, Message, Render};
use crate::bulletin::store::Store;
use crate::bulletin::subscribers;
use crate::compose::render::Renderer;
use crate::error::{Error, Result};
use crate::locale::Locale;
use crate::sms::{self, report::Report};

/// What a reader's message did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handled {
    /// Not a keyword.
    Ignored,
    /// STOP: `changed` when the reader was not opted out before.
    OptedOut { address: String, changed: bool },
    /// START: `changed` when the reader was opted out before.
    OptedIn { address: String, changed: bool },
}

/// A confirmation to send once the gateway that delivered the reader's message has its answer.
pub struct Confirmation {
    message: Message,
    gateway: Arc<dyn Gateway>,
}

impl Confirmation {
    /// Sends it; the gateway's outcome.
    pub fn send(self) -> Outcome {
        self.gateway
            .send(&[&self.message])
            .pop()
            .unwrap_or_else(|| Outcome::Failed("the gateway gave no answer".into()))
    }
}

/// What `serve` knows to answer readers.
pub struct Replies {
    keywords: &'static Keywords,
    /// The reply target's name and gateway; `None`: opt-outs are recorded, not confirmed.
    gateway: Option<(String, Arc<dyn Gateway>)>,
    /// Each SMS subscriber's locale, by address.
    locales: HashMap<String, String>,
    /// Regions to read a sender's number in when it has no `+` (the sources' countries).
    regions: Vec<String>,
    templates: Option<PathBuf>,
    locale_dir: Option<PathBuf>,
    renderers: Mutex<HashMap<String, Arc<Renderer>>>,
}

impl Replies {
    /// Reads every SMS bulletin's subscribers (their locales) and opens the reply target:
    /// `[serve] reply_target`, else the first SMS bulletin's target, else none.
    pub fn new(config: &Config) -> Result<Replies> {
        let sms_bulletins: Vec<_> = config
            .bulletins
            .iter()
            .filter(|b| b.channel == ChannelConfig::Sms)
            .collect();
        let reply_target = config
            .serve
            .as_ref()
            .and_then(|serve| serve.reply_target.clone())
            .or_else(|| sms_bulletins.first().map(|b| b.target.clone()));
        let gateway = match reply_target {
            Some(name) => {
                let target = config.target(&name).ok_or_else(|| Error::Config {
                    path: config.path.clone(),
                    message: format!("serve: no target named {name:?} (reply_target)"),
                })?;
                let gateway: Arc<dyn Gateway> =
                    Arc::from(deliver::open(target, deliver::MailBook::new())?);
                Some((name, gateway))
            }
            None => None,
        };
        let mut regions: Vec<String> = config
            .sources
            .iter()
            .filter_map(|source| source.country.clone())
            .collect();
        regions.dedup();
        let mut locales = HashMap::new();
        for bulletin in &sms_bulletins {
            let region = bulletin
                .sources
                .iter()
                .find_map(|name| config.source(name)?.country.clone());
            let any_locale = |_: &str| true;
            let (members, _) = subscribers::load(
                &bulletin.subscribers,
                ChannelConfig::Sms,
                region.as_deref(),
                &any_locale,
            )?;
            for member in members {
                locales.entry(member.address).or_insert(member.locale);
            }
        }
        let first = sms_bulletins.first();
        Ok(Replies {
            keywords: Keywords::built_in(),
            gateway,
            locales,
            regions,
            templates: first.and_then(|b| b.templates.clone()),
            locale_dir: first.and_then(|b| b.locales.clone()),
            renderers: Mutex::new(HashMap::new()),
        })
    }

    /// The sender's number as subscribers are listed (E.164), or `None` when it is not a number.
    pub fn address(&self, from: &str) -> Option<String> {
        let from = from.trim();
        if from.is_empty() || from.len() > 32 {
            return None;
        }
        let digits = from.strip_prefix('+').unwrap_or(from);
        if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.is_empty() {
            return None;
        }
        if from.starts_with('+') {
            return Some(from.to_string());
        }
        let international = format!("+{digits}");
        if self.locales.contains_key(&international) {
            return Some(international);
        }
        for region in &self.regions {
            let Ok(country) = region.parse::<phonenumber::country::Id>() else {
                continue;
            };
            if let Ok(number) = phonenumber::parse(Some(country), from)
                && phonenumber::is_valid(&number)
            {
                return Some(number.format().mode(phonenumber::Mode::E164).to_string());
            }
        }
        Some(international)
    }

    /// Handles a reader's message `text` from `from`: records a STOP or START in `store`, and
    /// returns what it did with the confirmation to send (when something changed and a reply
    /// target is configured).
    pub fn handle(
        &self,
        store: &mut dyn Store,
        from: &str,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<(Handled, Option<Confirmation>)> {
        let Some((keyword, language)) = self.keywords.find(text) else {
            return Ok((Handled::Ignored, None));
        };
        let Some(address) = self.address(from) else {
            return Ok((Handled::Ignored, None));
        };
        let said = deliver::one_line(text, 40);
        let (handled, changed, template) = match keyword {
            Keyword::Stop => {
                let changed = store.opt_out(&address, &said, now)?;
                let handled = Handled::OptedOut {
                    address: address.clone(),
                    changed,
                };
                (handled, changed, "sms/opted-out.txt.tera")
            }
            Keyword::Start => {
                let changed = store.opt_in(&address)?;
                let handled = Handled::OptedIn {
                    address: address.clone(),
                    changed,
                };
                (handled, changed, "sms/opted-in.txt.tera")
            }
        };
        if !changed {
            return Ok((handled, None));
        }
        let Some((target, gateway)) = &self.gateway else {
            return Ok((handled, None));
        };
        let locale = self
            .locales
            .get(&address)
            .cloned()
            .unwrap_or_else(|| language.to_string());
        let text = self.render(&locale, template)?;
        let report = Report::new(
            &sms::measure(&text, &sms::Options::default()),
            sms::ConcatRef::Eight,
        );
        let message = Message {
            id: 0,
            bulletin: "(reply)".into(),
            slot: now,
            address,
            name: None,
            target: target.clone(),
            attempts: 0,
            render: Arc::new(Render {
                locale,
                zone: "UTC".into(),
                content: Content::sms(&report),
            }),
            quiet: None,
        };
        let confirmation = Confirmation {
            message,
            gateway: Arc::clone(gateway),
        };
        Ok((handled, Some(confirmation)))
    }

    /// The confirmation `template` rendered in `locale` (English when the locale cannot be
    /// loaded), without its final line break.
    fn render(&self, locale: &str, template: &str) -> Result<String> {
        let renderer = match self.renderer(locale) {
            Ok(renderer) => renderer,
            Err(_) => self.renderer("en")?,
        };
        Ok(renderer
            .render(template, &serde_json::json!({ "locale": locale }))?
            .trim_end_matches('\n')
            .to_string())
    }

    fn renderer(&self, locale: &str) -> Result<Arc<Renderer>> {
        let mut renderers = self
            .renderers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(renderer) = renderers.get(locale) {
            return Ok(Arc::clone(renderer));
        }
        let loaded = Arc::new(Locale::load(locale, self.locale_dir.as_deref())?);
        let renderer = Arc::new(Renderer::new(loaded, self.templates.as_deref())?);
        renderers.insert(locale.to_string(), Arc::clone(&renderer));
        Ok(renderer)
    }
}
