//! The `Condition` block of a policy statement: operators over the request's context keys. The
//! keys odpsh's requests carry are `acs:SourceIp`, `acs:CurrentTime`, `acs:MFAPresent` and
//! `acs:SecureTransport`; a condition on a key the request lacks does not hold.

use std::net::Ipv4Addr;

use serde_json::Value;

use super::clock::parse_iso8601;
use super::policy_document::wildcard;

/// What a request carries for conditions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    /// The caller's address, when the request came over a network.
    pub source_ip: Option<Ipv4Addr>,
    /// Seconds since the Unix epoch on the world's clock.
    pub current_time: u64,
    /// Whether the caller logged on with MFA (AccessKey calls never did).
    pub mfa_present: bool,
    /// Whether the request came over HTTPS.
    pub secure_transport: bool,
    /// What kind of MaxCompute work moves data (`odps:TaskType`: `SQL`, `DT` for Tunnel), when
    /// an exception policy is asked.
    pub task_type: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    IpAddress,
    NotIpAddress,
}

impl Operator {
    const ALL: [(&'static str, Operator); 21] = [
        ("StringEquals", Operator::StringEquals),
        ("StringNotEquals", Operator::StringNotEquals),
        ("StringEqualsIgnoreCase", Operator::StringEqualsIgnoreCase),
        (
            "StringNotEqualsIgnoreCase",
            Operator::StringNotEqualsIgnoreCase,
        ),
        ("StringLike", Operator::StringLike),
        ("StringNotLike", Operator::StringNotLike),
        ("NumericEquals", Operator::NumericEquals),
        ("NumericNotEquals", Operator::NumericNotEquals),
        ("NumericLessThan", Operator::NumericLessThan),
        ("NumericLessThanEquals", Operator::NumericLessThanEquals),
        ("NumericGreaterThan", Operator::NumericGreaterThan),
        (
            "NumericGreaterThanEquals",
            Operator::NumericGreaterThanEquals,
        ),
        ("DateEquals", Operator::DateEquals),
        ("DateNotEquals", Operator::DateNotEquals),
        ("DateLessThan", Operator::DateLessThan),
        ("DateLessThanEquals", Operator::DateLessThanEquals),
        ("DateGreaterThan", Operator::DateGreaterThan),
        ("DateGreaterThanEquals", Operator::DateGreaterThanEquals),
        ("Bool", Operator::Bool),
        ("IpAddress", Operator::IpAddress),
        ("NotIpAddress", Operator::NotIpAddress),
    ];

    pub fn named(name: &str) -> Option<Operator> {
        Operator::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, o)| *o)
    }

    /// Whether a value of the operator's kind can be `text`.
    fn takes(self, text: &str) -> bool {
        use Operator::*;
        match self {
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => text.parse::<f64>().is_ok(),
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => parse_iso8601(text).is_some(),
            Bool => text == "true" || text == "false",
            IpAddress | NotIpAddress => Cidr::parse(text).is_some(),
            _ => true,
        }
    }
}

/// An IPv4 network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cidr {
    network: u32,
    bits: u32,
}

impl Cidr {
    fn parse(text: &str) -> Option<Cidr> {
        let (address, bits) = match text.split_once('/') {
            Some((a, b)) => (a, b.parse::<u32>().ok().filter(|b| *b <= 32)?),
            None => (text, 32),
        };
        let address: Ipv4Addr = address.parse().ok()?;
        Some(Cidr {
            network: u32::from(address),
            bits,
        })
    }

    fn contains(self, ip: Ipv4Addr) -> bool {
        let mask = u32::MAX.checked_shl(32 - self.bits).unwrap_or(0);
        u32::from(ip) & mask == self.network & mask
    }
}

/// One operator on one key, with its values (any of them may match).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub operator: Operator,
    pub key: String,
    pub values: Vec<String>,
}

/// A condition value: a string, number or boolean, or a list of them, as text.
fn values(v: &Value) -> Option<Vec<String>> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match v {
        Value::Array(items) if !items.is_empty() => items.iter().map(one).collect(),
        other => one(other).map(|s| vec![s]),
    }
}

/// A `Condition` block: `{"<Operator>": {"<key>": <values>}, …}`; `None` when malformed.
pub fn parse(v: &Value) -> Option<Vec<Condition>> {
    let mut out = Vec::new();
    for (name, keys) in v.as_object()? {
        let operator = Operator::named(name)?;
        for (key, vs) in keys.as_object()? {
            let values = values(vs)?;
            if !values.iter().all(|t| operator.takes(t)) {
                return None;
            }
            out.push(Condition {
                operator,
                key: key.clone(),
                values,
            });
        }
    }
    Some(out)
}

/// A context key's value, as text.
fn context_value(context: &RequestContext, key: &str) -> Option<String> {
    match key.to_ascii_lowercase().as_str() {
        "acs:sourceip" => context.source_ip.map(|ip| ip.to_string()),
        "acs:currenttime" => Some(super::clock::iso8601(context.current_time)),
        "acs:mfapresent" => Some(context.mfa_present.to_string()),
        "acs:securetransport" => Some(context.secure_transport.to_string()),
        "odps:tasktype" => context.task_type.map(str::to_string),
        _ => None,
    }
}

impl Condition {
    /// A condition of operator `operator` (as RAM spells it) on `key`, when the operator is one
    /// RAM has.
    pub fn new(operator: &str, key: &str, values: &[String]) -> Option<Condition> {
        Some(Condition {
            operator: Operator::named(operator)?,
            key: key.to_string(),
            values: values.to_vec(),
        })
    }

    pub fn holds(&self, context: &RequestContext) -> bool {
        use Operator::*;
        let Some(actual) = context_value(context, &self.key) else {
            return false;
        };
        let any = |f: &dyn Fn(&str) -> bool| self.values.iter().any(|v| f(v));
        let number = |t: &str| t.parse::<f64>().ok();
        let date = |t: &str| parse_iso8601(t);
        let compare_numbers = |f: fn(f64, f64) -> bool| {
            number(&actual).is_some_and(|a| any(&|v| number(v).is_some_and(|v| f(a, v))))
        };
        let compare_dates = |f: fn(u64, u64) -> bool| {
            date(&actual).is_some_and(|a| any(&|v| date(v).is_some_and(|v| f(a, v))))
        };
        let ip = actual.parse::<Ipv4Addr>().ok();
        let in_network =
            |v: &str| ip.is_some_and(|ip| Cidr::parse(v).is_some_and(|c| c.contains(ip)));
        match self.operator {
            StringEquals => any(&|v| v == actual),
            StringNotEquals => !any(&|v| v == actual),
            StringEqualsIgnoreCase => any(&|v| v.eq_ignore_ascii_case(&actual)),
            StringNotEqualsIgnoreCase => !any(&|v| v.eq_ignore_ascii_case(&actual)),
            StringLike => any(&|v| wildcard(v, &actual)),
            StringNotLike => !any(&|v| wildcard(v, &actual)),
            NumericEquals => compare_numbers(|a, v| a == v),
            NumericNotEquals => !compare_numbers(|a, v| a == v),
            NumericLessThan => compare_numbers(|a, v| a < v),
            NumericLessThanEquals => compare_numbers(|a, v| a <= v),
            NumericGreaterThan => compare_numbers(|a, v| a > v),
            NumericGreaterThanEquals => compare_numbers(|a, v| a >= v),
            DateEquals => compare_dates(|a, v| a == v),
            DateNotEquals => !compare_dates(|a, v| a == v),
            DateLessThan => compare_dates(|a, v| a < v),
            DateLessThanEquals => compare_dates(|a, v| a <= v),
            DateGreaterThan => compare_dates(|a, v| a > v),
            DateGreaterThanEquals => compare_dates(|a, v| a >= v),
            Bool => any(&|v| v.eq_ignore_ascii_case(&actual)),
            IpAddress => any(&in_network),
            NotIpAddress => ip.is_some() && !any(&in_network),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn holds(block: Value, context: &RequestContext) -> bool {
        parse(&block).unwrap().iter().all(|c| c.holds(context))
    }

    #[test]
    fn the_listed_keys() {
        let context = RequestContext {
            source_ip: Some(Ipv4Addr::new(10, 1, 2, 3)),
            current_time: 1_767_225_600,
            mfa_present: false,
            secure_transport: true,
            task_type: None,
        };
        assert!(holds(
            json!({"IpAddress": {"acs:SourceIp": ["10.0.0.0/8"]}}),
            &context
        ));
        assert!(!holds(
            json!({"IpAddress": {"acs:SourceIp": "192.168.0.0/16"}}),
            &context
        ));
        assert!(holds(
            json!({"NotIpAddress": {"acs:SourceIp": "192.168.0.0/16"}}),
            &context
        ));
        assert!(holds(
            json!({"DateLessThan": {"acs:CurrentTime": "2026-06-01T00:00:00Z"}}),
            &context
        ));
        assert!(!holds(
            json!({"DateGreaterThan": {"acs:CurrentTime": "2026-06-01T00:00:00Z"}}),
            &context
        ));
        assert!(!holds(
            json!({"Bool": {"acs:MFAPresent": "true"}}),
            &context
        ));
        assert!(holds(
            json!({"Bool": {"acs:SecureTransport": true}}),
            &context
        ));
        assert!(!holds(
            json!({"StringEquals": {"acs:Unknown": "x"}}),
            &context
        ));
        let local = RequestContext::default();
        assert!(!holds(
            json!({"NotIpAddress": {"acs:SourceIp": "10.0.0.0/8"}}),
            &local
        ));
    }

    #[test]
    fn malformed_blocks_are_refused() {
        assert!(parse(&json!({"Bogus": {"acs:SourceIp": "1.2.3.4"}})).is_none());
        assert!(parse(&json!({"IpAddress": {"acs:SourceIp": "not an ip"}})).is_none());
        assert!(parse(&json!({"Bool": {"acs:MFAPresent": "yes"}})).is_none());
        assert!(parse(&json!({"DateLessThan": {"acs:CurrentTime": "soon"}})).is_none());
        assert!(parse(&json!(["x"])).is_none());
    }
}
