//! `who may` and `what may` answers as text and JSON.

use serde_json::{Value, json};

use crate::engine::access::Standing;
use crate::engine::matrix::Reason;
use crate::matrix::Prerequisite;
use crate::teach::matrix_labels::{LABEL_ACTIONS, LabelView, LabelledColumn};
use crate::teach::matrix_queries::{
    Allowance, Grounds, Inert, Operation, PROJECT_ACTIONS, Refused, Subject, WhatMay, WhoMay,
    is_documented,
};
use crate::teach::sight::NotShown;
use crate::world::WORKSPACE_ROLES;
use crate::world::objects::ObjectKind;
use crate::world::role_policies::TABLE_GRANTOR_ROLES;

/// An operation's heading.
fn subject_text(subject: Subject) -> String {
    match subject {
        Subject::Row(r) => format!(
            "[{}] {} / {}: {} / {} ({})",
            r.number,
            r.area_zh,
            r.area_en,
            r.operation_zh,
            r.operation_en,
            r.client.en()
        ),
        Subject::Action(i) => {
            let (action, words) = PROJECT_ACTIONS[i];
            format!("odps:{action} ({words}, MaxCompute CLI)")
        }
        Subject::LabelAction(i) => {
            let (action, words) = LABEL_ACTIONS[i];
            format!("odps:{action} ({words}, MaxCompute CLI, LabelSecurity)")
        }
    }
}

fn labelled_text(c: &LabelledColumn) -> String {
    format!(
        "{}({}) (label {}, its effective label {})",
        c.table, c.column, c.sensitivity, c.effective
    )
}

/// What labels let a principal read (LabelSecurity on).
fn labels_text(v: &LabelView) -> String {
    let mut out = format!(
        "labels (LabelSecurity=true; its own label {}; Select is still needed):\n",
        v.level
    );
    if v.readable.is_empty() && v.refused.is_empty() {
        out.push_str("  no column is labelled\n");
    }
    for (heading, columns) in [("may read", &v.readable), ("may not read", &v.refused)] {
        if !columns.is_empty() {
            let listed: Vec<String> = columns.iter().map(labelled_text).collect();
            out.push_str(&format!("  {heading}: {}\n", listed.join(", ")));
        }
    }
    out
}

fn labelled_value(c: &LabelledColumn) -> Value {
    json!({ "table": c.table, "column": c.column, "label": c.sensitivity, "effective": c.effective })
}

fn labels_value(v: &LabelView) -> Value {
    json!({
        "level": v.level,
        "may_read": v.readable.iter().map(labelled_value).collect::<Vec<_>>(),
        "may_not_read": v.refused.iter().map(labelled_value).collect::<Vec<_>>(),
    })
}

pub(super) fn grounds_text(g: &Grounds) -> String {
    match g {
        Grounds::ProjectOwner => "project owner".to_string(),
        Grounds::SuperAdministrator => "super_administrator".to_string(),
        Grounds::Admin => "admin".to_string(),
        Grounds::Creator => "its creator".to_string(),
        Grounds::Role(r) => r.clone(),
        Grounds::Acl { role: None } => "ACL grant".to_string(),
        Grounds::Acl { role: Some(r) } => format!("ACL grant to role {r}"),
        Grounds::Member => "member".to_string(),
        Grounds::RamPolicy => "its RAM policy".to_string(),
        Grounds::ProjectPolicy => "the project policy".to_string(),
    }
}

/// Every path that let it, and the objects it is limited to.
fn allowance_text(a: &Allowance) -> String {
    let by: Vec<String> = a.by.iter().map(grounds_text).collect();
    let by = by.join(" and ");
    match a.kind {
        Some(kind) if !a.only_on.is_empty() => {
            let plural = if a.only_on.len() > 1 { "s" } else { "" };
            format!("{by}; only on {kind}{plural} {}", a.only_on.join(", "))
        }
        _ => by,
    }
}

/// The paths a security flag switched off, as clauses, or (none) who could.
fn lacking_text(inert: &[Inert], creator_flag: &str, otherwise: String) -> String {
    if inert.is_empty() {
        return otherwise;
    }
    let mut clauses = Vec::new();
    if inert.contains(&Inert::Creator) {
        clauses.push(format!("it created it, but {creator_flag}=false"));
    }
    let roles: Vec<&str> = inert
        .iter()
        .filter_map(|i| match i {
            Inert::Policy(role) => Some(role.as_str()),
            _ => None,
        })
        .collect();
    match roles.as_slice() {
        [] => {}
        [one] => clauses.push(format!(
            "{one}'s policy allows it, but CheckPermissionUsingPolicy=false"
        )),
        many => clauses.push(format!(
            "the policies of {} allow it, but CheckPermissionUsingPolicy=false",
            many.join(", ")
        )),
    }
    for i in inert {
        match i {
            Inert::Acl { role: None } => clauses.push(
                "it holds an ACL grant for it, but CheckPermissionUsingAcl=false".to_string(),
            ),
            Inert::Acl { role: Some(r) } => clauses.push(format!(
                "role {r} holds an ACL grant for it, but CheckPermissionUsingAcl=false"
            )),
            Inert::Creator | Inert::Policy(_) => {}
        }
    }
    clauses.join("; ")
}

fn refused_text(r: &Refused) -> String {
    match r {
        Refused::Matrix(Reason::NotSupported { .. }) => "not supported".to_string(),
        Refused::Matrix(Reason::OwnerOnly) => "the project owner only".to_string(),
        Refused::Matrix(Reason::NeedsRole(roles)) => {
            format!("needs one of the roles {}", roles.join(", "))
        }
        Refused::Matrix(Reason::NeedsMembership) => "needs membership".to_string(),
        Refused::Matrix(Reason::Prerequisite(p)) => {
            format!("needs first: {} ({})", p.en(), p.zh())
        }
        Refused::Lacks {
            kind,
            privilege,
            inert,
            roles,
        } => {
            let on = match kind {
                ObjectKind::Project => "the project".to_string(),
                kind => format!("any {kind}"),
            };
            let roles = if roles.is_empty() {
                String::new()
            } else if roles.len() == WORKSPACE_ROLES.len() {
                ", any DataWorks role".to_string()
            } else {
                format!(", one of the roles {}", roles.join(", "))
            };
            let why = lacking_text(
                inert,
                "ObjectCreatorHasAccessPermission",
                format!("needs admin{roles} or an ACL grant"),
            );
            format!("lacks {privilege} on {on}: {why}")
        }
        Refused::CannotGrant { inert } => {
            let why = lacking_text(
                inert,
                "ObjectCreatorHasGrantPermission",
                format!(
                    "needs admin, one of the roles {}, or to have created the table",
                    TABLE_GRANTOR_ROLES.join(", ")
                ),
            );
            format!("may not grant on any table: {why}")
        }
        Refused::NeedsManager => "needs the owner, a super_administrator or an admin".to_string(),
        Refused::DeniedByPolicy(by) => format!("explicitly {by}"),
        Refused::NotInProject => "not in the project".to_string(),
        Refused::NeedsRamPolicy => "needs the RAM policy AliyunDataWorksFullAccess or AdministratorAccess (a project role does not count), in a real-name verified account".to_string(),
    }
}

fn operation_text(op: &Operation) -> String {
    let mut out = format!("{}\n", subject_text(op.subject));
    let may: Vec<String> = op
        .may
        .iter()
        .map(|v| format!("{} ({})", v.principal, allowance_text(&v.why)))
        .collect();
    if may.is_empty() {
        out.push_str("  may: nobody\n");
    } else {
        out.push_str(&format!("  may: {}\n", may.join(", ")));
    }
    if !op.may_not.is_empty() {
        let not: Vec<String> = op
            .may_not
            .iter()
            .map(|v| format!("{} ({})", v.principal, refused_text(&v.why)))
            .collect();
        out.push_str(&format!("  may not: {}\n", not.join(", ")));
    }
    if !op.cannot_act.is_empty() {
        out.push_str(&format!(
            "  cannot act: {} (residual: the RAM user is deleted)\n",
            op.cannot_act.join(", ")
        ));
    }
    if let Some(p) = op.also_needs {
        out.push_str(&format!("  also needs: {} ({})\n", p.en(), p.zh()));
    }
    if op.documented {
        out.push_str(&format!("  ({DOCUMENTED})\n"));
    }
    out
}

/// What a row no statement of odpsh does is answered from.
const DOCUMENTED: &str = "no statement of odpsh does this: the answer is the matrix as documented";

/// The lines that say what an answer left out.
pub(super) fn not_shown_text(not_shown: &[NotShown]) -> String {
    not_shown.iter().map(|n| format!("{n}\n")).collect()
}

pub(super) fn not_shown_value(not_shown: &[NotShown]) -> Value {
    not_shown.iter().map(ToString::to_string).collect()
}

pub fn who_may_text(w: &WhoMay) -> String {
    let mut out = format!("who may {} in {}:\n", w.words, w.project);
    for op in &w.operations {
        out.push_str(&operation_text(op));
    }
    out.push_str(&not_shown_text(&w.not_shown));
    out
}

fn standing_text(s: Standing) -> &'static str {
    match s {
        Standing::Owner => "the project owner",
        Standing::SuperAdministrator => "a super_administrator",
        Standing::Admin => "an admin",
        Standing::Member => "a member",
        Standing::Outsider => "not in the project",
    }
}

pub fn what_may_text(w: &WhatMay) -> String {
    let Some(standing) = w.standing else {
        return format!(
            "what may {} do in {}:\n{}",
            w.principal,
            w.project,
            not_shown_text(&w.not_shown)
        );
    };
    if w.residual {
        return format!(
            "what may {} do in {}: nothing. It is a residual member (roles: {}): its RAM user is deleted, so no one can act as it, and no statement can name it.\n",
            w.principal,
            w.project,
            if w.roles.is_empty() {
                "none".to_string()
            } else {
                w.roles.join(", ")
            }
        );
    }
    let roles = if w.roles.is_empty() {
        String::new()
    } else {
        format!("; roles: {}", w.roles.join(", "))
    };
    let mut out = format!(
        "what may {} do in {} ({}{roles}):\nmay:\n",
        w.principal,
        w.project,
        standing_text(standing)
    );
    if w.may.is_empty() {
        out.push_str("  nothing\n");
    }
    for (subject, why) in &w.may {
        let also = match subject {
            Subject::Row(r) if r.prerequisite == Prerequisite::GrantedByOwner => {
                format!(
                    "; also needs: {} ({})",
                    r.prerequisite.en(),
                    r.prerequisite.zh()
                )
            }
            _ => String::new(),
        };
        let documented = if is_documented(*subject) {
            " (documented only)"
        } else {
            ""
        };
        out.push_str(&format!(
            "  {}: {}{also}{documented}\n",
            subject_text(*subject),
            allowance_text(why)
        ));
    }
    out.push_str("may not:\n");
    for (subject, why) in &w.may_not {
        let documented = if is_documented(*subject) {
            " (documented only)"
        } else {
            ""
        };
        out.push_str(&format!(
            "  {}: {}{documented}\n",
            subject_text(*subject),
            refused_text(why)
        ));
    }
    if let Some(labels) = &w.labels {
        out.push_str(&labels_text(labels));
    }
    if !w.assumed_by.is_empty() {
        out.push_str(&format!(
            "assumed through STS by (each of them may do all of the above): {}\n",
            w.assumed_by.join(", ")
        ));
    }
    if !w.assumes.is_empty() {
        out.push_str(&format!(
            "may also act through STS as (see what may <role> do): {}\n",
            w.assumes.join(", ")
        ));
    }
    out.push_str(&not_shown_text(&w.not_shown));
    out
}

fn subject_value(subject: Subject) -> Value {
    match subject {
        Subject::Row(r) => {
            json!({ "row": r.number, "operation": { "zh": r.operation_zh, "en": r.operation_en }, "documented": is_documented(subject) })
        }
        Subject::Action(i) => json!({ "action": format!("odps:{}", PROJECT_ACTIONS[i].0) }),
        Subject::LabelAction(i) => json!({ "action": format!("odps:{}", LABEL_ACTIONS[i].0) }),
    }
}

pub fn who_may_value(w: &WhoMay) -> Value {
    let operations: Vec<Value> = w
        .operations
        .iter()
        .map(|op| {
            json!({
                "subject": subject_value(op.subject),
                "may": op.may.iter().map(|v| json!({ "principal": v.principal, "as": allowance_text(&v.why) })).collect::<Vec<_>>(),
                "may_not": op.may_not.iter().map(|v| json!({ "principal": v.principal, "why": refused_text(&v.why) })).collect::<Vec<_>>(),
                "cannot_act": op.cannot_act,
                "also_needs": op.also_needs.map(|p| p.en()),
            })
        })
        .collect();
    json!({
        "words": w.words,
        "project": w.project,
        "operations": operations,
        "not_shown": not_shown_value(&w.not_shown),
    })
}

pub fn what_may_value(w: &WhatMay) -> Value {
    let mut value = json!({
        "principal": w.principal,
        "project": w.project,
        "standing": w.standing.map(standing_text),
        "roles": w.roles,
        "residual": w.residual,
        "may": w.may.iter().map(|(s, g)| json!({ "subject": subject_value(*s), "as": allowance_text(g) })).collect::<Vec<_>>(),
        "may_not": w.may_not.iter().map(|(s, r)| json!({ "subject": subject_value(*s), "why": refused_text(r) })).collect::<Vec<_>>(),
        "not_shown": not_shown_value(&w.not_shown),
    });
    if let Some(labels) = &w.labels {
        value["labels"] = labels_value(labels);
    }
    value["assumed_by"] = json!(w.assumed_by);
    value["assumes"] = json!(w.assumes);
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_residual_may_do_nothing() {
        let w = WhatMay {
            assumed_by: Vec::new(),
            assumes: Vec::new(),
            principal: "p4_7".into(),
            project: "p".into(),
            standing: Some(Standing::Member),
            roles: vec!["role_project_dev".into()],
            residual: true,
            may: Vec::new(),
            may_not: Vec::new(),
            not_shown: Vec::new(),
            labels: None,
        };
        assert_eq!(
            what_may_text(&w),
            "what may p4_7 do in p: nothing. It is a residual member (roles: role_project_dev): its RAM user is deleted, so no one can act as it, and no statement can name it.\n"
        );
        assert_eq!(
            refused_text(&Refused::NeedsManager),
            "needs the owner, a super_administrator or an admin"
        );
        assert_eq!(
            subject_text(Subject::Action(0)),
            "odps:AddUser (add user, MaxCompute CLI)"
        );
    }
}
