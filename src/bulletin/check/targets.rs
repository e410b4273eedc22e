//! Checks of one `[[target]]`: the keys its kind needs (and none it would ignore), a writable
//! folder, gateway URLs, the sendmail program, credential variables, limits.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::{Environment, Problems, ensure_http_url};
use crate::bulletin::config::{TargetConfig, TargetKind};

/// The sendmail command when none is given.
const DEFAULT_SENDMAIL: &str = "/usr/sbin/sendmail";
/// The longest alphanumeric SMS sender (TP-OA: 11 GSM 7-bit characters).
const MAX_ALPHANUMERIC_SENDER: usize = 11;
/// The longest numeric SMS sender (an E.164 number).
const MAX_NUMERIC_SENDER: usize = 15;

pub(super) fn check(target: &TargetConfig, environment: &Environment, problems: &mut Problems) {
    let place = format!("target {}", target.name);
    for key in keys_not_used(target) {
        problems.add(
            &place,
            format!(
                "{key} does not apply to a {} target",
                kind_name(target.kind)
            ),
        );
    }
    for message in kind_problems(target, environment) {
        problems.add(&place, message);
    }
    let credentials = [
        ("username_env", &target.username_env),
        ("password_env", &target.password_env),
        ("token_env", &target.token_env),
        ("report_token_env", &target.report_token_env),
    ];
    for (key, variable) in credentials {
        if let Some(variable) = variable
            && !environment.is_set(variable)
        {
            problems.add(
                &place,
                format!("the environment variable {variable} ({key}) is not set"),
            );
        }
    }
    for message in limit_problems(target) {
        problems.add(&place, message);
    }
    for message in report_problems(target) {
        problems.add(&place, message);
    }
}

/// `report_url` and `report_token_env` go together, and the URL is `serve`'s base URL.
fn report_problems(target: &TargetConfig) -> Vec<String> {
    match (&target.report_url, &target.report_token_env) {
        (Some(_), None) => vec!["report_url needs report_token_env (serve's token)".into()],
        (None, Some(_)) => vec!["report_token_env needs report_url".into()],
        (Some(url), Some(_)) => match super::ensure_http_url(url) {
            Ok(()) => Vec::new(),
            Err(message) => vec![format!("report_{message}")],
        },
        (None, None) => Vec::new(),
    }
}

pub(super) fn kind_name(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::Files => "files",
        TargetKind::Stdout => "stdout",
        TargetKind::Kannel => "kannel",
        TargetKind::Webhook => "webhook",
        TargetKind::Smtp => "smtp",
        TargetKind::Sendmail => "sendmail",
    }
}

/// The keys given that the target's kind would ignore (`security` has a default, so it cannot be
/// told apart from a written one and is not listed).
fn keys_not_used(target: &TargetConfig) -> Vec<&'static str> {
    let used: &[&str] = match target.kind {
        TargetKind::Files => &["dir"],
        TargetKind::Stdout => &[],
        TargetKind::Kannel => &[
            "url",
            "from",
            "username_env",
            "password_env",
            "batch",
            "timeout",
            "report_url",
            "report_token_env",
        ],
        TargetKind::Webhook => &[
            "url",
            "username_env",
            "token_env",
            "timeout",
            "report_url",
            "report_token_env",
        ],
        TargetKind::Smtp => &["host", "port", "username_env", "password_env", "timeout"],
        TargetKind::Sendmail => &["command", "timeout"],
    };
    let given = [
        ("dir", target.dir.is_some()),
        ("url", target.url.is_some()),
        ("from", target.from.is_some()),
        ("username_env", target.username_env.is_some()),
        ("password_env", target.password_env.is_some()),
        ("token_env", target.token_env.is_some()),
        ("host", target.host.is_some()),
        ("port", target.port.is_some()),
        ("command", target.command.is_some()),
        ("batch", target.batch.is_some()),
        ("timeout", target.timeout.is_some()),
        ("report_url", target.report_url.is_some()),
        ("report_token_env", target.report_token_env.is_some()),
    ];
    given
        .into_iter()
        .filter(|(key, is_given)| *is_given && !used.contains(key))
        .map(|(key, _)| key)
        .collect()
}

/// What the target's kind needs.
fn kind_problems(target: &TargetConfig, environment: &Environment) -> Vec<String> {
    let kind = kind_name(target.kind);
    let mut problems = Vec::new();
    let require = |problems: &mut Vec<String>, key: &str, given: bool| {
        if !given {
            problems.push(format!("a {kind} target needs {key}"));
        }
        given
    };
    match target.kind {
        TargetKind::Files => {
            if require(&mut problems, "dir", target.dir.is_some())
                && let Some(dir) = &target.dir
                && let Err(message) = ensure_writable_folder(dir)
            {
                problems.push(format!("dir {}: {message}", dir.display()));
            }
        }
        TargetKind::Stdout => {}
        TargetKind::Kannel | TargetKind::Webhook => {
            if require(&mut problems, "url", target.url.is_some())
                && let Some(Err(message)) = target.url.as_deref().map(ensure_http_url)
            {
                problems.push(message);
            }
            if target.kind == TargetKind::Kannel {
                require(&mut problems, "username_env", target.username_env.is_some());
                require(&mut problems, "password_env", target.password_env.is_some());
                if let Some(Err(message)) = target.from.as_deref().map(ensure_sender) {
                    problems.push(message);
                }
            }
        }
        TargetKind::Smtp => {
            require(
                &mut problems,
                "host",
                target.host.as_deref().is_some_and(|h| !h.trim().is_empty()),
            );
            if target.username_env.is_some() != target.password_env.is_some() {
                problems.push("give both username_env and password_env, or neither".into());
            }
        }
        TargetKind::Sendmail => {
            if let Err(message) = ensure_sendmail(target.command.as_deref(), environment) {
                problems.push(message);
            }
        }
    }
    problems
}

fn limit_problems(target: &TargetConfig) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(rate) = target.rate
        && !(rate.is_finite() && rate > 0.0)
    {
        problems.push("rate must be a number of messages per second above 0".into());
    }
    let counts = [
        ("concurrency", target.concurrency.map(|n| n as u64)),
        ("batch", target.batch.map(|n| n as u64)),
        ("timeout", target.timeout),
    ];
    for (key, value) in counts {
        if value == Some(0) {
            problems.push(format!("{key} must be at least 1"));
        }
    }
    problems
}

/// A Kannel sender: up to 11 letters, digits and spaces, or a number of up to 15 digits.
fn ensure_sender(from: &str) -> Result<(), String> {
    let digits = from.strip_prefix('+').unwrap_or(from);
    let numeric = !digits.is_empty()
        && digits.len() <= MAX_NUMERIC_SENDER
        && digits.bytes().all(|b| b.is_ascii_digit());
    let alphanumeric = !from.trim().is_empty()
        && from.len() <= MAX_ALPHANUMERIC_SENDER
        && from.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ');
    if numeric || alphanumeric {
        Ok(())
    } else {
        Err(format!(
            "from {from:?} is not an SMS sender: up to {MAX_ALPHANUMERIC_SENDER} ASCII letters and digits, or a number of up to {MAX_NUMERIC_SENDER} digits"
        ))
    }
}

/// The sendmail command's program exists and can be run (a bare name is looked up in `PATH`).
fn ensure_sendmail(command: Option<&[String]>, environment: &Environment) -> Result<(), String> {
    let program = match command {
        None => DEFAULT_SENDMAIL,
        Some([]) => return Err("command is empty: give the program and its arguments".into()),
        Some([program, ..]) => program.as_str(),
    };
    match find_program(program, environment.path.as_deref()) {
        Some(_) => Ok(()),
        None if program.contains('/') => Err(format!("command {program}: no such executable file")),
        None => Err(format!("command {program}: not found in PATH")),
    }
}

fn find_program(name: &str, path: Option<&OsStr>) -> Option<PathBuf> {
    if name.contains('/') {
        let program = PathBuf::from(name);
        return is_executable(&program).then_some(program);
    }
    std::env::split_paths(path?)
        .map(|folder| folder.join(name))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// A folder that exists and takes a new file, or can be created (its nearest existing parent
/// takes one). Tried with an unnamed temporary file, so nothing is left behind.
pub(super) fn ensure_writable_folder(dir: &Path) -> Result<(), String> {
    let existing = dir
        .ancestors()
        .find(|ancestor| !ancestor.as_os_str().is_empty() && ancestor.exists())
        .unwrap_or(Path::new("."));
    if !existing.is_dir() {
        return Err(format!("{} is not a folder", existing.display()));
    }
    tempfile::tempfile_in(existing).map(drop).map_err(|error| {
        if existing == dir {
            format!("cannot write in it: {error}")
        } else {
            format!("cannot be created in {}: {error}", existing.display())
        }
    })
}
