//! The order of the services and backups tables (k9s-style: shift+N name, shift+A age, shift+T
//! tier, shift+R region, shift+S size; the same key again reverses) and whether expired backups
//! are shown (`x`). Backups stay grouped by account and container; the order applies within
//! each group. Pure.

use std::cmp::Ordering;

use super::catalog::newest_first;
use crate::domain::backup::BackupEntry;
use crate::domain::service::ServiceSummary;

/// A column to sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// The service's or the blob's name.
    Name,
    /// Newest first: the backup's own time, or a service's newest backup.
    #[default]
    Age,
    /// The tier.
    Tier,
    /// The region.
    Region,
    /// Largest first (backups only).
    Size,
}

impl SortKey {
    /// The word in a pane title ("by age").
    pub fn word(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Age => "age",
            Self::Tier => "tier",
            Self::Region => "region",
            Self::Size => "size",
        }
    }
}

/// One table's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// The column.
    pub key: SortKey,
    /// Reversed (the key pressed again).
    pub reverse: bool,
}

impl Sort {
    /// Sorted by `key`, not reversed.
    pub const fn by(key: SortKey) -> Self {
        Self {
            key,
            reverse: false,
        }
    }

    /// After a press of `key`: the same key reverses, another starts over.
    #[must_use]
    pub fn pressed(self, key: SortKey) -> Self {
        if self.key == key {
            Self {
                key,
                reverse: !self.reverse,
            }
        } else {
            Self::by(key)
        }
    }

    /// "by age ↑" for a pane title, or nothing for `default`.
    pub fn title(self, default: Self) -> String {
        if self == default {
            return String::new();
        }
        let arrow = if self.reverse { " ↑" } else { "" };
        format!(" · by {}{arrow}", self.key.word())
    }

    fn apply(self, o: Ordering) -> Ordering {
        if self.reverse { o.reverse() } else { o }
    }

    /// Orders two services; `newest` gives each one's newest backup.
    pub fn services<'a>(
        self,
        a: (&ServiceSummary, Option<&'a BackupEntry>),
        b: (&ServiceSummary, Option<&'a BackupEntry>),
    ) -> Ordering {
        let by_name = a.0.name.cmp(&b.0.name);
        let o = match self.key {
            SortKey::Name | SortKey::Size => by_name,
            SortKey::Tier => lower(a.0.sku.as_str()).cmp(&lower(b.0.sku.as_str())),
            SortKey::Region => lower(&a.0.location).cmp(&lower(&b.0.location)),
            // Services without a backup come last.
            SortKey::Age => match (a.1, b.1) {
                (Some(x), Some(y)) => newest_first(x, y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
        };
        self.apply(o.then(by_name))
    }

    /// Orders two backups of one group.
    pub fn backups(self, a: &BackupEntry, b: &BackupEntry) -> Ordering {
        let c = (&a.catalog, &b.catalog);
        let o = match self.key {
            SortKey::Name => a.name.cmp(&b.name),
            SortKey::Age => newest_first(a, b),
            SortKey::Size => b.size_bytes.cmp(&a.size_bytes),
            SortKey::Tier => {
                c.0.source_sku
                    .as_ref()
                    .map(|s| lower(s.as_str()))
                    .cmp(&c.1.source_sku.as_ref().map(|s| lower(s.as_str())))
            }
            SortKey::Region => {
                c.0.source_location
                    .as_deref()
                    .map(lower)
                    .cmp(&c.1.source_location.as_deref().map(lower))
            }
        };
        self.apply(o.then_with(|| newest_first(a, b)))
    }
}

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

/// The services table's and the backups table's order, and whether expired backups show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order {
    /// The services table.
    pub services: Sort,
    /// The backups table (within each account and container).
    pub backups: Sort,
    /// Expired backups are left out of the Backups screen.
    pub hide_expired: bool,
}

impl Order {
    /// Services by name, backups newest first, expired backups shown.
    pub const DEFAULT: Self = Self {
        services: Sort::by(SortKey::Name),
        backups: Sort::by(SortKey::Age),
        hide_expired: false,
    };
}

impl Default for Order {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_key_reverses_and_another_starts_over() {
        let s = Sort::by(SortKey::Name);
        assert_eq!(
            s.pressed(SortKey::Name),
            Sort {
                key: SortKey::Name,
                reverse: true
            }
        );
        assert_eq!(s.pressed(SortKey::Name).pressed(SortKey::Name), s);
        assert_eq!(s.pressed(SortKey::Age), Sort::by(SortKey::Age));
        assert_eq!(s.pressed(SortKey::Age).title(s), " · by age");
        assert_eq!(s.pressed(SortKey::Name).title(s), " · by name ↑");
    }
}
