//! The filters and pages of the list routes (`/projects`, `/tables`, `/resources`,
//! `/registration/functions`, `/instances`), read from the query parameters the clients send
//! (`name`, `owner`, `type`, `maxitems`, `marker`; for instances `status`, `onlyowner`,
//! `daterange`). A filter odpsh cannot honour is refused, never ignored, so that no list is
//! silently longer than the one asked for.

use std::collections::BTreeMap;

use super::errors::{ServerError, Unserved};

/// The page size when the client names none.
pub const DEFAULT_MAX_ITEMS: usize = 1000;

/// What a list asks for, and which page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// `name`: names that start with this (case-insensitively).
    pub prefix: Option<String>,
    /// `owner`: objects whose owner has this display name.
    pub owner: Option<String>,
    /// `type`: a table type (`MANAGED_TABLE`, `VIRTUAL_VIEW`, …).
    pub kind: Option<String>,
    /// `user`: projects where this display name is a member.
    pub user: Option<String>,
    /// `maxitems`.
    pub max_items: Option<usize>,
    /// `marker`: the page after this key (the previous page's `<Marker>`).
    pub marker: Option<String>,
}

fn invalid(name: &str, value: &str, expected: &str) -> ServerError {
    ServerError::InvalidQuery(format!("{name} is '{value}', not {expected}"))
}

fn given<'p>(params: &'p BTreeMap<String, String>, name: &str) -> Option<&'p str> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

/// Refuses the first of `names` the request sets (filters odpsh cannot honour).
pub fn refuse_filters(
    params: &BTreeMap<String, String>,
    names: &[&str],
    method: &str,
    path: &str,
) -> Result<(), ServerError> {
    match names.iter().find(|n| given(params, n).is_some()) {
        Some(name) => Err(ServerError::NotServed {
            method: method.to_string(),
            path: path.to_string(),
            what: Unserved::Filter((*name).to_string()),
        }),
        None => Ok(()),
    }
}

impl Listing {
    pub fn from_params(params: &BTreeMap<String, String>) -> Result<Self, ServerError> {
        let max_items = match given(params, "maxitems") {
            None => None,
            Some(v) => match v.parse::<usize>() {
                Ok(n) if n > 0 => Some(n),
                _ => return Err(invalid("maxitems", v, "a positive number")),
            },
        };
        Ok(Listing {
            prefix: given(params, "name").map(str::to_string),
            owner: given(params, "owner").map(str::to_string),
            kind: given(params, "type").map(str::to_string),
            user: given(params, "user").map(str::to_string),
            max_items,
            marker: given(params, "marker").map(str::to_string),
        })
    }

    /// Whether an object of this name and owner is asked for.
    pub fn admits(&self, name: &str, owner: &str) -> bool {
        let prefix = self.prefix.as_deref().is_none_or(|p| {
            name.to_ascii_lowercase()
                .starts_with(&p.to_ascii_lowercase())
        });
        let owner = self
            .owner
            .as_deref()
            .is_none_or(|o| o.eq_ignore_ascii_case(owner));
        prefix && owner
    }

    pub fn page_size(&self) -> usize {
        self.max_items.unwrap_or(DEFAULT_MAX_ITEMS)
    }

    /// The page of `items` (keyed, in key order) after the marker, and the next page's marker
    /// (empty when this page is the last).
    pub fn page<T>(&self, items: Vec<(String, T)>) -> (Vec<T>, String) {
        let size = self.page_size();
        let mut after = items
            .into_iter()
            .filter(|(key, _)| self.marker.as_deref().is_none_or(|m| key.as_str() > m));
        let mut page = Vec::new();
        let mut last = String::new();
        for (key, item) in after.by_ref().take(size) {
            last = key;
            page.push(item);
        }
        let marker = if after.next().is_some() {
            last
        } else {
            String::new()
        };
        (page, marker)
    }
}

/// The filters of `/instances`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstanceFilter {
    /// `status`: `Running`, `Suspended` or `Terminated` (the instances odpsh keeps have all
    /// terminated).
    pub status: Option<&'static str>,
    /// `onlyowner=yes`: the caller's instances only.
    pub only_owner: bool,
    /// `daterange=<from>:<to>`, seconds since the epoch, either side open.
    pub from: Option<u64>,
    pub to: Option<u64>,
}

pub const INSTANCE_STATUSES: [&str; 3] = ["Running", "Suspended", "Terminated"];

impl InstanceFilter {
    pub fn from_params(params: &BTreeMap<String, String>) -> Result<Self, ServerError> {
        let status = match given(params, "status") {
            None => None,
            Some(v) => Some(
                INSTANCE_STATUSES
                    .into_iter()
                    .find(|s| s.eq_ignore_ascii_case(v))
                    .ok_or_else(|| invalid("status", v, "Running, Suspended or Terminated"))?,
            ),
        };
        let only_owner = match given(params, "onlyowner") {
            None => false,
            Some(v) if v.eq_ignore_ascii_case("yes") => true,
            Some(v) if v.eq_ignore_ascii_case("no") => false,
            Some(v) => return Err(invalid("onlyowner", v, "yes or no")),
        };
        let (from, to) = match given(params, "daterange") {
            None => (None, None),
            Some(range) => {
                let (from, to) = range
                    .split_once(':')
                    .ok_or_else(|| invalid("daterange", range, "<from>:<to>"))?;
                let bound = |text: &str| -> Result<Option<u64>, ServerError> {
                    let text = text.trim();
                    if text.is_empty() {
                        return Ok(None);
                    }
                    text.parse()
                        .map(Some)
                        .map_err(|_| invalid("daterange", range, "<from>:<to> in seconds"))
                };
                (bound(from)?, bound(to)?)
            }
        };
        Ok(InstanceFilter {
            status,
            only_owner,
            from,
            to,
        })
    }

    /// Whether a terminated instance started at `started`, of the caller or not, is asked for.
    pub fn admits(&self, started: u64, callers: bool) -> bool {
        self.status.is_none_or(|s| s == "Terminated")
            && (callers || !self.only_owner)
            && self.from.is_none_or(|f| started >= f)
            && self.to.is_none_or(|t| started <= t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn filters_and_pages() {
        let listing = Listing::from_params(&params(&[("name", "Sa"), ("maxitems", "2")])).unwrap();
        assert!(listing.admits("sales", "ALIYUN$M"));
        assert!(!listing.admits("orders", "ALIYUN$M"));
        let items: Vec<(String, u8)> = ["sa1", "sa2", "sa3"]
            .iter()
            .enumerate()
            .map(|(i, k)| (k.to_string(), i as u8))
            .collect();
        assert_eq!(listing.page(items.clone()), (vec![0, 1], "sa2".to_string()));
        let next = Listing {
            marker: Some("sa2".into()),
            ..listing.clone()
        };
        assert_eq!(next.page(items.clone()), (vec![2], String::new()));
        assert_eq!(
            Listing::default().page(items),
            (vec![0, 1, 2], String::new())
        );
        let owner = Listing::from_params(&params(&[("owner", "aliyun$m")])).unwrap();
        assert!(owner.admits("x", "ALIYUN$M") && !owner.admits("x", "RAM$M:a"));
        assert_eq!(
            Listing::from_params(&params(&[("maxitems", "0")]))
                .unwrap_err()
                .to_string(),
            "ODPS-0420411:Invalid argument - maxitems is '0', not a positive number"
        );
        let refused = refuse_filters(
            &params(&[("group", "g")]),
            &["group"],
            "GET",
            "/api/projects",
        );
        assert_eq!(
            refused.unwrap_err().to_string(),
            "odpsh serve does not simulate the list filter 'group': GET /api/projects"
        );
        assert!(refuse_filters(&params(&[("group", "")]), &["group"], "GET", "/").is_ok());
    }

    #[test]
    fn instance_filters() {
        let f = InstanceFilter::from_params(&params(&[
            ("status", "terminated"),
            ("onlyowner", "yes"),
            ("daterange", "10:"),
        ]))
        .unwrap();
        assert!(f.admits(10, true));
        assert!(!f.admits(9, true) && !f.admits(10, false));
        let running = InstanceFilter::from_params(&params(&[("status", "Running")])).unwrap();
        assert!(!running.admits(10, true));
        for (name, value, message) in [
            (
                "status",
                "Done",
                "ODPS-0420411:Invalid argument - status is 'Done', not Running, Suspended or Terminated",
            ),
            (
                "onlyowner",
                "maybe",
                "ODPS-0420411:Invalid argument - onlyowner is 'maybe', not yes or no",
            ),
            (
                "daterange",
                "x:1",
                "ODPS-0420411:Invalid argument - daterange is 'x:1', not <from>:<to> in seconds",
            ),
            (
                "daterange",
                "5",
                "ODPS-0420411:Invalid argument - daterange is '5', not <from>:<to>",
            ),
        ] {
            let e = InstanceFilter::from_params(&params(&[(name, value)])).unwrap_err();
            assert_eq!(e.to_string(), message);
        }
    }
}
