//! The permission matrix as text (`show matrix`) and as JSON.

use serde_json::{Value, json};

use crate::matrix::{Allowed, MatrixRow, matrix_row};

fn allowed_zh_en(a: Allowed, owner: bool) -> String {
    match a {
        Allowed::No => "不支持 / not supported".to_string(),
        Allowed::Owner if owner => "支持: 项目所有者 / supported: project owner".to_string(),
        Allowed::Owner => "支持: 项目所有者 / supported: project owner only".to_string(),
        Allowed::AnyMember => "支持: ALL / supported: every member".to_string(),
        Allowed::Roles(roles) => format!("支持 / supported: {}", roles.join(", ")),
    }
}

fn block(r: &MatrixRow) -> String {
    format!(
        "[{}] {} / {}: {} / {}\n    client: {} / {}\n    main account: {}\n    RAM user: {}\n    prerequisite: {} / {}\n",
        r.number,
        r.area_zh,
        r.area_en,
        r.operation_zh,
        r.operation_en,
        r.client.zh(),
        r.client.en(),
        allowed_zh_en(r.main_account, true),
        allowed_zh_en(r.ram_user, false),
        r.prerequisite.zh(),
        r.prerequisite.en(),
    )
}

/// The rows as text blocks separated by blank lines; a note when no row matched.
pub fn text(rows: &[u8]) -> String {
    if rows.is_empty() {
        return "No row of the permission matrix matches.\n".to_string();
    }
    let blocks: Vec<String> = rows
        .iter()
        .filter_map(|n| matrix_row(*n))
        .map(block)
        .collect();
    blocks.join("\n")
}

fn allowed_json(a: Allowed) -> Value {
    match a {
        Allowed::No => json!({ "supported": false }),
        Allowed::Owner => json!({ "supported": true, "as": "project_owner" }),
        Allowed::AnyMember => json!({ "supported": true, "as": "any_member" }),
        Allowed::Roles(roles) => json!({ "supported": true, "roles": roles }),
    }
}

pub fn json(rows: &[u8]) -> Value {
    let items: Vec<Value> = rows
        .iter()
        .filter_map(|n| matrix_row(*n))
        .map(|r| {
            json!({
                "row": r.number,
                "area": { "zh": r.area_zh, "en": r.area_en },
                "operation": { "zh": r.operation_zh, "en": r.operation_en },
                "client": { "zh": r.client.zh(), "en": r.client.en() },
                "main_account": allowed_json(r.main_account),
                "ram_user": allowed_json(r.ram_user),
                "prerequisite": { "zh": r.prerequisite.zh(), "en": r.prerequisite.en() },
            })
        })
        .collect();
    Value::Array(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_prints_in_both_languages() {
        assert_eq!(
            text(&[21]),
            "[21] 数据管理 / Data management: 表-创建 / Create a table\n    client: Dataworks/MaxCompute CLI/Studio / DataWorks, MaxCompute CLI or Studio\n    main account: 支持: 项目所有者 / supported: project owner\n    RAM user: 支持 / supported: role_project_admin, role_project_dev\n    prerequisite: 不涉及 / none\n"
        );
        assert_eq!(text(&[]), "No row of the permission matrix matches.\n");
        assert_eq!(json(&[2])[0]["ram_user"]["supported"], false);
    }
}
