//! Where gateways send delivery reports: `newsdigest serve`, as a target's `report_url` and
//! `report_token_env` name it. Owns [`Reports`] (the URLs a Kannel part or a webhook message
//! carries) and the rule for a token that can travel in those URLs.

use super::{secret, target_error};
use crate::bulletin::config::TargetConfig;
use crate::error::Result;

/// `newsdigest serve` as a gateway reaches it, and the token each report carries.
#[derive(Clone)]
pub struct Reports {
    /// `http://127.0.0.1:8088` (no path: each gateway's is added).
    pub url: String,
    /// Letters, digits and `-._~` only ([`is_url_safe_token`]).
    pub token: String,
}

impl Reports {
    /// Kannel's `dlr-url` for part `part` (from 1) of message `message`; Kannel fills in `%p`
    /// (the recipient), `%d` (the report type) and `%A` (the SMSC's words).
    pub fn kannel_dlr_url(&self, message: i64, part: usize) -> String {
        format!(
            "{}/kannel/dlr?token={}&msg={message}&part={part}&to=%p&type=%d&reply=%A",
            self.base(),
            self.token
        )
    }

    /// Where a webhook posts its JSON status callbacks.
    pub fn webhook_status_url(&self) -> String {
        format!("{}/webhook/status?token={}", self.base(), self.token)
    }

    fn base(&self) -> &str {
        self.url.trim_end_matches('/')
    }
}

/// Whether `token` can travel in a URL as it is (Kannel reads `%` in a `dlr-url` as a
/// placeholder) and is long enough not to be guessed: at least 16 of letters, digits and `-._~`.
pub fn is_url_safe_token(token: &str) -> bool {
    token.len() >= 16
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// The target's reports, if it asks for them: `report_url` and `report_token_env` go together,
/// and the variable must hold a URL-safe token.
pub fn of(target: &TargetConfig) -> Result<Option<Reports>> {
    match (&target.report_url, &target.report_token_env) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(target_error(
            target,
            "report_url needs report_token_env (the variable with serve's token)",
        )),
        (None, Some(_)) => Err(target_error(target, "report_token_env needs report_url")),
        (Some(url), Some(variable)) => {
            let token = secret(target, "report_token_env", Some(variable))?.unwrap_or_default();
            if !is_url_safe_token(&token) {
                return Err(target_error(
                    target,
                    format!(
                        "the token in {variable} (report_token_env) must be at least 16 letters, \
                         digits or -._~"
                    ),
                ));
            }
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(target_error(
                    target,
                    "report_url must be an http:// or https:// URL",
                ));
            }
            Ok(Some(Reports {
                url: url.clone(),
                token,
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulletin::deliver::tests::target;

    #[test]
    fn tokens_must_be_url_safe_and_long() {
        assert!(is_url_safe_token("t0ken-0123456789abc"));
        assert!(!is_url_safe_token("short"));
        assert!(!is_url_safe_token("has%percent-0123456789"));
        assert!(!is_url_safe_token("has space 0123456789"));
        assert!(!is_url_safe_token("has&amp-0123456789"));
    }

    #[test]
    fn url_and_token_go_together() {
        let error = |keys: &str| of(&target(keys)).err().unwrap().to_string();
        assert!(
            error("kind = \"kannel\"\nreport_url = \"http://x\"")
                .contains("needs report_token_env")
        );
        assert!(
            error("kind = \"kannel\"\nreport_token_env = \"PATH\"").contains("needs report_url")
        );
        assert!(of(&target("kind = \"kannel\"")).unwrap().is_none());
        let reports = Reports {
            url: "http://127.0.0.1:8088/".into(),
            token: "t0ken-0123456789abc".into(),
        };
        assert_eq!(
            reports.webhook_status_url(),
            "http://127.0.0.1:8088/webhook/status?token=t0ken-0123456789abc"
        );
    }
}
