//! A [`Filter`] as SQL: conditions on the outbox table (aliased `m`) with their parameters, for
//! `history` and `retry`. Values are always bound, never written into the SQL.

use rusqlite::types::Value;

use super::seconds;
use crate::bulletin::store::Filter;

/// Conditions to append after a `WHERE`, each starting with ` AND`, and their `?` values in order.
#[derive(Debug, Default)]
pub struct Conditions {
    pub sql: String,
    pub values: Vec<Value>,
}

impl Conditions {
    /// `filter`'s conditions on `m.bulletin`, `m.slot` and `m.status`.
    pub fn of(filter: &Filter) -> Conditions {
        let mut conditions = Conditions::default();
        let bulletins = filter.bulletins.iter().map(|b| Value::Text(b.clone()));
        conditions.one_of("m.bulletin", bulletins.collect());
        if let Some(since) = filter.since {
            conditions.sql.push_str(" AND m.slot >= ?");
            conditions.values.push(Value::Integer(seconds(since)));
        }
        let statuses = filter.statuses.iter();
        conditions.one_of(
            "m.status",
            statuses.map(|s| Value::Text(s.as_str().into())).collect(),
        );
        conditions
    }

    /// `column IN (...)`, unless `values` is empty (no condition).
    pub fn one_of(&mut self, column: &str, values: Vec<Value>) {
        if values.is_empty() {
            return;
        }
        let marks = vec!["?"; values.len()].join(", ");
        self.sql.push_str(&format!(" AND {column} IN ({marks})"));
        self.values.extend(values);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulletin::outbox::Status;
    use chrono::DateTime;

    #[test]
    fn an_empty_filter_adds_nothing() {
        let conditions = Conditions::of(&Filter::default());
        assert_eq!(conditions.sql, "");
        assert!(conditions.values.is_empty());
    }

    #[test]
    fn every_part_is_bound_in_order() {
        let filter = Filter {
            bulletins: vec![
                "morning".into(),
                "evening'); DROP TABLE messages; --".into(),
            ],
            since: DateTime::from_timestamp(1_700_000_000, 0),
            statuses: vec![Status::Failed],
        };
        let conditions = Conditions::of(&filter);
        assert_eq!(
            conditions.sql,
            " AND m.bulletin IN (?, ?) AND m.slot >= ? AND m.status IN (?)"
        );
        assert_eq!(conditions.values.len(), 4);
        assert_eq!(conditions.values[2], Value::Integer(1_700_000_000));
        assert_eq!(conditions.values[3], Value::Text("failed".into()));
    }
}
