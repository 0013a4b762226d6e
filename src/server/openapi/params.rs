//! The parameters of an RPC call as the SDKs send them: the query string and, for
//! `application/x-www-form-urlencoded`, the body (`+` is a blank in both, as in forms), each
//! name given once; the RFC 3986 encoding both signatures canonicalize with; and the ISO 8601
//! UTC times of `Timestamp` and `x-acs-date`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use super::errors::OpenApiError;

/// What RFC 3986 leaves unencoded: letters, digits and `-_.~` (a blank is `%20`, `*` is `%2A`).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `text` percent-encoded as both signatures canonicalize it.
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

/// One component of a query or form: `+` is a blank, then percent-decoded (bytes that are not
/// UTF-8 become U+FFFD, so a signature over them does not match).
pub fn decode(component: &str) -> String {
    let blanks = component.replace('+', " ");
    percent_decode_str(&blanks).decode_utf8_lossy().into_owned()
}

/// `name=value&…` decoded, in order; a name without `=` has the empty value.
fn pairs(text: &str) -> impl Iterator<Item = (String, String)> + '_ {
    text.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(name), decode(value))
    })
}

/// The parameters of one call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    /// From the query string, in order (ACS3 signs only these).
    pub query: Vec<(String, String)>,
    /// From a form body, in order.
    pub form: Vec<(String, String)>,
}

impl Params {
    /// The query's and the form body's parameters; a name given twice is refused.
    pub fn parse(query: Option<&str>, form: Option<&[u8]>) -> Result<Params, OpenApiError> {
        let query: Vec<_> = query.map(|q| pairs(q).collect()).unwrap_or_default();
        let form_text = form.map(String::from_utf8_lossy);
        let form: Vec<_> = form_text
            .as_deref()
            .map(|f| pairs(f).collect())
            .unwrap_or_default();
        let params = Params { query, form };
        let mut seen = std::collections::HashSet::new();
        for (name, _) in params.iter() {
            if !seen.insert(name) {
                return Err(OpenApiError::DuplicateParameter(name.to_string()));
            }
        }
        Ok(params)
    }

    /// Every parameter, the query's first.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query
            .iter()
            .chain(&self.form)
            .map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The value of `name`, wherever it was given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The value of `name` when it is given and not empty.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }
}

/// `name=value` pairs RFC 3986-encoded, sorted by name (then value) and joined with `&`, as both
/// signatures canonicalize a query.
pub fn canonical_query<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut sorted: Vec<(&str, &str)> = pairs.collect();
    sorted.sort_unstable();
    let mut out = String::new();
    for (i, (name, value)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&encode(name));
        out.push('=');
        out.push_str(&encode(value));
    }
    out
}

/// `YYYY-MM-DDThh:mm:ssZ` (fractions of a second allowed), UTC, as `Timestamp` and
/// `x-acs-date` carry it.
pub fn parse_utc(text: &str) -> Option<SystemTime> {
    let secs = crate::world::clock::parse_iso8601(text)?;
    UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::clock::iso8601;

    #[test]
    fn encodes_as_rfc_3986() {
        assert_eq!(encode("Alice L."), "Alice%20L.");
        assert_eq!(encode("a*b~c+d/e=f&"), "a%2Ab~c%2Bd%2Fe%3Df%26");
        assert_eq!(encode("中"), "%E4%B8%AD");
    }

    #[test]
    fn parses_query_and_form() {
        let p = Params::parse(
            Some("DisplayName=Alice+L.&UserName=alice&Empty&x=%2B%20"),
            Some(b"Comments=a%20b"),
        )
        .unwrap();
        assert_eq!(p.get("DisplayName"), Some("Alice L."));
        assert_eq!(p.get("Empty"), Some(""));
        assert_eq!(p.non_empty("Empty"), None);
        assert_eq!(p.get("x"), Some("+ "));
        assert_eq!(p.get("Comments"), Some("a b"));
        assert_eq!(p.query.len(), 4);
        assert_eq!(
            Params::parse(Some("A=1&A=2"), None),
            Err(OpenApiError::DuplicateParameter("A".into()))
        );
        assert_eq!(
            Params::parse(Some("A=1"), Some(b"A=2")),
            Err(OpenApiError::DuplicateParameter("A".into()))
        );
    }

    #[test]
    fn canonical_query_sorts_and_encodes() {
        let pairs = [("b", "x y"), ("a", ""), ("C", "*")];
        assert_eq!(canonical_query(pairs.iter().copied()), "C=%2A&a=&b=x%20y");
    }

    #[test]
    fn parses_utc_times() {
        for secs in [0u64, 951_782_400, 1_785_823_200, 4_102_444_799] {
            let text = iso8601(secs);
            assert_eq!(
                parse_utc(&text),
                Some(UNIX_EPOCH + Duration::from_secs(secs)),
                "{text}"
            );
        }
        assert_eq!(
            parse_utc("2026-08-04T06:00:00.123Z"),
            parse_utc("2026-08-04T06:00:00Z")
        );
        for bad in [
            "",
            "2026-08-04 06:00:00Z",
            "2026-08-04T06:00:00",
            "2026-13-04T06:00:00Z",
            "2026-8-4T6:00:00Z",
            "2026-08-04T06:00:00.xZ",
            "+026-08-04T06:00:00Z",
            "1969-12-31T23:59:59Z",
            "2026-08-04T06:00:00+08:00",
        ] {
            assert_eq!(parse_utc(bad), None, "{bad}");
        }
    }
}
