//! Phone numbers of SMS subscribers: read with the phonenumber crate (libphonenumber's metadata) in
//! the outlet's region, checked, and written in E.164.
//!
//! phonenumber's own `is_valid` looks each metadata pattern up in a shared regex cache keyed by the
//! pattern's text, so every call hashes patterns hundreds of characters long: for 100,000 numbers
//! that cost more than parsing them. [`PhoneNumbers`] asks the same questions of the same metadata
//! with regexes compiled once per region ([`Rules`]: phonenumber's `source_for` and
//! `number_type` rules, restated), about five times faster; a test checks that it agrees with
//! `is_valid` on every region's example numbers and variants of them.
//!
//! ```text
//! 01712-345678 (region BD)  ->  +8801712345678
//! +44 20 7946 0958          ->  +442079460958
//! 0171 (region BD)          ->  "0171 is not a valid phone number for BD"
//! ```

use std::collections::HashMap;
use std::str::FromStr;

use phonenumber::metadata::{DATABASE, Descriptor, Metadata};
use phonenumber::{PhoneNumber, country};
use regex::{Regex, RegexBuilder};

/// Reads phone numbers in one default region, keeping each region's compiled rules.
pub(super) struct PhoneNumbers {
    /// The region for national numbers, when the outlet names a valid one.
    region: Option<country::Id>,
    /// Rules by region (`BD`; `+800` for a non-geographic code); `None` when a pattern did not
    /// compile, and phonenumber's own check is used.
    rules: HashMap<String, Option<Rules>>,
}

impl PhoneNumbers {
    pub(super) fn new(default_region: Option<&str>) -> PhoneNumbers {
        let region =
            default_region.and_then(|name| country::Id::from_str(&name.to_ascii_uppercase()).ok());
        PhoneNumbers {
            region,
            rules: HashMap::new(),
        }
    }

    /// `text` in E.164, read in the default region unless it starts with `+` (or the region's
    /// international prefix); the error says why not.
    pub(super) fn normalize(&mut self, text: &str) -> Result<String, String> {
        if text.is_empty() {
            return Err("no address".into());
        }
        let international = text.starts_with('+');
        let region = self.region;
        let invalid = || match (international, region) {
            (false, Some(region)) => {
                format!("{text} is not a valid phone number for {}", region.as_ref())
            }
            (false, None) => format!(
                "{text} has no country code (+...) and the bulletin's first source has no valid country"
            ),
            (true, _) => format!("{text} is not a valid phone number"),
        };
        // Letters would be read as a keypad (1-800-FLOWERS); an extension cannot get an SMS.
        if text.chars().any(|c| c.is_alphabetic() || c.is_control()) {
            return Err(invalid());
        }
        let number = phonenumber::parse(region, text).map_err(|_| invalid())?;
        if number.extension().is_some() || !self.is_valid(&number) {
            return Err(invalid());
        }
        // What phonenumber's E.164 formatter writes, without its search for a national format.
        Ok(format!("+{}{}", number.code().value(), number.national()))
    }

    /// phonenumber's `is_valid`, with compiled rules.
    fn is_valid(&mut self, number: &PhoneNumber) -> bool {
        let code = number.code().value();
        let national = number.national().to_string();
        let Some(regions) = DATABASE.region(&code) else {
            return false;
        };
        let (key, meta) = match regions.as_slice() {
            ["001"] => match DATABASE.by_code(&code).and_then(|m| m.into_iter().next()) {
                Some(meta) => (format!("+{code}"), meta),
                None => return false,
            },
            [region] => match DATABASE.by_id(*region) {
                Some(meta) => (region.to_string(), meta),
                None => return false,
            },
            // Several regions share the code (+1, +7, +44): the first whose leading digits match,
            // or, for a region without leading digits, whose patterns know the number.
            _ => {
                let mut found = None;
                for region in &regions {
                    let Some(meta) = DATABASE.by_id(*region) else {
                        return false;
                    };
                    match self.rules(region, meta) {
                        None => return number.is_valid(),
                        Some(rules) if rules.claims(&national) => {
                            found = Some((region.to_string(), meta));
                            break;
                        }
                        Some(_) => {}
                    }
                }
                match found {
                    Some(found) => found,
                    None => return false,
                }
            }
        };
        match self.rules(&key, meta) {
            Some(rules) => rules.knows(&national),
            None => number.is_valid(),
        }
    }

    fn rules(&mut self, key: &str, meta: &Metadata) -> Option<&Rules> {
        if !self.rules.contains_key(key) {
            self.rules.insert(key.to_string(), Rules::new(meta));
        }
        self.rules.get(key).and_then(Option::as_ref)
    }
}

/// One region's patterns, compiled.
struct Rules {
    general: Pattern,
    /// Premium rate, toll free, shared cost, VoIP, personal, pager, UAN, voicemail, fixed line and
    /// mobile: the types phonenumber's `number_type` tries.
    types: Vec<Pattern>,
    leading_digits: Option<Regex>,
}

impl Rules {
    fn new(meta: &Metadata) -> Option<Rules> {
        let d = meta.descriptors();
        let types = [
            d.premium_rate(),
            d.toll_free(),
            d.shared_cost(),
            d.voip(),
            d.personal_number(),
            d.pager(),
            d.uan(),
            d.voicemail(),
            d.fixed_line(),
            d.mobile(),
        ];
        let leading_digits = match meta.leading_digits() {
            Some(pattern) => Some(compile(pattern.as_str())?),
            None => None,
        };
        Some(Rules {
            general: Pattern::new(d.general())?,
            types: types
                .into_iter()
                .flatten()
                .map(Pattern::new)
                .collect::<Option<_>>()?,
            leading_digits,
        })
    }

    /// phonenumber's `number_type(...) != Unknown`.
    fn knows(&self, national: &str) -> bool {
        self.general.is_match(national) && self.types.iter().any(|t| t.is_match(national))
    }

    /// Whether this region is the number's among those sharing its code (`source_for`).
    fn claims(&self, national: &str) -> bool {
        match &self.leading_digits {
            Some(leading) => starts_with_match(leading, national),
            None => self.knows(national),
        }
    }
}

/// A number type's pattern and possible lengths.
struct Pattern {
    regex: Regex,
    lengths: Vec<u16>,
}

impl Pattern {
    fn new(descriptor: &Descriptor) -> Option<Pattern> {
        Some(Pattern {
            regex: compile(descriptor.national_number().as_str())?,
            lengths: descriptor.possible_length().to_vec(),
        })
    }

    /// phonenumber's `Descriptor::is_match`: a possible length, and a match at the start.
    fn is_match(&self, national: &str) -> bool {
        let length_ok = self.lengths.is_empty()
            || u16::try_from(national.len()).is_ok_and(|n| self.lengths.contains(&n));
        length_ok && starts_with_match(&self.regex, national)
    }
}

/// Compiled as phonenumber compiles metadata patterns (whitespace ignored), anchored at the start:
/// phonenumber asks whether the leftmost match starts at 0, which is whether a match starts there,
/// and an anchored search answers that without looking for where matches end.
fn compile(pattern: &str) -> Option<Regex> {
    // The line break ends a `#` comment the pattern might hold before the group is closed.
    RegexBuilder::new(&format!("^(?:{pattern}\n)"))
        .ignore_whitespace(true)
        .build()
        .ok()
}

/// Whether a match starts at the start of `text`.
fn starts_with_match(regex: &Regex, text: &str) -> bool {
    regex.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every region's example numbers, with a digit dropped, added or changed: the compiled rules
    /// say valid exactly when phonenumber's `is_valid` does.
    #[test]
    fn compiled_rules_agree_with_phonenumber() {
        let mut numbers = PhoneNumbers::new(None);
        let (mut checked, mut valid) = (0, 0);
        for code in 1..1000u16 {
            for meta in DATABASE.by_code(&code).unwrap_or_default() {
                let d = meta.descriptors();
                let examples = [Some(d.general()), d.fixed_line(), d.mobile(), d.toll_free()]
                    .into_iter()
                    .flatten()
                    .filter_map(Descriptor::example);
                for example in examples {
                    let variants = [
                        example.to_string(),
                        example[..example.len() - 1].to_string(),
                        format!("{example}7"),
                        format!("1{}", &example[1..]),
                    ];
                    for variant in variants {
                        let text = format!("+{code} {variant}");
                        let Ok(number) = phonenumber::parse(None, &text) else {
                            continue;
                        };
                        let expected = number.is_valid();
                        assert_eq!(numbers.is_valid(&number), expected, "{text}");
                        checked += 1;
                        valid += usize::from(expected);
                    }
                }
            }
        }
        assert!(
            checked > 2_000 && valid > 500,
            "{checked} checked, {valid} valid"
        );
    }
}
