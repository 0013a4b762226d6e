//! `show grants`, `describe role`, `show acl` and `show SecurityConfiguration` as the service
//! prints them: a marker, a TAB, the resource, `: `, the actions joined by ` | `, and
//! `\tExpires:<time>` for a grant that expires; one blank line between sections.

use crate::engine::{AclLine, AclReport, GrantLine, GrantReport};
use crate::world::clock::iso8601;

/// An expiry time as `show grants` prints it: `2026-01-31T00:00:05+0000`.
pub fn expires_text(secs: u64) -> String {
    let iso = iso8601(secs);
    format!("{}+0000", iso.trim_end_matches('Z'))
}

fn expires_suffix(expires: Option<u64>) -> String {
    expires.map_or_else(String::new, |t| format!("\tExpires:{}", expires_text(t)))
}

fn grant_line(line: &GrantLine) -> String {
    format!(
        "{}\t{}: {}{}\n",
        line.marker,
        line.resource,
        line.actions.join(" | "),
        expires_suffix(line.expires)
    )
}

/// The sections of a report, in order, each ending with a line break.
fn sections(report: &GrantReport) -> Vec<String> {
    let mut sections = Vec::new();
    if let Some((name, project)) = &report.owner {
        sections.push(format!("[{name}]\nprojects/{project}: Project Owner\n"));
    }
    if let Some(roles) = &report.roles {
        let mut s = "[roles]\n".to_string();
        for r in roles {
            s.push_str(&format!("{r}\n"));
        }
        sections.push(s);
    }
    for (title, blocks) in [("ACL", &report.acl), ("Policy", &report.policy)] {
        if blocks.is_empty() {
            continue;
        }
        let mut s = format!("Authorization Type: {title}\n");
        for block in blocks {
            if let Some(h) = &block.header {
                s.push_str(&format!("[{h}]\n"));
            }
            s.extend(block.lines.iter().map(grant_line));
        }
        sections.push(s);
    }
    if !report.object_creator.is_empty() {
        let mut s = "Authorization Type: ObjectCreator\n".to_string();
        s.extend(report.object_creator.iter().map(grant_line));
        sections.push(s);
    }
    sections
}

/// `show grants`: the sections joined by blank lines (`OK` when there is nothing to show,
/// as odpscmd prints for an empty answer).
pub fn grants_text(report: &GrantReport) -> String {
    let text = sections(report).join("\n");
    if text.is_empty() {
        format!("{}\n", super::OK)
    } else {
        text
    }
}

/// `describe role`: `[users]` and the members, then the grant sections.
pub fn role_text(users: &[String], grants: &GrantReport) -> String {
    let mut first = "[users]\n".to_string();
    for u in users {
        first.push_str(&format!("{u}\n"));
    }
    let mut all = vec![first];
    all.extend(sections(grants));
    all.join("\n")
}

fn acl_line(line: &AclLine) -> String {
    let resource = line
        .resource
        .as_ref()
        .map_or_else(String::new, |r| format!("({r})"));
    format!(
        "{}\t{}{}: {}{}\n",
        line.marker,
        line.principal,
        resource,
        line.actions.join(" | "),
        expires_suffix(line.expires)
    )
}

/// `show acl`: the implicit holders, then the ACL.
pub fn acl_text(report: &AclReport) -> String {
    let mut parts = Vec::new();
    for (title, lines) in [
        ("Implicit", &report.implicit),
        ("ACL", &report.acl),
        ("Policy", &report.policy),
    ] {
        if lines.is_empty() {
            continue;
        }
        let mut s = format!("Authorization Type: {title}\n");
        s.extend(lines.iter().map(acl_line));
        parts.push(s);
    }
    parts.join("\n")
}

/// `show SecurityConfiguration`.
/// `show SecurityConfiguration`: the flags in the console's order, then, when protection was
/// set with an exception policy, `ProjectProtection with Exception:<policy>` (the console's
/// conditional line).
pub fn security_text(flags: &[(&str, bool)], exception: Option<&str>) -> String {
    let mut text: String = flags.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
    if let Some(policy) = exception {
        text.push_str(&format!("ProjectProtection with Exception:{policy}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::GrantBlock;

    fn line(resource: &str, actions: &[&'static str], expires: Option<u64>) -> GrantLine {
        GrantLine {
            marker: "A",
            resource: resource.into(),
            actions: actions.iter().map(|a| a.to_string()).collect(),
            expires,
        }
    }

    #[test]
    fn show_grants_prints_the_documented_layout() {
        let report = GrantReport {
            owner: None,
            roles: Some(vec!["worker".into()]),
            acl: vec![
                GrantBlock {
                    header: Some("role/worker".into()),
                    lines: vec![line("projects/p/tables/t1", &["Select"], None)],
                },
                GrantBlock {
                    header: Some("user/RAM$M:bob".into()),
                    lines: vec![line(
                        "projects/p/tables/t1",
                        &["Describe", "Select"],
                        Some(1_767_225_600),
                    )],
                },
            ],
            policy: vec![],
            object_creator: vec![GrantLine {
                marker: "AG",
                ..line("projects/p/tables/t6", &["All"], None)
            }],
        };
        assert_eq!(
            grants_text(&report),
            "[roles]\nworker\n\nAuthorization Type: ACL\n[role/worker]\nA\tprojects/p/tables/t1: Select\n[user/RAM$M:bob]\nA\tprojects/p/tables/t1: Describe | Select\tExpires:2026-01-01T00:00:00+0000\n\nAuthorization Type: ObjectCreator\nAG\tprojects/p/tables/t6: All\n"
        );
        let owner = GrantReport {
            owner: Some(("ALIYUN$M".into(), "p".into())),
            ..GrantReport::default()
        };
        assert_eq!(
            grants_text(&owner),
            "[ALIYUN$M]\nprojects/p: Project Owner\n"
        );
        assert_eq!(grants_text(&GrantReport::default()), "OK\n");
    }

    #[test]
    fn describe_role_and_show_acl_print_their_layouts() {
        let grants = GrantReport {
            acl: vec![GrantBlock {
                header: None,
                lines: vec![line("projects/p", &["CreateTable", "List"], None)],
            }],
            ..GrantReport::default()
        };
        assert_eq!(
            role_text(&["RAM$M:bob".into()], &grants),
            "[users]\nRAM$M:bob\n\nAuthorization Type: ACL\nA\tprojects/p: CreateTable | List\n"
        );
        let report = AclReport {
            implicit: vec![AclLine {
                marker: "AG",
                principal: "project_owner/ALIYUN$M".into(),
                resource: None,
                actions: vec!["All".to_string()],
                expires: None,
            }],
            acl: vec![AclLine {
                marker: "A",
                principal: "user/RAM$M:bob".into(),
                resource: Some("acs:odps:*:projects/p/tables/t/id".into()),
                actions: vec!["Select".to_string()],
                expires: None,
            }],
            policy: Vec::new(),
        };
        assert_eq!(
            acl_text(&report),
            "Authorization Type: Implicit\nAG\tproject_owner/ALIYUN$M: All\n\nAuthorization Type: ACL\nA\tuser/RAM$M:bob(acs:odps:*:projects/p/tables/t/id): Select\n"
        );
        assert_eq!(
            security_text(&[("LabelSecurity", false)], None),
            "LabelSecurity=false\n"
        );
    }
}
