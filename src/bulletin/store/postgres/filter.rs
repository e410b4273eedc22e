//! A [`Filter`] as PostgreSQL conditions on the outbox table (aliased `m`), numbered `$n` from
//! where the statement's own parameters end. Values are always bound, never written into the SQL.

use postgres::types::ToSql;

use crate::bulletin::store::Filter;

/// Conditions to append after a `WHERE`, each starting with ` AND`, and their values in order.
#[derive(Debug)]
pub struct Conditions {
    pub sql: String,
    /// The statement's parameters before these.
    before: usize,
    bulletins: Option<Vec<String>>,
    since: Option<i64>,
    statuses: Option<Vec<String>>,
}

impl Conditions {
    /// No conditions yet; the statement already has `before` parameters.
    pub fn new(before: usize) -> Conditions {
        Conditions {
            sql: String::new(),
            before,
            bulletins: None,
            since: None,
            statuses: None,
        }
    }

    /// Adds `filter`'s conditions on `m.bulletin`, `m.slot` and `m.status`.
    pub fn of(&mut self, filter: &Filter) {
        if !filter.bulletins.is_empty() {
            let n = self.next();
            self.sql.push_str(&format!(" AND m.bulletin = ANY(${n})"));
            self.bulletins = Some(filter.bulletins.clone());
        }
        if let Some(since) = filter.since {
            let n = self.next();
            self.sql.push_str(&format!(" AND m.slot >= ${n}"));
            self.since = Some(since.timestamp());
        }
        if !filter.statuses.is_empty() {
            let n = self.next();
            self.sql.push_str(&format!(" AND m.status = ANY(${n})"));
            let names = filter.statuses.iter().map(|s| s.as_str().to_string());
            self.statuses = Some(names.collect());
        }
    }

    /// The next parameter's number.
    fn next(&self) -> usize {
        self.before
            + 1
            + usize::from(self.bulletins.is_some())
            + usize::from(self.since.is_some())
            + usize::from(self.statuses.is_some())
    }

    /// The values, in the order of their numbers.
    pub fn values(&self) -> Vec<&(dyn ToSql + Sync)> {
        let mut values: Vec<&(dyn ToSql + Sync)> = Vec::new();
        if let Some(bulletins) = &self.bulletins {
            values.push(bulletins);
        }
        if let Some(since) = &self.since {
            values.push(since);
        }
        if let Some(statuses) = &self.statuses {
            values.push(statuses);
        }
        values
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulletin::outbox::Status;

    #[test]
    fn every_part_is_numbered_after_the_statement_and_bound() {
        let filter = Filter {
            bulletins: vec!["evening'); DROP TABLE messages; --".into()],
            since: chrono::DateTime::from_timestamp(1_700_000_000, 0),
            statuses: vec![Status::Failed],
        };
        let mut conditions = Conditions::new(1);
        conditions.of(&filter);
        assert_eq!(
            conditions.sql,
            " AND m.bulletin = ANY($2) AND m.slot >= $3 AND m.status = ANY($4)"
        );
        assert_eq!(conditions.values().len(), 3);
        let mut empty = Conditions::new(0);
        empty.of(&Filter::default());
        assert_eq!(empty.sql, "");
    }
}
