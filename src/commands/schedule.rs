//! `newsdigest schedule`: when each bulletin runs next, and how to have cron or systemd run them.
//!
//! Reads `newsdigest.toml` (only the bulletins' `schedule` and `zone`: subscribers and sources
//! need not exist yet) and prints each bulletin's next slots in its zone and in UTC, then a
//! crontab line and a systemd service and timer to paste. Debian's cron has no `CRON_TZ`, so
//! both start `newsdigest run` every minute and `run` decides, in each bulletin's zone, whether
//! a slot is due. Example: `newsdigest schedule morning --count 3 --format json` prints
//! `[{"bulletin": "morning", "zone": "Asia/Dhaka", "next": [{"local": "2025-04-25T07:00:00+06:00",
//! "utc": "2025-04-25T01:00:00Z"}, ...]}]`.

use std::path::PathBuf;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::Io;
use crate::cli::{Format, ScheduleArgs};
use crate::output::{self, print};
use newsdigest::bulletin::config::Config;
use newsdigest::bulletin::schedule::Schedule;
use newsdigest::error::{Error, Result};

/// One bulletin's upcoming slots.
struct Upcoming {
    bulletin: String,
    schedule: Schedule,
    slots: Vec<DateTime<Utc>>,
}

/// The JSON output for one bulletin.
#[derive(Serialize)]
struct UpcomingJson {
    bulletin: String,
    zone: String,
    next: Vec<SlotJson>,
}

#[derive(Serialize)]
struct SlotJson {
    /// RFC 3339 with the zone's offset at that instant.
    local: String,
    /// RFC 3339 ending in `Z`.
    utc: String,
}

pub fn run(args: ScheduleArgs, io: &mut Io<'_>, clock: DateTime<Utc>) -> Result<()> {
    let config = super::state::load_config(args.config.as_deref())?;
    let now = args.now.unwrap_or(clock);
    let upcoming: Vec<Upcoming> = bulletin_schedules(&config, &args.bulletins)?
        .into_iter()
        .map(|(bulletin, schedule)| Upcoming {
            slots: schedule.next_slots(now, usize::from(args.count)),
            bulletin,
            schedule,
        })
        .collect();
    match args.format {
        Format::Json => {
            let json: Vec<UpcomingJson> = upcoming.iter().map(to_json).collect();
            print(io, &output::to_json(&json))
        }
        Format::Text => {
            let mut text: String = upcoming.iter().map(slots_text).collect();
            text.push_str(&setup_text(&config));
            print(io, &text)
        }
    }
}

/// The schedules of the bulletins named in `names` (every bulletin when empty), in the
/// configuration's order. Every bulletin's schedule is checked, named or not, since `run` needs
/// them all; the first bad one is the error, naming the file and the bulletin.
fn bulletin_schedules(config: &Config, names: &[String]) -> Result<Vec<(String, Schedule)>> {
    let config_error = |message: String| Error::Config {
        path: config.path.clone(),
        message,
    };
    let mut schedules = Vec::new();
    for bulletin in &config.bulletins {
        let zone = bulletin.zone.as_deref().unwrap_or("UTC");
        let schedule = Schedule::parse(&bulletin.schedule, zone)
            .map_err(|reason| config_error(format!("bulletin {:?}: {reason}", bulletin.name)))?;
        if names.is_empty() || names.contains(&bulletin.name) {
            schedules.push((bulletin.name.clone(), schedule));
        }
    }
    if let Some(unknown) = names.iter().find(|name| config.bulletin(name).is_none()) {
        let known: Vec<&str> = config.bulletins.iter().map(|b| b.name.as_str()).collect();
        return Err(config_error(format!(
            "no bulletin named {unknown:?} (bulletins: {})",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        )));
    }
    Ok(schedules)
}

fn to_json(upcoming: &Upcoming) -> UpcomingJson {
    let zone = upcoming.schedule.zone();
    UpcomingJson {
        bulletin: upcoming.bulletin.clone(),
        zone: zone.name().to_string(),
        next: upcoming
            .slots
            .iter()
            .map(|slot| SlotJson {
                local: slot
                    .with_timezone(&zone)
                    .to_rfc3339_opts(SecondsFormat::Secs, false),
                utc: slot.to_rfc3339_opts(SecondsFormat::Secs, true),
            })
            .collect(),
    }
}

/// `morning: 0 7 * * * in Asia/Dhaka`, then one line per slot: local time with the zone's
/// abbreviation and offset, and UTC.
fn slots_text(upcoming: &Upcoming) -> String {
    let schedule = &upcoming.schedule;
    let zone = schedule.zone();
    let mut text = format!(
        "{}: {} in {}\n",
        upcoming.bulletin,
        schedule.expression(),
        zone.name()
    );
    if upcoming.slots.is_empty() {
        text.push_str("  no more slots\n");
    }
    for slot in &upcoming.slots {
        let local = slot
            .with_timezone(&zone)
            .format("%a %Y-%m-%d %H:%M:%S %Z (UTC%:z)")
            .to_string();
        let utc = slot.to_rfc3339_opts(SecondsFormat::Secs, true);
        let moved = if schedule.is_as_written(*slot) {
            ""
        } else {
            "  (moved: the written time does not exist that day, clocks jump forward)"
        };
        text.push_str(&format!("  {local:<40} {utc}{moved}\n"));
    }
    text.push('\n');
    text
}

/// The crontab line and the systemd units that start `newsdigest run` every minute.
fn setup_text(config: &Config) -> String {
    let config_path = std::fs::canonicalize(&config.path)
        .or_else(|_| std::path::absolute(&config.path))
        .unwrap_or_else(|_| config.path.clone());
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("/usr/bin/newsdigest"));
    let command = [
        exe.to_string_lossy().into_owned(),
        "run".to_string(),
        "--config".to_string(),
        config_path.to_string_lossy().into_owned(),
    ];
    let mut text = crontab_text(&command);
    text.push('\n');
    text.push_str(&systemd_text(&command, config.state.is_none()));
    text
}

fn crontab_text(command: &[String]) -> String {
    let words: Vec<String> = command.iter().map(|word| crontab_word(word)).collect();
    format!(
        "# crontab (crontab -e): Debian's cron has no CRON_TZ, so cron starts newsdigest every\n\
         # minute and newsdigest decides, in each bulletin's own zone, whether a slot is due.\n\
         # No flock needed: newsdigest locks its state itself. It prints only on errors, so\n\
         # cron mails you only then.\n\
         * * * * * {}\n",
        words.join(" ")
    )
}

fn systemd_text(command: &[String], default_state: bool) -> String {
    let exec: Vec<String> = command.iter().map(|word| systemd_word(word)).collect();
    let user = match std::env::var("USER") {
        Ok(user) if !user.is_empty() && user != "root" => format!("User={}\n", systemd_word(&user)),
        _ => "# User=newsdigest\n".to_string(),
    };
    let state_note = if default_state {
        "# The configuration names no `state` file, so it is ~/.local/state/newsdigest/state.db\n\
         # in the home of User=: set it to the account you run newsdigest as.\n"
    } else {
        ""
    };
    format!(
        "# Or systemd instead of cron: two files, then\n\
         #   systemctl daemon-reload && systemctl enable --now newsdigest.timer\n\
         # ---- /etc/systemd/system/newsdigest.service ----\n\
         [Unit]\n\
         Description=newsdigest bulletins\n\
         Wants=network-online.target\n\
         After=network-online.target\n\
         \n\
         [Service]\n\
         Type=oneshot\n\
         # The account whose configuration and state newsdigest uses.\n\
         {user}{state_note}\
         ExecStart={}\n\
         # ---- end of newsdigest.service ----\n\
         # ---- /etc/systemd/system/newsdigest.timer ----\n\
         [Unit]\n\
         Description=Start newsdigest every minute; it decides which bulletins are due\n\
         \n\
         [Timer]\n\
         OnCalendar=*-*-* *:*:00\n\
         Persistent=true\n\
         AccuracySec=1s\n\
         \n\
         [Install]\n\
         WantedBy=timers.target\n\
         # ---- end of newsdigest.timer ----\n",
        exec.join(" ")
    )
}

/// A word of a crontab command: quoted for the shell when needed, and `%` escaped (cron turns a
/// bare `%` into a newline).
fn crontab_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c));
    let quoted = if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    };
    quoted.replace('%', r"\%")
}

/// A word of a systemd `ExecStart=`: double-quoted when needed, with `%` and `$` doubled so
/// systemd does not expand them.
fn systemd_word(word: &str) -> String {
    let escaped = word.replace('%', "%%").replace('$', "$$");
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@%$".contains(c));
    if plain {
        escaped
    } else {
        format!("\"{}\"", escaped.replace('\\', r"\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crontab_words_survive_the_shell_and_cron() {
        assert_eq!(crontab_word("/usr/bin/newsdigest"), "/usr/bin/newsdigest");
        assert_eq!(crontab_word("/srv/my news/n.toml"), "'/srv/my news/n.toml'");
        assert_eq!(crontab_word("/srv/it's"), r"'/srv/it'\''s'");
        assert_eq!(crontab_word("/srv/100%"), r"'/srv/100\%'");
        assert_eq!(crontab_word(""), "''");
    }

    #[test]
    fn systemd_words_are_not_expanded() {
        assert_eq!(systemd_word("/usr/bin/newsdigest"), "/usr/bin/newsdigest");
        assert_eq!(systemd_word("/srv/100%"), "/srv/100%%");
        assert_eq!(systemd_word("/srv/$HOME"), "/srv/$$HOME");
        assert_eq!(systemd_word("/srv/my news"), "\"/srv/my news\"");
        assert_eq!(systemd_word("/srv/a\"b"), "\"/srv/a\\\"b\"");
    }
}
