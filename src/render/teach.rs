//! The teach layer's answers as text and JSON: explanations, off-boarding plans and runs,
//! who-may and what-may answers, and `check` reports. Every sentence odpsh adds around the
//! teach layer's data lives here once (the lesson texts live in `teach::lessons`).

use serde_json::{Value, json};

use super::Rendered;
use crate::teach::explain::Explanation;
use crate::teach::offboard::{OwnedObjects, Plan, Purpose, RunReport, Step, TargetKind, Trace};
use crate::teach::{Answer, TeachError, failure_message, statement_line};

/// Printed by `explain;` before any statement failed.
pub const NOTHING_TO_EXPLAIN: &str = "Nothing to explain: no statement has failed in this session.";

/// A statement as typed, on one line.
pub fn one_line(typed: &str) -> String {
    typed
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ;", ";")
}

fn section(out: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    out.push_str(title);
    out.push_str(":\n");
    for item in items {
        out.push_str("  ");
        out.push_str(item);
        out.push('\n');
    }
}

/// An explanation as text.
pub fn explanation(e: &Explanation) -> String {
    let mut out = format!(
        "explain: {}\nfailed with: {}\n",
        one_line(&e.statement),
        e.failure
    );
    section(&mut out, "why", &e.why);
    out.push_str(&format!("rule: {}\n", e.rule));
    section(&mut out, "fix it now", &e.fix);
    section(&mut out, "would have avoided it", &e.avoid);
    section(&mut out, "note", &e.notes);
    out
}

/// An explanation as JSON.
pub fn explanation_value(e: &Explanation) -> Value {
    json!({
        "statement": one_line(&e.statement),
        "failure": e.failure,
        "code": e.code,
        "topic": e.topic,
        "why": e.why,
        "rule": e.rule,
        "fix": e.fix,
        "avoid": e.avoid,
        "notes": e.notes,
    })
}

/// The comment before a plan, and a comment line for each thing it left out.
pub fn plan_header(plan: &Plan) -> String {
    let id_label = match plan.kind {
        TargetKind::User => "UserId",
        TargetKind::Role => "RoleId",
    };
    let mut out = match plan.shown_uid() {
        Some(uid) => format!(
            "-- Off-boarding {} ({id_label} {uid}), in the order that leaves no residue:\n",
            plan.user
        ),
        None => format!(
            "-- Off-boarding {}, in the order that leaves no residue:\n",
            plan.user
        ),
    };
    for n in &plan.not_shown {
        out.push_str(&format!("-- {n}\n"));
    }
    let residue = match plan.kind {
        TargetKind::User => plan
            .shown_uid()
            .map_or_else(|| "p4_<UserId>".to_string(), |uid| format!("p4_{uid}")),
        TargetKind::Role => format!("v4_{}", plan.uid),
    };
    for o in &plan.owned {
        out.push_str(&format!(
            "-- it created objects in {}, which stay there and will show their owner as {residue}: {}\n",
            o.project,
            o.objects.join(", ")
        ));
    }
    out
}

/// What a group of a plan's steps does, as a comment line.
fn group_comment(steps: &[&Step]) -> String {
    let mut project = None;
    let mut actions = Vec::new();
    for step in steps {
        match &step.purpose {
            Purpose::UseProject(p) => project = Some(p.clone()),
            Purpose::RevokeRoles { project: p } => {
                project = Some(p.clone());
                actions.push("revoke its roles".to_string());
            }
            Purpose::RevokeGrants { project: p, .. } => {
                project = Some(p.clone());
                if !actions.iter().any(|a| a == "revoke its ACL grants") {
                    actions.push("revoke its ACL grants".to_string());
                }
            }
            Purpose::RevokeLabels { project: p } => {
                project = Some(p.clone());
                if !actions.iter().any(|a| a == "revoke its labels") {
                    actions.push("revoke its labels".to_string());
                }
            }
            Purpose::RemoveMember { project: p } => {
                project = Some(p.clone());
                actions.push("remove it".to_string());
            }
            Purpose::LeaveWorkspace {
                project: p,
                workspace,
            } => {
                project = Some(p.clone());
                actions.push(format!("take it off DataWorks workspace {workspace}"));
            }
            Purpose::ReturnToProject(p) => return format!("-- back to project {p}\n"),
            Purpose::DisableKey(_)
            | Purpose::DeleteKey(_)
            | Purpose::DeleteLoginProfile
            | Purpose::UnbindMfa(_)
            | Purpose::DeleteMfaDevice(_)
            | Purpose::LeaveGroup(_)
            | Purpose::DetachPolicy(_)
            | Purpose::DeleteUser => return ram_comment(steps),
            Purpose::DeleteRole => return ROLE_COMMENT.to_string(),
        }
    }
    format!(
        "-- project {}: {}\n",
        project.unwrap_or_default(),
        actions.join(", ")
    )
}

/// The comment of the RAM steps of a role's plan.
const ROLE_COMMENT: &str =
    "-- RAM: detach the role's policies, then delete the role (its STS credentials stop working)\n";

/// The comment of the RAM steps: what RAM holds of a user, in the order it is cleared (an MFA
/// device and groups are named only when the plan has them).
fn ram_comment(steps: &[&Step]) -> String {
    let has = |f: fn(&Purpose) -> bool| steps.iter().any(|s| f(&s.purpose));
    if has(|p| matches!(p, Purpose::DeleteRole)) {
        return ROLE_COMMENT.to_string();
    }
    let mut parts = vec![
        "disable and delete its AccessKeys",
        "delete its console log-on",
    ];
    if has(|p| matches!(p, Purpose::UnbindMfa(_))) {
        parts.push("unbind and delete its MFA device");
    }
    if has(|p| matches!(p, Purpose::LeaveGroup(_))) {
        parts.push("remove it from its groups");
    }
    parts.push("detach its policies");
    format!("-- RAM: {}, then delete the user\n", parts.join(", "))
}

/// Which group a step belongs to (a new group gets its comment line).
fn group_of(purpose: &Purpose) -> String {
    match purpose {
        Purpose::UseProject(p)
        | Purpose::RevokeRoles { project: p }
        | Purpose::RevokeGrants { project: p, .. }
        | Purpose::RevokeLabels { project: p }
        | Purpose::RemoveMember { project: p }
        | Purpose::LeaveWorkspace { project: p, .. } => format!("project {p}"),
        Purpose::ReturnToProject(_) => "back".to_string(),
        _ => "ram".to_string(),
    }
}

/// A plan as a script: a comment line before each group of statements.
pub fn plan_text(plan: &Plan) -> String {
    let mut out = plan_header(plan);
    let mut groups: Vec<(String, Vec<&Step>)> = Vec::new();
    for step in &plan.steps {
        let key = group_of(&step.purpose);
        match groups.last_mut() {
            Some((k, steps)) if *k == key => steps.push(step),
            _ => groups.push((key, vec![step])),
        }
    }
    for (_, steps) in &groups {
        out.push_str(&group_comment(steps));
        for step in steps {
            out.push_str(&statement_line(&step.statement));
            out.push('\n');
        }
    }
    out
}

/// The warning printed (on stderr) with a plan the acting identity could not run.
/// The warning under a plan that would not run; `run` is how it would be run (`offboard <user>
/// run;` in the shell, `odpsh offboard <user> --run` on the command line).
pub fn plan_would_fail(e: &TeachError, run: &str) -> String {
    format!("WARNING: {e}; {run} would refuse to run it.\n")
}

fn trace_text(trace: &Trace) -> String {
    match trace {
        Trace::Member { project, roles } if roles.is_empty() => {
            format!("still a member of {project}")
        }
        Trace::Member { project, roles } => {
            format!("still a member of {project}, holding {}", roles.join(", "))
        }
        Trace::Grants { project, objects } => {
            format!(
                "still holds ACL grants in {project} on {}",
                objects.join(", ")
            )
        }
        Trace::Workspace { project, workspace } => {
            format!("still listed by DataWorks workspace {workspace} ({project})")
        }
        Trace::PolicyPrincipal { project } => format!(
            "named in the project policy of {project} (get policy; take the name out of the document, then put policy it again)"
        ),
        Trace::RamUser { name } => format!("RAM user {name} still exists"),
        Trace::RamRole { name } => format!("RAM role {name} still exists"),
    }
}

/// Objects left owned, project by project: `in <p> (owner now shown as <p4_…>): <objects>`.
pub fn owned_listing(owned: &[OwnedObjects]) -> Vec<String> {
    owned
        .iter()
        .map(|o| {
            format!(
                "in {} (owner now shown as {}): {}",
                o.project,
                o.owner,
                o.objects.join(", ")
            )
        })
        .collect()
}

/// The verdict after an off-boarding ran when objects it created stay: what remains, and how.
pub fn gone_but_owns(user: &str, owned: &[OwnedObjects]) -> String {
    let listed = owned_listing(owned);
    format!(
        "{user} is gone: no project lists it, no DataWorks workspace remembers it, and RAM has no such user. The objects it created stay with their projects, {}. They are not a membership and grant it nothing; to hand them over, have the new owner re-create what must be kept, or change the owner in the service (odpsh does not simulate changing an owner).\n",
        listed.join("; ")
    )
}

/// The verdict after an off-boarding ran.
pub fn gone(user: &str) -> String {
    format!(
        "{user} is gone: no project lists it, no DataWorks workspace remembers it, no p4_ residue is left, and RAM has no such user.\n"
    )
}

/// The verdict after an off-boarding of a RAM role ran.
pub fn role_gone(role: &str) -> String {
    format!(
        "{role} is gone: no project lists it, no v4_ residue is left, RAM has no such role, and its STS credentials no longer sign.\n"
    )
}

/// What `offboard … run` did: one line per statement, then the verdict.
pub fn run_text(report: &RunReport) -> Rendered {
    let mut rendered = Rendered::default();
    let total = report.steps.len();
    for (i, (statement, outcome)) in report.steps.iter().enumerate() {
        let line = statement_line(statement);
        match outcome {
            Ok(_) => {
                rendered
                    .stdout
                    .push_str(&format!("[{}/{total}] {line} {}\n", i + 1, super::OK))
            }
            Err(f) => rendered.stderr.push_str(&format!(
                "[{}/{total}] {line} {}{}\n",
                i + 1,
                super::FAILED_PREFIX,
                failure_message(f)
            )),
        }
    }
    if report.traces.is_empty() && report.owned.is_empty() {
        rendered.stdout.push_str(&match report.kind {
            TargetKind::User => gone(&report.user),
            TargetKind::Role => role_gone(&report.user),
        });
    } else if report.traces.is_empty() {
        rendered
            .stdout
            .push_str(&gone_but_owns(&report.user, &report.owned));
    } else {
        let left: Vec<String> = report.traces.iter().map(trace_text).collect();
        rendered.stderr.push_str(&format!(
            "{} is not gone: {}.\n",
            report.user,
            left.join("; ")
        ));
    }
    rendered
}

fn trace_value(trace: &Trace) -> Value {
    match trace {
        Trace::Member { project, roles } => {
            json!({ "kind": "member", "project": project, "roles": roles })
        }
        Trace::Grants { project, objects } => {
            json!({ "kind": "grants", "project": project, "objects": objects })
        }
        Trace::Workspace { project, workspace } => {
            json!({ "kind": "workspace", "project": project, "workspace": workspace })
        }
        Trace::PolicyPrincipal { project } => {
            json!({ "kind": "policy_principal", "project": project })
        }
        Trace::RamUser { name } => json!({ "kind": "ram_user", "name": name }),
        Trace::RamRole { name } => json!({ "kind": "ram_role", "name": name }),
    }
}

/// A learning statement's answer as text.
pub fn answer(answer: &Answer) -> Rendered {
    match answer {
        Answer::Explanation(e) => Rendered::out(explanation(e)),
        Answer::NothingToExplain => Rendered::out(format!("{NOTHING_TO_EXPLAIN}\n")),
        Answer::Plan { plan, would_fail } => {
            let mut rendered = Rendered::out(plan_text(plan));
            if let Some(e) = would_fail {
                rendered.stderr = plan_would_fail(e, &format!("offboard {} run;", plan.user));
            }
            rendered
        }
        Answer::Ran(report) => run_text(report),
        Answer::WhoMay(w) => Rendered::out(super::teach_matrix::who_may_text(w)),
        Answer::WhatMay(w) => Rendered::out(super::teach_matrix::what_may_text(w)),
        Answer::TableReaders(r) => Rendered::out(super::teach_readers::readers_text(r)),
    }
}

/// A learning statement's answer as the `result` of a JSON record.
pub fn answer_value(answer: &Answer) -> Value {
    match answer {
        Answer::Explanation(e) => explanation_value(e),
        Answer::NothingToExplain => Value::Null,
        Answer::Plan { plan, would_fail } => json!({
            "user": plan.user,
            "user_id": plan.shown_uid().map(|u| u.to_string()),
            "statements": plan.lines(),
            "would_fail": would_fail.as_ref().map(|e| json!({ "code": e.code(), "message": e.to_string() })),
            "not_shown": plan.not_shown.iter().map(ToString::to_string).collect::<Vec<_>>(),
        }),
        Answer::Ran(report) => {
            let statements: Vec<Value> = report
                .steps
                .iter()
                .map(|(s, o)| {
                    json!({
                        "statement": statement_line(s),
                        "ok": o.is_ok(),
                        "error": o.as_ref().err().map(super::json::failure_value),
                    })
                })
                .collect();
            json!({
                "user": report.user,
                "statements": statements,
                "left": report.traces.iter().map(trace_value).collect::<Vec<_>>(),
                "gone": report.traces.is_empty(),
            })
        }
        Answer::WhoMay(w) => super::teach_matrix::who_may_value(w),
        Answer::WhatMay(w) => super::teach_matrix::what_may_value(w),
        Answer::TableReaders(r) => super::teach_readers::readers_value(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every explanation's whole text is pinned in `src/teach/explain/every_kind.expected`
    /// (`UPDATE_TRANSCRIPTS=1` rewrites it; read the diff before committing).
    #[test]
    fn every_explanation_text_is_pinned() {
        let mut text = String::new();
        for (kind, e) in crate::teach::explain::tests::every_explanation() {
            text.push_str(&format!("=== {kind}\n"));
            text.push_str(&explanation(&e));
        }
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/teach/explain/every_kind.expected"
        );
        if std::env::var_os("UPDATE_TRANSCRIPTS").is_some() {
            std::fs::write(path, &text).unwrap();
        }
        let expected = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            expected == text,
            "explanations differ from {path} (UPDATE_TRANSCRIPTS=1 rewrites it)"
        );
    }
    use crate::teach::offboard::{Plan, RunReport};
    use crate::teach::sight::NotShown;
    use crate::world::Uid;

    #[test]
    fn the_sentences_around_plans_and_runs_are_pinned() {
        assert_eq!(
            NOTHING_TO_EXPLAIN,
            "Nothing to explain: no statement has failed in this session."
        );
        assert_eq!(one_line("remove user p4_1\n;"), "remove user p4_1;");
        let mut plan = Plan {
            user: "RAM$M:a".into(),
            uid: Uid(7),
            kind: TargetKind::User,
            steps: Vec::new(),
            not_shown: Vec::new(),
            owned: Vec::new(),
        };
        assert_eq!(
            plan_header(&plan),
            "-- Off-boarding RAM$M:a (UserId 7), in the order that leaves no residue:\n"
        );
        plan.not_shown = vec![
            NotShown::UserId { user: "a".into() },
            NotShown::AccessKeys { user: "a".into() },
        ];
        assert_eq!(
            plan_header(&plan),
            "-- Off-boarding RAM$M:a, in the order that leaves no residue:\n-- (UserId of a not shown: you may not call GetUser for it)\n-- (AccessKeys of a not shown: you may not call ListAccessKeys for it)\n"
        );
        assert_eq!(
            plan_would_fail(&TeachError::PlanChanged, "offboard a run;"),
            "WARNING: the world changed since the plan was shown; nothing was run: run offboard again; offboard a run; would refuse to run it.\n"
        );
        let left = RunReport {
            kind: TargetKind::User,
            user: "RAM$M:a".into(),
            steps: Vec::new(),
            owned: Vec::new(),
            traces: vec![
                Trace::Member {
                    project: "p".into(),
                    roles: vec!["r".into()],
                },
                Trace::Grants {
                    project: "p".into(),
                    objects: vec!["tables/t".into()],
                },
                Trace::Workspace {
                    project: "p".into(),
                    workspace: 10000,
                },
                Trace::RamUser { name: "a".into() },
            ],
        };
        assert_eq!(
            run_text(&left).stderr,
            "RAM$M:a is not gone: still a member of p, holding r; still holds ACL grants in p on tables/t; still listed by DataWorks workspace 10000 (p); RAM user a still exists.\n"
        );
        assert_eq!(
            gone("RAM$M:a"),
            "RAM$M:a is gone: no project lists it, no DataWorks workspace remembers it, no p4_ residue is left, and RAM has no such user.\n"
        );
    }
}
