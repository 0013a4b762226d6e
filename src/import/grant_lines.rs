//! The lines `show grants`, `describe role` and `show acl` print for one grant: a marker, a TAB,
//! the resource (for `show acl`, the grantee and the resource in brackets), `: `, the actions
//! joined by ` | `, and `\tExpires:<time>` when it expires.

use super::facts::{Object, Principal, principal};
use crate::vocabulary::{ObjectKind, Privilege};
use crate::world::clock::parse_iso8601;

/// A grant line, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantLine<'a> {
    pub marker: &'a str,
    pub resource: &'a str,
    pub actions: Vec<Privilege>,
    pub expires: Option<u64>,
}

/// `2026-01-31T00:00:05+0000` as seconds.
pub fn expiry(text: &str) -> Option<u64> {
    let utc = text.strip_suffix("+0000")?;
    parse_iso8601(&format!("{utc}Z"))
}

/// Reads `MARK\tRESOURCE: A | B[\tExpires:TIME]`.
pub fn grant_line(text: &str) -> Option<GrantLine<'_>> {
    let (marker, rest) = text.split_once('\t')?;
    if marker.is_empty() || !marker.chars().all(|c| matches!(c, 'A' | 'G' | 'D' | 'C')) {
        return None;
    }
    let (main, expires) = match rest.split_once("\tExpires:") {
        Some((main, at)) => (main, Some(expiry(at.trim())?)),
        None => (rest, None),
    };
    let (resource, actions) = main.rsplit_once(": ")?;
    let actions: Option<Vec<Privilege>> = actions.split(" | ").map(Privilege::named).collect();
    Some(GrantLine {
        marker,
        resource,
        actions: actions?,
        expires,
    })
}

/// A resource path of project `project`: the object, and the column for a column grant.
/// `None` when it is not a path of that project, or names objects by pattern (`tables/*`).
pub fn object_path(project: &str, path: &str) -> Option<(Object, Option<String>)> {
    let (head, rest) = match path.split_once('/') {
        Some(("projects", rest)) => rest.split_once('/').unwrap_or((rest, "")),
        _ => return None,
    };
    if !head.eq_ignore_ascii_case(project) {
        return None;
    }
    let object = |kind, name: &str| {
        let ok = !name.is_empty() && !name.contains('*') && !name.contains('/');
        ok.then(|| Object {
            kind,
            name: name.to_ascii_lowercase(),
        })
    };
    if rest.is_empty() {
        return Some((
            Object {
                kind: ObjectKind::Project,
                name: String::new(),
            },
            None,
        ));
    }
    let (segment, name) = rest.split_once('/')?;
    let kind = match segment {
        "tables" => {
            return match name.split_once('/') {
                Some((table, column)) if !column.is_empty() && !column.contains('/') => Some((
                    object(ObjectKind::Table, table)?,
                    Some(column.to_ascii_lowercase()),
                )),
                Some(_) => None,
                None => Some((object(ObjectKind::Table, name)?, None)),
            };
        }
        "registration" => {
            let f = name.strip_prefix("functions/")?;
            return Some((object(ObjectKind::Function, f)?, None));
        }
        "resources" => ObjectKind::Resource,
        "instances" => ObjectKind::Instance,
        "packages" => ObjectKind::Package,
        _ => return None,
    };
    Some((object(kind, name)?, None))
}

/// `show acl`'s grantee part: `user/<principal>` or `role/<role>`, then `(acs:odps:*:<path>)`.
pub fn acl_subject(text: &str) -> Option<(AclSubject, Option<&str>)> {
    let (who, path) = match text.split_once("(acs:odps:*:") {
        Some((who, rest)) => (who, Some(rest.strip_suffix(')')?)),
        None => (text, None),
    };
    let subject = if let Some(p) = who.strip_prefix("user/") {
        AclSubject::User(principal(p)?)
    } else if let Some(r) = who.strip_prefix("role/") {
        AclSubject::Role(r.to_ascii_lowercase())
    } else if let Some(p) = who.strip_prefix("project_owner/") {
        AclSubject::Owner(principal(p)?)
    } else if let Some(p) = who.strip_prefix("object_creator/") {
        AclSubject::Creator(principal(p)?)
    } else {
        return None;
    };
    Some((subject, path))
}

/// Who a line of `show acl` is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AclSubject {
    User(Principal),
    Role(String),
    Owner(Principal),
    Creator(Principal),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grant_lines_and_paths() {
        let l = grant_line(
            "A\tprojects/P/tables/t1: Describe | Select\tExpires:2026-01-01T00:00:00+0000",
        )
        .unwrap();
        assert_eq!(l.actions, vec![Privilege::Describe, Privilege::Select]);
        assert_eq!(l.expires, Some(1_767_225_600));
        let (o, c) = object_path("p", "projects/P/tables/t1/id").unwrap();
        assert_eq!(
            (o.kind, o.name.as_str(), c.as_deref()),
            (ObjectKind::Table, "t1", Some("id"))
        );
        let (o, _) = object_path("p", "projects/p/registration/functions/f").unwrap();
        assert_eq!(o.kind, ObjectKind::Function);
        assert!(object_path("p", "projects/p/tables/*").is_none());
        assert!(object_path("p", "projects/q/tables/t").is_none());
        assert!(grant_line("A\tprojects/p: Frobnicate").is_none());
    }

    #[test]
    fn acl_subjects() {
        let (s, path) = acl_subject("user/RAM$M:bob(acs:odps:*:projects/p/tables/t/id)").unwrap();
        assert!(matches!(s, AclSubject::User(_)));
        assert_eq!(path, Some("projects/p/tables/t/id"));
        assert!(matches!(
            acl_subject("project_owner/ALIYUN$M").unwrap().0,
            AclSubject::Owner(_)
        ));
    }
}
