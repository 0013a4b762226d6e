//! `odpsh check` reports as text and JSON. The JSON schema (README: "Checking a script"):
//!
//! ```json
//! {"file": "…", "statements": 7, "clean": false, "failures": 1, "hazards": 1,
//!  "findings": [{"line": 11, "statement": "…", "kind": "hazard" | "failure", "code": "…",
//!                "message": "…", "fix": ["…"], "avoid": ["…"], "details": {…}}]}
//! ```
//! `details` is the explanation for a failure and the hazard's facts for a hazard.

use serde_json::{Value, json};

use crate::teach::check::{Finding, FindingKind, Report};
use crate::teach::hazards::LABEL_GRANT_PREFIX;
use crate::teach::hazards::{Departure, Hazard, ProjectRoles};
use crate::world::credentials::system_policy;

use super::teach::{explanation_value, one_line};

/// The policies seed 002 recommends instead of the high-risk ones.
const NARROWER: &str = "AliyunDataWorksFullAccess (DataWorks projects), AliyunMaxComputeFullAccess (the MaxCompute console), AliyunBSSOrderAccess (activating MaxCompute)";

/// What kinds of grant a list of granted objects holds: ACL grants (on `tables/<t>`, …), label
/// grants (`label on tables/<t>`), or both.
fn grant_kinds(objects: &[String]) -> &'static str {
    let labels = objects.iter().any(|o| o.starts_with(LABEL_GRANT_PREFIX));
    let acl = objects.iter().any(|o| !o.starts_with(LABEL_GRANT_PREFIX));
    match (acl, labels) {
        (true, true) => "ACL and label grants",
        (false, true) => "label grants",
        _ => "ACL grants",
    }
}

fn projects_text(projects: &[ProjectRoles]) -> String {
    let items: Vec<String> = projects
        .iter()
        .map(|p| {
            let roles = if p.roles.is_empty() {
                "no roles".to_string()
            } else {
                format!("roles: {}", p.roles.join(", "))
            };
            if p.grants.is_empty() {
                format!("{} ({roles})", p.project)
            } else {
                format!(
                    "{} ({roles}; ACL grants on {})",
                    p.project,
                    p.grants.join(", ")
                )
            }
        })
        .collect();
    items.join(", ")
}

/// A hazard in one sentence (or two).
pub fn hazard_message(h: &Hazard) -> String {
    match h {
        Hazard::ResidualMember {
            user,
            user_id,
            projects,
            workspaces,
            not_shown,
            ..
        } => {
            let ids: Vec<String> = workspaces.iter().map(u64::to_string).collect();
            let mut text = if projects.is_empty() {
                // Only DataWorks still lists it: the projects let it go.
                format!(
                    "{user} is deleted while DataWorks workspace {} still lists it as a member: it will stay on that list for good (DeleteProjectMember then fails with Invalid.Tenant.UserNotInTenant), although no project lists it",
                    ids.join(", ")
                )
            } else {
                format!(
                    "{user} is deleted while it is still a member of {}: it will stay there as p4_{user_id}, which no statement can remove",
                    projects_text(projects)
                )
            };
            if !projects.is_empty() && !workspaces.is_empty() {
                text.push_str(&format!(
                    ", and DataWorks workspace {} will keep listing it",
                    ids.join(", ")
                ));
            }
            text.push('.');
            for n in not_shown {
                text.push_str(&format!(" {n}"));
            }
            text
        }
        Hazard::ResidualRole {
            role,
            role_id,
            projects,
            ..
        } => format!(
            "RAM role {role} is deleted while it is still a member of {}: it will stay there as v4_{role_id}, which no statement can remove (a role created again under the same name is another role).",
            projects_text(projects)
        ),
        Hazard::AssumableAdminRole { role, policy, .. } => format!(
            "RAM role {role} holds {policy}, a high-risk policy, and its trust policy lets every RAM user of the account assume it: any of them granted sts:AssumeRole (AliyunSTSAssumeRoleAccess) becomes an administrator. Trust only the user that needs it, and give the role only what its job needs."
        ),
        Hazard::KeysLeftActive {
            user,
            departure,
            keys,
            ..
        } => {
            let how = match departure {
                Departure::LeftEveryProject => "leaves its last project here",
                Departure::LostConsoleAccess => "loses its console log-on here",
            };
            format!(
                "{user} {how}, but its AccessKey {} is still active when the script ends: it keeps working for anyone who holds it.",
                keys.join(", ")
            )
        }
        Hazard::GrantsLeftBehind {
            user,
            user_id,
            project,
            objects,
            deleted: false,
            ..
        } => format!(
            "{user} leaves {project} but keeps its {} there on {}: they stay (shown as p4_{user_id} once its RAM user is deleted) and come back if it is ever added again.",
            grant_kinds(objects),
            objects.join(", ")
        ),
        Hazard::GrantsLeftBehind {
            user,
            user_id,
            project,
            objects,
            deleted: true,
            ..
        } => format!(
            "{user} is deleted while it still holds {} in {project} on {}: they stay there under p4_{user_id}, and no statement can revoke them.",
            grant_kinds(objects),
            objects.join(", ")
        ),
        Hazard::GrantShadowed {
            grantee,
            action,
            object,
            by,
        } => format!(
            "The grant succeeds and changes nothing: {grantee} may still not {action} {object}, being {by}, and a deny beats every allow. Lift the deny, or leave the grant out."
        ),
        Hazard::ObjectsLeftOwned { user, owned, .. } => {
            let listed = super::teach::owned_listing(owned);
            format!(
                "{user} is deleted while objects it created remain, {}. They are not a membership and grant it nothing, but nobody answers for them now: hand them over before deleting it (the new owner re-creates what must be kept; odpsh does not simulate changing an owner).",
                listed.join("; ")
            )
        }
        Hazard::PackageExposesData {
            source,
            package,
            projects,
            tables,
            protected,
            ..
        } => {
            let protection = if *protected {
                format!(" Project {source} is protected, and a package wins over protection.")
            } else {
                String::new()
            };
            format!(
                "Package {package} of {source} exposes table(s) {} to {}, which {source} does not trust: once installed there, its owner decides who reads them (grant Read on package).{protection} Share only what that project needs, and for as long as it needs it (allow … with exp <days>).",
                tables.join(", "),
                projects.join(", ")
            )
        }
        Hazard::DownloadToDeparting {
            user,
            project,
            object,
        } => format!(
            "{user} is given Download on {object} in {project}, and the same script then takes it out of {project}: it may take the data out on its way out. Leave the grant out."
        ),
        Hazard::HighRiskPolicy {
            user,
            policy,
            resource_group,
            ..
        } => {
            let scope = resource_group
                .as_ref()
                .map(|g| format!(" for resource group {g}"))
                .unwrap_or_default();
            let what = system_policy(policy).map_or("", |p| p.description.trim_end_matches('.'));
            format!(
                "{policy} is attached to {user}{scope}: a high-risk policy ({what}). Seed 002: do not grant it unless absolutely necessary; narrower: {NARROWER}."
            )
        }
    }
}

fn hazard_details(h: &Hazard) -> Value {
    match h {
        Hazard::ResidualMember {
            user,
            user_id,
            projects,
            workspaces,
            ..
        } => json!({
            "user": user,
            "user_id": user_id.to_string(),
            "residual": format!("p4_{user_id}"),
            "projects": projects.iter().map(|p| json!({ "project": p.project, "roles": p.roles, "grants": p.grants })).collect::<Vec<_>>(),
            "workspaces": workspaces,
        }),
        Hazard::ResidualRole {
            role,
            role_id,
            projects,
            ..
        } => json!({
            "role": role,
            "role_id": role_id.to_string(),
            "residual": format!("v4_{role_id}"),
            "projects": projects.iter().map(|p| json!({ "project": p.project, "roles": p.roles, "grants": p.grants })).collect::<Vec<_>>(),
        }),
        Hazard::AssumableAdminRole { role, policy, .. } => {
            json!({ "role": role, "policy": policy, "trusted": "every RAM user of the account" })
        }
        Hazard::KeysLeftActive {
            user,
            departure,
            keys,
            ..
        } => json!({
            "user": user,
            "departure": match departure {
                Departure::LeftEveryProject => "left_every_project",
                Departure::LostConsoleAccess => "lost_console_access",
            },
            "keys": keys,
        }),
        Hazard::GrantsLeftBehind {
            user,
            user_id,
            project,
            objects,
            deleted,
            ..
        } => json!({
            "user": user,
            "user_id": user_id.to_string(),
            "project": project,
            "objects": objects,
            "user_deleted": deleted,
        }),
        Hazard::GrantShadowed {
            grantee,
            action,
            object,
            by,
        } => json!({ "grantee": grantee, "action": action, "object": object, "denied_by": by }),
        Hazard::ObjectsLeftOwned {
            user,
            user_id,
            owned,
        } => json!({
            "user": user,
            "user_id": user_id.to_string(),
            "owner": format!("p4_{user_id}"),
            "projects": owned.iter().map(|o| json!({ "project": o.project, "objects": o.objects })).collect::<Vec<_>>(),
        }),
        Hazard::HighRiskPolicy {
            user,
            policy,
            resource_group,
            ..
        } => json!({ "user": user, "policy": policy, "resource_group": resource_group }),
        Hazard::PackageExposesData {
            source,
            package,
            projects,
            tables,
            protected,
            ..
        } => json!({
            "project": source, "package": package, "installable_by": projects,
            "tables": tables, "protected": protected,
        }),
        Hazard::DownloadToDeparting {
            user,
            project,
            object,
        } => json!({ "user": user, "project": project, "object": object }),
    }
}

/// The line above a hazard's statements: when to run them.
fn avoid_heading(h: &Hazard) -> &'static str {
    match h {
        Hazard::ResidualMember { .. }
        | Hazard::GrantsLeftBehind { .. }
        | Hazard::ResidualRole { .. } => "to avoid it, run first",
        Hazard::AssumableAdminRole { .. } => "to close it, run one of",
        Hazard::KeysLeftActive { .. } => "to avoid it, run before the script ends",
        Hazard::HighRiskPolicy { .. } => "to undo it, run",
        Hazard::ObjectsLeftOwned { .. } => "to hand them over, run first",
        Hazard::GrantShadowed { .. } => "to lift the deny, run",
        Hazard::PackageExposesData { .. } => "to take the allowance back, run",
        Hazard::DownloadToDeparting { .. } => "to avoid it, leave the grant out",
    }
}

fn list(out: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    out.push_str(&format!("  {title}:\n"));
    for item in items {
        out.push_str(&format!("    {item}\n"));
    }
}

fn finding_text(file: &str, f: &Finding) -> String {
    let statement = one_line(&f.statement);
    match &f.kind {
        FindingKind::Hazard(h) => {
            let mut out = format!(
                "{file}:{}: hazard {}: {statement}\n  {}\n",
                f.line,
                h.code(),
                hazard_message(h)
            );
            list(&mut out, avoid_heading(h), h.avoid());
            out
        }
        FindingKind::Failure(e) => {
            let mut out = format!(
                "{file}:{}: failure {}: {statement}\n  {}\n",
                f.line, e.code, e.failure
            );
            if let Some(why) = e.why.first() {
                out.push_str(&format!("  {why}\n"));
            }
            list(&mut out, "fix", &e.fix);
            if e.fix.is_empty() {
                list(&mut out, "would have avoided it", &e.avoid);
            }
            out
        }
    }
}

/// The last line of a report.
pub fn summary(file: &str, report: &Report) -> String {
    if report.is_clean() {
        format!(
            "check: no failures and no hazards in {} statements of {file}; the world is unchanged.\n",
            report.statements
        )
    } else {
        format!(
            "check: {} finding(s) ({} failure(s), {} hazard(s)) in {} statements of {file}; the world is unchanged.\n",
            report.findings.len(),
            report.failures(),
            report.hazards(),
            report.statements
        )
    }
}

/// A report as text: each finding, then the summary.
pub fn report_text(file: &str, report: &Report) -> String {
    let mut out: String = report
        .findings
        .iter()
        .map(|f| finding_text(file, f))
        .collect();
    out.push_str(&summary(file, report));
    out
}

fn finding_value(f: &Finding) -> Value {
    let statement = one_line(&f.statement);
    match &f.kind {
        FindingKind::Hazard(h) => json!({
            "line": f.line,
            "statement": statement,
            "kind": "hazard",
            "code": h.code(),
            "message": hazard_message(h),
            "fix": [],
            "avoid": h.avoid(),
            "details": hazard_details(h),
        }),
        FindingKind::Failure(e) => json!({
            "line": f.line,
            "statement": statement,
            "kind": "failure",
            "code": e.code,
            "message": e.failure,
            "fix": e.fix,
            "avoid": e.avoid,
            "details": explanation_value(e),
        }),
    }
}

/// A report as JSON (the schema above).
pub fn report_value(file: &str, report: &Report) -> Value {
    json!({
        "file": file,
        "statements": report.statements,
        "clean": report.is_clean(),
        "failures": report.failures(),
        "hazards": report.hazards(),
        "findings": report.findings.iter().map(finding_value).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::Uid;

    #[test]
    fn hazard_sentences_and_the_summary_are_pinned() {
        let keys = Hazard::KeysLeftActive {
            user: "RAM$M:a".into(),
            departure: Departure::LostConsoleAccess,
            keys: vec!["LTAI1".into()],
            avoid: Vec::new(),
        };
        assert_eq!(
            hazard_message(&keys),
            "RAM$M:a loses its console log-on here, but its AccessKey LTAI1 is still active when the script ends: it keeps working for anyone who holds it."
        );
        assert_eq!(
            avoid_heading(&keys),
            "to avoid it, run before the script ends"
        );
        let grants = Hazard::GrantsLeftBehind {
            user: "RAM$M:a".into(),
            user_id: Uid(7),
            project: "p".into(),
            objects: vec!["tables/t".into()],
            deleted: true,
            avoid: Vec::new(),
        };
        assert_eq!(
            hazard_message(&grants),
            "RAM$M:a is deleted while it still holds ACL grants in p on tables/t: they stay there under p4_7, and no statement can revoke them."
        );
        let residual = Hazard::ResidualMember {
            user: "RAM$M:a".into(),
            user_id: Uid(7),
            projects: vec![ProjectRoles {
                project: "p".into(),
                roles: Vec::new(),
                grants: vec!["project".into()],
            }],
            workspaces: vec![10000],
            avoid: Vec::new(),
            not_shown: Vec::new(),
        };
        assert_eq!(
            hazard_message(&residual),
            "RAM$M:a is deleted while it is still a member of p (no roles; ACL grants on project): it will stay there as p4_7, which no statement can remove, and DataWorks workspace 10000 will keep listing it."
        );
        let partly_seen = Hazard::ResidualMember {
            user: "RAM$M:a".into(),
            user_id: Uid(7),
            projects: vec![ProjectRoles {
                project: "p".into(),
                roles: Vec::new(),
                grants: vec!["project".into()],
            }],
            workspaces: Vec::new(),
            avoid: Vec::new(),
            not_shown: vec![crate::teach::sight::NotShown::Projects {
                principal: "RAM$M:a".into(),
            }],
        };
        assert_eq!(
            hazard_message(&partly_seen),
            "RAM$M:a is deleted while it is still a member of p (no roles; ACL grants on project): it will stay there as p4_7, which no statement can remove. (projects where you may not show grants for RAM$M:a not shown)"
        );
        let clean = Report {
            statements: 3,
            findings: Vec::new(),
        };
        assert_eq!(
            summary("f.odps", &clean),
            "check: no failures and no hazards in 3 statements of f.odps; the world is unchanged.\n"
        );
    }
}
