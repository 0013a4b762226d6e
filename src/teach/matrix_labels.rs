//! Labels in `who may` and `what may`, when the project has `LabelSecurity=true`: the label
//! management statements (which need the owner, a super_administrator or an admin, as the
//! labels family decides with `require_manager`), and which labelled columns a principal may
//! read, asked of the engine's own No-ReadUp check (`engine::labels::read_refusal`), so the
//! lesson and a `select` never disagree. With LabelSecurity off none of this is shown: labels
//! then decide nothing.

use crate::engine::{label_read_refusal, labels_effective_level};
use crate::world::acl::Grantee;
use crate::world::{PrincipalId, Project, World};

/// The label management actions: the `odps:<Action>` name and the statement words.
pub const LABEL_ACTIONS: [(&str, &str); 4] = [
    ("SetUserLabel", "set label to user"),
    ("SetDataLabel", "set label to table"),
    ("GrantLabel", "grant label"),
    ("RevokeLabel", "revoke label"),
];

/// Whether labels decide anything in `project`.
pub fn in_force(project: &Project) -> bool {
    project.security.flags.label_security
}

/// A labelled column and what labels let a principal do with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledColumn {
    pub table: String,
    pub column: String,
    pub sensitivity: u8,
    /// The principal's effective level for it (its own, its roles', its label grants).
    pub effective: u8,
}

/// What labels let a principal read in a project with LabelSecurity on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelView {
    /// Its own access level (`set label <n> to user`).
    pub level: u8,
    /// Labelled columns (sensitivity above 0) it may read, as far as labels go (`Select` is
    /// still needed).
    pub readable: Vec<LabelledColumn>,
    /// Labelled columns No-ReadUp refuses it.
    pub refused: Vec<LabelledColumn>,
}

/// What labels let `id` read in `project`; `None` when LabelSecurity is off.
pub fn view(world: &World, project: &Project, id: PrincipalId) -> Option<LabelView> {
    if !in_force(project) {
        return None;
    }
    let now = world.clock.now;
    let mut view = LabelView {
        level: project.labels.clearance(&Grantee::User(id)),
        readable: Vec::new(),
        refused: Vec::new(),
    };
    for table in project.objects().tables() {
        let sensitivity = project.labels.table(&table.name);
        for column in &table.columns {
            let level = sensitivity.of_column(&column.name);
            if level == 0 {
                continue;
            }
            let refused = label_read_refusal(
                project,
                id,
                &table.name,
                std::slice::from_ref(&column.name),
                now,
            )
            .is_some();
            let labelled = LabelledColumn {
                table: table.name.clone(),
                column: column.name.clone(),
                sensitivity: level,
                effective: labels_effective_level(project, id, &table.name, &column.name, now),
            };
            if refused {
                view.refused.push(labelled);
            } else {
                view.readable.push(labelled);
            }
        }
    }
    Some(view)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::teach::test_support::world_after;

    const LABELLED: &str = "\
aliyun ram CreateUser --UserName analyst
create table customers (id bigint, phone string, card string);
add user RAM$MainCount:analyst;
set label 3 to table customers (phone);
set label 5 to table customers (card);
set label 1 to user RAM$MainCount:analyst;
grant label 3 on table customers (phone) to user RAM$MainCount:analyst;
";

    fn analyst(world: &World) -> PrincipalId {
        let account = world.account(crate::world::DEFAULT_ACCOUNT_ID).unwrap();
        PrincipalId::RamUser(account.user_named("analyst").unwrap().uid)
    }

    #[test]
    fn labels_say_nothing_while_label_security_is_off() {
        let (world, session) = world_after(LABELLED);
        let project = world.project(&session.project).unwrap();
        assert_eq!(view(&world, project, analyst(&world)), None);
    }

    #[test]
    fn the_view_is_what_a_select_would_be_told() {
        let (world, session) = world_after(&format!("{LABELLED}set LabelSecurity=true;\n"));
        let project = world.project(&session.project).unwrap();
        let view = view(&world, project, analyst(&world)).unwrap();
        assert_eq!(view.level, 1);
        let names = |cols: &[LabelledColumn]| -> Vec<String> {
            cols.iter()
                .map(|c| {
                    format!(
                        "{}({}) {} {}",
                        c.table, c.column, c.sensitivity, c.effective
                    )
                })
                .collect()
        };
        assert_eq!(names(&view.readable), ["customers(phone) 3 3"]);
        assert_eq!(names(&view.refused), ["customers(card) 5 1"]);
        let owner = PrincipalId::Account(project.owner);
        let owners = super::view(&world, project, owner).unwrap();
        assert!(owners.refused.is_empty(), "the owner is not held to labels");
    }
}
