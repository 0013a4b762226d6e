//! What odpscmd prints for the statements of a capture, read into facts: `whoami`, `list users`,
//! `list roles`, `describe role`, `show grants for`, `show acl`, `show SecurityConfiguration`,
//! `list trustedprojects`, `list accountproviders` and `setproject`. The layouts are the ones
//! `src/render/grants.rs` prints.

use std::collections::{BTreeMap, BTreeSet};

use super::error::CaptureError;
use super::facts::{
    FlagKey, Grant, Grantee, Object, Principal, Principals, ProjectFacts, Who, principal,
};
use super::grant_lines::{AclSubject, GrantLine, acl_subject, grant_line, object_path};
use super::texts;
use super::transcript::Line;
use crate::vocabulary::{AccountProvider, ObjectKind, SecurityFlag};

/// Where errors go while reading one block.
pub struct Reader<'a> {
    pub file: &'a str,
    pub errors: Vec<CaptureError>,
}

impl Reader<'_> {
    pub fn expected(&mut self, line: usize, what: &str) {
        self.errors.push(CaptureError::new(self.file, line, what));
    }
}

/// Non-blank lines, or none when the output is a lone `OK` (what odpscmd prints for an empty
/// answer).
pub(super) fn content<'a>(output: &[Line<'a>]) -> Vec<Line<'a>> {
    let lines: Vec<Line<'a>> = output
        .iter()
        .copied()
        .filter(|l| !l.text.trim().is_empty())
        .collect();
    match lines.as_slice() {
        [only] if only.text.trim() == "OK" => Vec::new(),
        _ => lines,
    }
}

/// `whoami`: the caller's name, the endpoint and the project.
pub fn whoami(
    r: &mut Reader<'_>,
    output: &[Line<'_>],
) -> (Option<Principal>, Option<String>, Option<String>) {
    let (mut name, mut endpoint, mut project) = (None, None, None);
    for line in content(output) {
        let Some((key, value)) = line.text.split_once(':') else {
            r.expected(line.no, texts::EXPECTED_WHOAMI);
            continue;
        };
        let value = value.trim();
        match key.trim() {
            "Name" => match principal(value) {
                Some(p) => name = Some(p),
                None => r.expected(line.no, texts::EXPECTED_PRINCIPAL),
            },
            "End_Point" | "Endpoint" => endpoint = Some(value.to_string()),
            "Project" => project = Some(value.to_string()),
            "Source IP" | "Source_IP" => {}
            _ => r.expected(line.no, texts::EXPECTED_WHOAMI),
        }
    }
    (name, endpoint, project)
}

/// `list users`: one principal a line.
pub fn list_users(
    r: &mut Reader<'_>,
    output: &[Line<'_>],
    p: &mut ProjectFacts,
    names: &mut Principals,
) {
    let mut members = BTreeSet::new();
    for line in content(output) {
        match names.read(line.text.trim()) {
            Some(m) => {
                members.insert(m);
            }
            None => r.expected(line.no, texts::EXPECTED_PRINCIPAL),
        }
    }
    p.members.get_or_insert_with(BTreeSet::new).extend(members);
}

fn is_role_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `list roles`: one role a line.
pub fn list_roles(r: &mut Reader<'_>, output: &[Line<'_>], p: &mut ProjectFacts) {
    let mut roles = BTreeSet::new();
    for line in content(output) {
        let name = line.text.trim();
        if is_role_name(name) {
            roles.insert(name.to_ascii_lowercase());
        } else {
            r.expected(line.no, texts::EXPECTED_ROLE);
        }
    }
    p.roles.get_or_insert_with(BTreeSet::new).extend(roles);
}

/// The section a line of a grant report belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Section {
    Start,
    Roles,
    Users,
    Owner(Who),
    Acl,
    Policy,
    Creator,
    Implicit,
}

/// Who the report is of: `describe role`/`show grants for role` (a role), `show grants for` a
/// user, or `show acl` of an object.
#[derive(Debug, Clone)]
pub enum Subject {
    Role(String),
    User(Who),
    Object(Object),
}

/// A grant line's grants into the project's facts.
fn add_grants(
    p: &mut ProjectFacts,
    grantee: Grantee,
    object: Object,
    column: Option<String>,
    line: &GrantLine<'_>,
) {
    if let Some(c) = &column {
        p.columns
            .entry(object.name.clone())
            .or_default()
            .insert(c.clone());
    }
    for &privilege in &line.actions {
        p.grants.insert(Grant {
            grantee: grantee.clone(),
            object: object.clone(),
            column: column.clone(),
            privilege,
            expires: line.expires,
        });
    }
}

/// `describe role`, `show grants for` and `show acl`: their sections, read into the project's
/// facts.
pub fn grant_report(
    r: &mut Reader<'_>,
    output: &[Line<'_>],
    subject: &Subject,
    p: &mut ProjectFacts,
    names: &mut Principals,
) {
    let mut section = Section::Start;
    let mut header: Option<Grantee> = None;
    let mut shown = output.iter().filter(|l| !l.text.trim().is_empty());
    let only_ok = match (shown.next(), shown.next()) {
        (None, _) => true,
        (Some(first), None) => first.text.trim() == "OK",
        _ => false,
    };
    let lines: &[Line<'_>] = if only_ok { &[] } else { output };
    let mut roles_seen: Option<BTreeSet<String>> = None;
    let mut users_seen: Option<BTreeSet<Who>> = None;
    for &line in lines {
        let text = line.text.trim_end();
        if text.trim().is_empty() {
            section = Section::Start;
            header = None;
            continue;
        }
        if let Some(kind) = text.strip_prefix("Authorization Type: ") {
            header = None;
            section = match kind.trim() {
                "ACL" => Section::Acl,
                "Policy" => Section::Policy,
                "ObjectCreator" => Section::Creator,
                "Implicit" => Section::Implicit,
                _ => {
                    r.expected(line.no, texts::EXPECTED_AUTHORIZATION_TYPE);
                    Section::Start
                }
            };
            continue;
        }
        if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            match (&section, inner) {
                (Section::Start, "roles") => {
                    section = Section::Roles;
                    roles_seen.get_or_insert_with(BTreeSet::new);
                }
                (Section::Start, "users") => {
                    section = Section::Users;
                    users_seen.get_or_insert_with(BTreeSet::new);
                }
                (Section::Start, owner) => match names.read(owner) {
                    Some(o) => section = Section::Owner(o),
                    None => r.expected(line.no, texts::EXPECTED_SECTION),
                },
                (Section::Acl | Section::Policy, h) => {
                    header = if let Some(role) = h.strip_prefix("role/") {
                        Some(Grantee::Role(role.to_ascii_lowercase()))
                    } else if let Some(u) = h.strip_prefix("user/").and_then(|u| names.read(u)) {
                        Some(Grantee::User(u))
                    } else {
                        r.expected(line.no, texts::EXPECTED_GRANTEE_HEADER);
                        None
                    };
                }
                _ => r.expected(line.no, texts::EXPECTED_SECTION),
            }
            continue;
        }
        match &section {
            Section::Start => r.expected(line.no, texts::EXPECTED_SECTION),
            Section::Roles => {
                if is_role_name(text.trim()) {
                    if let Some(set) = roles_seen.as_mut() {
                        set.insert(text.trim().to_ascii_lowercase());
                    }
                } else {
                    r.expected(line.no, texts::EXPECTED_ROLE);
                }
            }
            Section::Users => match names.read(text.trim()) {
                Some(u) => {
                    if let Some(set) = users_seen.as_mut() {
                        set.insert(u);
                    }
                }
                None => r.expected(line.no, texts::EXPECTED_PRINCIPAL),
            },
            Section::Owner(owner) => {
                let expected = format!("projects/{}: Project Owner", p.name);
                if text.trim().eq_ignore_ascii_case(&expected) {
                    p.owner = Some(*owner);
                } else {
                    r.expected(line.no, texts::EXPECTED_OWNER_LINE);
                }
            }
            Section::Implicit | Section::Acl | Section::Policy | Section::Creator => {
                let Some(g) = grant_line(text) else {
                    r.expected(line.no, texts::EXPECTED_GRANT_LINE);
                    continue;
                };
                grant_entry(r, line.no, &section, header.as_ref(), subject, &g, p, names);
            }
        }
    }
    if let Some(roles) = roles_seen
        && let Subject::User(u) = subject
    {
        p.member_roles.entry(*u).or_default().extend(roles);
    }
    if let Some(users) = users_seen
        && let Subject::Role(role) = subject
    {
        p.role_members
            .entry(role.clone())
            .or_default()
            .extend(users);
    }
}

/// One grant line of a report.
#[allow(clippy::too_many_arguments)]
fn grant_entry(
    r: &mut Reader<'_>,
    no: usize,
    section: &Section,
    header: Option<&Grantee>,
    subject: &Subject,
    g: &GrantLine<'_>,
    p: &mut ProjectFacts,
    names: &mut Principals,
) {
    let name = p.name.clone();
    // `show acl`: the grantee is in the line, the object is the subject's (or in brackets).
    if let Subject::Object(object) = subject {
        let Some((who, path)) = acl_subject(g.resource) else {
            r.expected(no, texts::EXPECTED_ACL_SUBJECT);
            return;
        };
        let (object, column) = match path.map(|path| object_path(&name, path)) {
            Some(Some(found)) => found,
            Some(None) => {
                r.expected(no, texts::EXPECTED_RESOURCE);
                return;
            }
            None => (object.clone(), None),
        };
        match (section, who) {
            (Section::Implicit, AclSubject::Owner(o)) => p.owner = Some(names.intern(o)),
            (Section::Implicit, AclSubject::Creator(c)) => {
                p.creators.insert(object, names.intern(c));
            }
            (Section::Acl, AclSubject::User(u)) => {
                add_grants(p, Grantee::User(names.intern(u)), object, column, g);
            }
            (Section::Acl, AclSubject::Role(role)) => {
                add_grants(p, Grantee::Role(role), object, column, g);
            }
            (Section::Policy, _) => {
                p.role_policy_lines
                    .entry(String::new())
                    .or_default()
                    .push(format!("{}: {}", g.resource, actions_text(g)));
            }
            _ => r.expected(no, texts::EXPECTED_ACL_SUBJECT),
        }
        return;
    }
    match section {
        Section::Policy => {
            let key = match (header, subject) {
                (Some(Grantee::Role(role)), _) | (None, Subject::Role(role)) => role.clone(),
                (Some(Grantee::User(u)), _) => {
                    format!(
                        "user/{}",
                        names.get(*u).map(ToString::to_string).unwrap_or_default()
                    )
                }
                _ => String::new(),
            };
            p.role_policy_lines.entry(key).or_default().push(format!(
                "{}: {}",
                g.resource,
                actions_text(g)
            ));
        }
        Section::Acl | Section::Creator => {
            let Some((object, column)) = object_path(&name, g.resource) else {
                r.expected(no, texts::EXPECTED_RESOURCE);
                return;
            };
            if *section == Section::Creator {
                if let Subject::User(u) = subject {
                    p.creators.insert(object, *u);
                }
                return;
            }
            let grantee = match (header, subject) {
                (Some(h), _) => h.clone(),
                (None, Subject::Role(role)) => Grantee::Role(role.clone()),
                (None, Subject::User(u)) => Grantee::User(*u),
                (None, Subject::Object(_)) => return,
            };
            add_grants(p, grantee, object, column, g);
        }
        _ => r.expected(no, texts::EXPECTED_SECTION),
    }
}

fn actions_text(g: &GrantLine<'_>) -> String {
    let names: Vec<&str> = g.actions.iter().map(|a| a.as_str()).collect();
    names.join(" | ")
}

/// `show SecurityConfiguration`: `Flag=true|false` lines and the exception policy line.
pub fn security(r: &mut Reader<'_>, output: &[Line<'_>], p: &mut ProjectFacts) {
    let mut flags = BTreeMap::new();
    for line in content(output) {
        let text = line.text.trim();
        if let Some(policy) = text.strip_prefix("ProjectProtection with Exception:") {
            p.exception = Some(policy.to_string());
            continue;
        }
        let parsed = text.split_once('=').and_then(|(k, v)| {
            let key = if k.eq_ignore_ascii_case("EnableDownloadPrivilege") {
                FlagKey::DownloadPrivilege
            } else {
                FlagKey::flag(SecurityFlag::named(k)?)
            };
            let on = match v.to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => return None,
            };
            Some((key, on))
        });
        match parsed {
            Some((k, v)) => {
                flags.insert(k, v);
            }
            None => r.expected(line.no, texts::EXPECTED_SECURITY_LINE),
        }
    }
    p.flags = Some(flags);
}

/// `list trustedprojects`: one project a line.
pub fn trusted(r: &mut Reader<'_>, output: &[Line<'_>], p: &mut ProjectFacts) {
    let mut names = BTreeSet::new();
    for line in content(output) {
        let name = line.text.trim();
        if is_role_name(name) {
            names.insert(name.to_ascii_lowercase());
        } else {
            r.expected(line.no, texts::EXPECTED_PROJECT_NAME);
        }
    }
    p.trusted = Some(names);
}

/// `list accountproviders`: `ALIYUN, RAM`.
pub fn providers(r: &mut Reader<'_>, output: &[Line<'_>], p: &mut ProjectFacts) {
    let mut set = BTreeSet::new();
    for line in content(output) {
        for word in line.text.split(',') {
            match word.trim().to_ascii_uppercase().as_str() {
                "ALIYUN" => {
                    set.insert(AccountProvider::Aliyun);
                }
                "RAM" => {
                    set.insert(AccountProvider::Ram);
                }
                _ => r.expected(line.no, texts::EXPECTED_PROVIDERS),
            }
        }
    }
    p.providers = Some(set);
}

/// `setproject`: `key=value` lines.
pub fn properties(r: &mut Reader<'_>, output: &[Line<'_>], p: &mut ProjectFacts) {
    let mut props = BTreeMap::new();
    for line in content(output) {
        match line.text.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() && !k.contains(' ') => {
                props.insert(k.trim().to_string(), v.trim().to_string());
            }
            _ => r.expected(line.no, texts::EXPECTED_PROPERTY),
        }
    }
    p.properties = Some(props);
}

/// The object a `show acl` names.
pub fn acl_object(kind: ObjectKind, name: &str) -> Object {
    Object {
        kind,
        name: name.to_ascii_lowercase(),
    }
}
