//! `who may` and `what may` answers as text and JSON.

use serde_json::{Value, json};

use crate::engine::access::Standing;
use crate::engine::matrix::Reason;
use crate::matrix::Prerequisite;
use crate::teach::matrix_labels::{LABEL_ACTIONS, LabelView, LabelledColumn};
use crate::teach::matrix_queries::{
    Grounds, Operation, PROJECT_ACTIONS, Refused, Subject, WhatMay, WhoMay,
};
use crate::teach::sight::NotShown;

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

fn grounds_text(g: &Grounds) -> String {
    match g {
        Grounds::ProjectOwner => "project owner".to_string(),
        Grounds::SuperAdministrator => "super_administrator".to_string(),
        Grounds::Admin => "admin".to_string(),
        Grounds::Role(r) => r.clone(),
        Grounds::Member => "member".to_string(),
        Grounds::RamPolicy => "its RAM policy".to_string(),
    }
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
        Refused::NeedsManager => "needs the owner, a super_administrator or an admin".to_string(),
        Refused::NotInProject => "not in the project".to_string(),
        Refused::NeedsRamPolicy => "needs the RAM policy AliyunDataWorksFullAccess or AdministratorAccess (a project role does not count), in a real-name verified account".to_string(),
    }
}

fn operation_text(op: &Operation) -> String {
    let mut out = format!("{}\n", subject_text(op.subject));
    let may: Vec<String> = op
        .may
        .iter()
        .map(|v| format!("{} ({})", v.principal, grounds_text(&v.why)))
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
    out
}

/// The lines that say what an answer left out.
fn not_shown_text(not_shown: &[NotShown]) -> String {
    not_shown.iter().map(|n| format!("{n}\n")).collect()
}

fn not_shown_value(not_shown: &[NotShown]) -> Value {
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
        out.push_str(&format!(
            "  {}: {}{also}\n",
            subject_text(*subject),
            grounds_text(why)
        ));
    }
    out.push_str("may not:\n");
    for (subject, why) in &w.may_not {
        out.push_str(&format!(
            "  {}: {}\n",
            subject_text(*subject),
            refused_text(why)
        ));
    }
    if let Some(labels) = &w.labels {
        out.push_str(&labels_text(labels));
    }
    out.push_str(&not_shown_text(&w.not_shown));
    out
}

fn subject_value(subject: Subject) -> Value {
    match subject {
        Subject::Row(r) => {
            json!({ "row": r.number, "operation": { "zh": r.operation_zh, "en": r.operation_en } })
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
                "may": op.may.iter().map(|v| json!({ "principal": v.principal, "as": grounds_text(&v.why) })).collect::<Vec<_>>(),
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
        "may": w.may.iter().map(|(s, g)| json!({ "subject": subject_value(*s), "as": grounds_text(g) })).collect::<Vec<_>>(),
        "may_not": w.may_not.iter().map(|(s, r)| json!({ "subject": subject_value(*s), "why": refused_text(r) })).collect::<Vec<_>>(),
        "not_shown": not_shown_value(&w.not_shown),
    });
    if let Some(labels) = &w.labels {
        value["labels"] = labels_value(labels);
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_residual_may_do_nothing() {
        let w = WhatMay {
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
