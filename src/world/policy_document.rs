//! RAM policy documents: what a document must look like (`Version` "1", a `Statement` list of
//! `Effect` Allow/Deny, `Action`/`NotAction`, `Resource`/`NotResource`, `Condition`), and what
//! it says about one request. A request is allowed when some statement allows it and none
//! denies it: an explicit Deny wins, and nothing is allowed by default. Actions and resources
//! match with the wildcards `*` (any run of characters) and `?` (one), case-insensitively.

use serde_json::Value;

use super::policy_condition::{Condition, RequestContext};

/// At most this many characters in a document.
pub const DOCUMENT_LIMIT: usize = 2048;

/// What is wrong with a document (the engine names each with the service's error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentProblem {
    Length,
    NotJson,
    Version,
    Statement,
    Effect,
    Action,
    Resource,
    Condition,
    /// An element a statement may not hold, or one it lacks.
    Element,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// Patterns a value is matched against; `negated` for `NotAction`/`NotResource`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patterns {
    pub patterns: Vec<String>,
    pub negated: bool,
}

impl Patterns {
    pub fn matches(&self, value: &str) -> bool {
        self.patterns.iter().any(|p| wildcard(p, value)) != self.negated
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub effect: Effect,
    pub actions: Patterns,
    pub resources: Patterns,
    pub conditions: Vec<Condition>,
}

/// A document, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument {
    pub statements: Vec<Statement>,
}

/// One request, as policies see it: its action (`ram:CreateUser`), its resource
/// (`acs:ram:*:<account>:user/<name>`) and its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request<'a> {
    pub action: &'a str,
    pub resource: &'a str,
    pub context: &'a RequestContext,
}

/// What the documents in force say about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// No statement matched: denied by default.
    NotAllowed,
    Allowed,
    /// A statement denies it.
    Denied,
}

/// `pattern` (with `*` and `?`) matches all of `value`, ignoring case.
pub fn wildcard(pattern: &str, value: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let v: Vec<char> = value.to_lowercase().chars().collect();
    let (mut pi, mut vi) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while vi < v.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, vi));
                pi += 1;
            }
            Some(c) if *c == '?' || *c == v[vi] => {
                pi += 1;
                vi += 1;
            }
            _ => match star {
                Some((sp, sv)) => {
                    pi = sp + 1;
                    vi = sv + 1;
                    star = Some((sp, sv + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// A string or a list of strings.
fn strings(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => None,
    }
}

fn valid_action(a: &str) -> bool {
    a == "*"
        || a.split_once(':').is_some_and(|(service, action)| {
            !service.is_empty()
                && !action.is_empty()
                && service
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '*')
                && action
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '?')
        })
}

fn valid_resource(r: &str) -> bool {
    r == "*" || (r.starts_with("acs:") && r.split(':').count() >= 5)
}

/// The patterns of `positive` or `negative` (one of them, not both).
fn patterns(
    object: &serde_json::Map<String, Value>,
    positive: &str,
    negative: &str,
    valid: fn(&str) -> bool,
    problem: DocumentProblem,
) -> Result<Patterns, DocumentProblem> {
    let (value, negated) = match (object.get(positive), object.get(negative)) {
        (Some(v), None) => (v, false),
        (None, Some(v)) => (v, true),
        _ => return Err(DocumentProblem::Element),
    };
    let patterns = strings(value).ok_or(problem)?;
    if patterns.iter().all(|p| valid(p)) {
        Ok(Patterns { patterns, negated })
    } else {
        Err(problem)
    }
}

fn statement(v: &Value) -> Result<Statement, DocumentProblem> {
    let object = v.as_object().ok_or(DocumentProblem::Statement)?;
    const ELEMENTS: [&str; 6] = [
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
    ];
    if object.keys().any(|k| !ELEMENTS.contains(&k.as_str())) {
        return Err(DocumentProblem::Element);
    }
    let effect = match object.get("Effect").ok_or(DocumentProblem::Element)? {
        Value::String(s) if s == "Allow" => Effect::Allow,
        Value::String(s) if s == "Deny" => Effect::Deny,
        _ => return Err(DocumentProblem::Effect),
    };
    let actions = patterns(
        object,
        "Action",
        "NotAction",
        valid_action,
        DocumentProblem::Action,
    )?;
    let resources = patterns(
        object,
        "Resource",
        "NotResource",
        valid_resource,
        DocumentProblem::Resource,
    )?;
    let conditions = match object.get("Condition") {
        None => Vec::new(),
        Some(c) => super::policy_condition::parse(c).ok_or(DocumentProblem::Condition)?,
    };
    Ok(Statement {
        effect,
        actions,
        resources,
        conditions,
    })
}

impl PolicyDocument {
    /// Checks a document as `CreatePolicy` and `CreatePolicyVersion` do.
    pub fn parse(text: &str) -> Result<PolicyDocument, DocumentProblem> {
        if text.chars().count() > DOCUMENT_LIMIT {
            return Err(DocumentProblem::Length);
        }
        let v: Value = serde_json::from_str(text).map_err(|_| DocumentProblem::NotJson)?;
        let object = v.as_object().ok_or(DocumentProblem::NotJson)?;
        if object.keys().any(|k| k != "Version" && k != "Statement") {
            return Err(DocumentProblem::Element);
        }
        if object.get("Version").and_then(Value::as_str) != Some("1") {
            return Err(DocumentProblem::Version);
        }
        let list = object
            .get("Statement")
            .and_then(Value::as_array)
            .ok_or(DocumentProblem::Statement)?;
        let statements = list.iter().map(statement).collect::<Result<_, _>>()?;
        Ok(PolicyDocument { statements })
    }

    /// What this document says about `request`.
    pub fn verdict(&self, request: &Request<'_>) -> Verdict {
        let mut verdict = Verdict::NotAllowed;
        for s in &self.statements {
            let applies = s.actions.matches(request.action)
                && s.resources.matches(request.resource)
                && s.conditions.iter().all(|c| c.holds(request.context));
            match (applies, s.effect) {
                (true, Effect::Deny) => return Verdict::Denied,
                (true, Effect::Allow) => verdict = Verdict::Allowed,
                (false, _) => {}
            }
        }
        verdict
    }
}

/// What several documents together say: any Deny wins, else any Allow allows.
pub fn combined<'d>(
    documents: impl IntoIterator<Item = &'d PolicyDocument>,
    request: &Request<'_>,
) -> Verdict {
    let mut verdict = Verdict::NotAllowed;
    for d in documents {
        match d.verdict(request) {
            Verdict::Denied => return Verdict::Denied,
            Verdict::Allowed => verdict = Verdict::Allowed,
            Verdict::NotAllowed => {}
        }
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Result<PolicyDocument, DocumentProblem> {
        PolicyDocument::parse(text)
    }

    #[test]
    fn wildcards() {
        assert!(wildcard("ram:*", "ram:CreateUser"));
        assert!(wildcard("ram:Get*", "RAM:GetUser"));
        assert!(!wildcard("ram:Get*", "ram:ListUsers"));
        assert!(wildcard("ram:?etUser", "ram:GetUser"));
        assert!(wildcard("*", ""));
        assert!(wildcard(
            "acs:ram:*:*:user/dev-*",
            "acs:ram:*:1:user/dev-alice"
        ));
        assert!(!wildcard("a*b", "a"));
    }

    #[test]
    fn documents_are_checked_part_by_part() {
        let ok =
            r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ram:*","Resource":"*"}]}"#;
        assert!(doc(ok).is_ok());
        assert_eq!(doc("{"), Err(DocumentProblem::NotJson));
        assert_eq!(
            doc(r#"{"Version":"2","Statement":[]}"#),
            Err(DocumentProblem::Version)
        );
        assert_eq!(doc(r#"{"Version":"1"}"#), Err(DocumentProblem::Statement));
        assert_eq!(
            doc(&ok.replace("Allow", "Allw")),
            Err(DocumentProblem::Effect)
        );
        assert_eq!(
            doc(&ok.replace("ram:*", "CreateUser")),
            Err(DocumentProblem::Action)
        );
        assert_eq!(
            doc(&ok.replace(r#""Resource":"*""#, r#""Resource":"user/alice""#)),
            Err(DocumentProblem::Resource)
        );
        assert_eq!(
            doc(&ok.replace(r#""Resource":"*""#, r#""Resource":"*","Principal":"*""#)),
            Err(DocumentProblem::Element)
        );
        assert_eq!(
            doc(&ok.replace(r#","Resource":"*""#, "")),
            Err(DocumentProblem::Element)
        );
        assert_eq!(doc(&" ".repeat(2049)), Err(DocumentProblem::Length));
    }

    #[test]
    fn an_explicit_deny_wins() {
        let context = RequestContext::default();
        let request = Request {
            action: "ram:DeleteUser",
            resource: "acs:ram:*:1:user/alice",
            context: &context,
        };
        let allow = doc(
            r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ram:*","Resource":"*"}]}"#,
        )
        .unwrap();
        let deny = doc(r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"ram:Delete*","Resource":"acs:ram:*:*:user/*"}]}"#).unwrap();
        let other = doc(r#"{"Version":"1","Statement":[{"Effect":"Allow","NotAction":"ram:*","Resource":"*"}]}"#).unwrap();
        assert_eq!(combined([&allow], &request), Verdict::Allowed);
        assert_eq!(combined([&allow, &deny], &request), Verdict::Denied);
        assert_eq!(combined([&other], &request), Verdict::NotAllowed);
        assert_eq!(combined([], &request), Verdict::NotAllowed);
    }
}
