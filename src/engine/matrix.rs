//! Enforcing seed 004's permission matrix for the commands that exist, and saying which row
//! refused.

use crate::matrix::{Allowed, MatrixRow, Prerequisite, matrix_row};
use crate::world::acl::Privilege as P;
use crate::world::credentials::KeyStatus;
use crate::world::objects::ObjectKind as K;
use crate::world::{AccountId, PrincipalId, Project, World};

/// The matrix rows odpsh enforces.
pub const ROW_CREATE_PROJECT_DATAWORKS: u8 = 1;
pub const ROW_CREATE_PROJECT_CLI: u8 = 2;
pub const ROW_IP_WHITELIST: u8 = 5;
pub const ROW_FULL_TABLE_SCAN: u8 = 6;
pub const ROW_WORKSPACE_MEMBERS: u8 = 8;
pub const ROW_PROJECT_PROTECTION: u8 = 7;
/// The object rows: their refusals name them in the tips (see `row_tip`).
pub const ROW_JAVA_UDF: u8 = 18;
pub const ROW_PYTHON_UDF: u8 = 19;
/// The project property that records the support ticket enabling Python UDFs (odpsh's name;
/// `aliyun console EnablePythonUDF` stands for the ticket).
pub const PYTHON_UDF_PROPERTY: &str = "odps.python.udf.enabled";
pub const ROW_CREATE_TABLE: u8 = 21;
pub const ROW_UPDATE_TABLE: u8 = 22;
pub const ROW_DROP_TABLE: u8 = 23;
pub const ROW_TABLE_ACL: u8 = 24;
pub const ROW_TABLE_METADATA: u8 = 25;
pub const ROW_CROSS_PROJECT_TABLE: u8 = 26;
pub const ROW_LIST_RESOURCES: u8 = 27;
pub const ROW_CREATE_DELETE_RESOURCE: u8 = 28;
pub const ROW_UPLOAD_RESOURCE: u8 = 29;
pub const ROW_LIST_FUNCTIONS: u8 = 33;
pub const ROW_CREATE_DELETE_FUNCTION: u8 = 34;

/// What the engine asks before it runs the statements of one row of the matrix: the same
/// checks those statements make, so that `who may` and `what may` can ask them too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowRule {
    /// Membership, then each privilege (on the project, or on objects of a kind) through
    /// [`super::authorize::Authority::why`], then the row's prerequisite.
    Privileges(&'static [(K, P)]),
    /// Granting and revoking on a table: [`super::authorize::Authority::why_grant`].
    TableGrant,
    /// The row's actor columns, as [`check`] reads them (what only the owner keeps).
    Actors,
    /// DataWorks' CreateProject, decided by RAM policy: [`super::may_create_workspace`].
    Workspace,
    /// No statement of odpsh does it: the row is only what seed 004 documents.
    Documented,
}

/// The rule the engine applies to the statements of row `number`.
pub fn row_rule(number: u8) -> RowRule {
    match number {
        ROW_CREATE_PROJECT_DATAWORKS => RowRule::Workspace,
        ROW_CREATE_PROJECT_CLI
        | ROW_IP_WHITELIST
        | ROW_FULL_TABLE_SCAN
        | ROW_PROJECT_PROTECTION
        | ROW_WORKSPACE_MEMBERS => RowRule::Actors,
        ROW_JAVA_UDF | ROW_PYTHON_UDF => RowRule::Privileges(&[(K::Function, P::Execute)]),
        ROW_CREATE_TABLE => RowRule::Privileges(&[
            (K::Project, P::CreateInstance),
            (K::Project, P::CreateTable),
        ]),
        ROW_UPDATE_TABLE => {
            RowRule::Privileges(&[(K::Project, P::CreateInstance), (K::Table, P::Update)])
        }
        ROW_DROP_TABLE => {
            RowRule::Privileges(&[(K::Project, P::CreateInstance), (K::Table, P::Drop)])
        }
        ROW_TABLE_ACL => RowRule::TableGrant,
        ROW_TABLE_METADATA => {
            RowRule::Privileges(&[(K::Table, P::Describe), (K::Project, P::List)])
        }
        ROW_CROSS_PROJECT_TABLE => RowRule::Privileges(&[(K::Table, P::Describe)]),
        ROW_LIST_RESOURCES | ROW_LIST_FUNCTIONS => RowRule::Privileges(&[(K::Project, P::List)]),
        ROW_CREATE_DELETE_RESOURCE => {
            RowRule::Privileges(&[(K::Project, P::CreateResource), (K::Resource, P::Delete)])
        }
        ROW_UPLOAD_RESOURCE => RowRule::Privileges(&[(K::Project, P::CreateResource)]),
        ROW_CREATE_DELETE_FUNCTION => {
            RowRule::Privileges(&[(K::Project, P::CreateFunction), (K::Function, P::Delete)])
        }
        _ => RowRule::Documented,
    }
}

/// Why a row refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    NotSupported { for_ram_users: bool },
    OwnerOnly,
    NeedsRole(&'static [&'static str]),
    NeedsMembership,
    Prerequisite(Prerequisite),
}

/// A refusal by one row of the matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    pub row: u8,
    pub reason: Reason,
}

impl Denial {
    /// The sentence users see, naming the row in both languages.
    pub fn message(&self) -> String {
        let Some(r) = matrix_row(self.row) else {
            return format!("refused by permission matrix row {}", self.row);
        };
        let why = match &self.reason {
            Reason::NotSupported {
                for_ram_users: true,
            } => "not supported for RAM users".to_string(),
            Reason::NotSupported {
                for_ram_users: false,
            } => "not supported".to_string(),
            Reason::OwnerOnly => {
                "only the project owner (the main account) may do this".to_string()
            }
            Reason::NeedsRole(roles) => format!("needs one of the roles {}", roles.join(", ")),
            Reason::NeedsMembership => "needs membership of the project".to_string(),
            Reason::Prerequisite(p) => format!("needs first: {} ({})", p.en(), p.zh()),
        };
        format!(
            "{} via {}: {why} [permission matrix row {}: {} {}, {}]",
            r.operation_en,
            r.client.en(),
            r.number,
            r.area_zh,
            r.operation_zh,
            r.client.zh()
        )
    }
}

/// `a`, `a or b`, `a, b or c`.
fn either(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Who a row allows, in words: the end of an access-denied message's tips, naming the row.
pub fn row_tip(number: u8) -> Option<String> {
    let r = matrix_row(number)?;
    let ram = match r.ram_user {
        Allowed::Roles(roles) => format!(" and to RAM users holding {}", either(roles)),
        Allowed::AnyMember => " and to RAM users holding any DataWorks role (ALL)".to_string(),
        Allowed::No | Allowed::Owner => " only".to_string(),
    };
    let prerequisite = match r.prerequisite {
        Prerequisite::None => String::new(),
        p => format!(", once {} ({})", p.en(), p.zh()),
    };
    Some(format!(
        "{}: allowed to the project owner{ram}{prerequisite} [permission matrix row {}: {} {}, {}]",
        r.operation_en,
        r.number,
        r.area_zh,
        r.operation_zh,
        r.client.zh()
    ))
}

fn main_key_enabled(world: &World, account: AccountId) -> bool {
    world
        .account(account)
        .is_some_and(|a| a.own_keys().iter().any(|k| k.status == KeyStatus::Active))
}

/// Checks one row for an actor, in a project (none for creating one) of `account`.
pub fn check(
    world: &World,
    row: &MatrixRow,
    account: AccountId,
    project: Option<&Project>,
    actor: PrincipalId,
) -> Result<(), Denial> {
    let deny = |reason| {
        Err(Denial {
            row: row.number,
            reason,
        })
    };
    let is_main = actor == PrincipalId::Account(account);
    let allowed = if is_main {
        row.main_account
    } else {
        row.ram_user
    };
    match allowed {
        Allowed::No => {
            return deny(Reason::NotSupported {
                for_ram_users: !is_main && row.main_account != Allowed::No,
            });
        }
        Allowed::Owner if !is_main => return deny(Reason::OwnerOnly),
        Allowed::Roles(roles) if !is_main => {
            let holds = project.is_some_and(|p| roles.iter().any(|r| p.holds_role(actor, r)));
            if !holds {
                return deny(Reason::NeedsRole(roles));
            }
        }
        Allowed::AnyMember if !is_main && !project.is_some_and(|p| p.is_member(actor)) => {
            return deny(Reason::NeedsMembership);
        }
        _ => {}
    }
    prerequisite_met(world, row, account, project)
}

/// Whether a row's prerequisite holds: the main account's AccessKey, or the feature a support
/// ticket enables for the project (Python UDFs).
fn prerequisite_met(
    world: &World,
    row: &MatrixRow,
    account: AccountId,
    project: Option<&Project>,
) -> Result<(), Denial> {
    let met = match row.prerequisite {
        Prerequisite::MainAccountKeyEnabled => main_key_enabled(world, account),
        Prerequisite::EnabledByTicket => project.is_some_and(|p| ticket_enabled(p, row.number)),
        _ => true,
    };
    if met {
        Ok(())
    } else {
        Err(Denial {
            row: row.number,
            reason: Reason::Prerequisite(row.prerequisite),
        })
    }
}

/// Whether the support ticket behind a row's "工单申请开通" was granted for the project.
pub fn ticket_enabled(project: &Project, row: u8) -> bool {
    row == ROW_PYTHON_UDF
        && project
            .properties
            .get(PYTHON_UDF_PROPERTY)
            .is_some_and(|v| v == "true")
}

/// Checks only a row's prerequisite (for an operation whose actor column is decided elsewhere).
pub fn check_prerequisite(
    world: &World,
    number: u8,
    account: AccountId,
    project: Option<&Project>,
) -> Result<(), Denial> {
    match matrix_row(number) {
        Some(row) => prerequisite_met(world, row, account, project),
        None => Ok(()),
    }
}

/// Checks the row with this number.
pub fn check_row(
    world: &World,
    number: u8,
    account: AccountId,
    project: Option<&Project>,
    actor: PrincipalId,
) -> Result<(), Denial> {
    match matrix_row(number) {
        Some(row) => check(world, row, account, project, actor),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_tips_say_who_the_row_allows() {
        assert_eq!(
            row_tip(ROW_CREATE_TABLE).unwrap(),
            "Create a table: allowed to the project owner and to RAM users holding role_project_admin or role_project_dev [permission matrix row 21: 数据管理 表-创建, Dataworks/MaxCompute CLI/Studio]"
        );
        assert_eq!(
            row_tip(ROW_CROSS_PROJECT_TABLE).unwrap(),
            "Preview a table of another project: allowed to the project owner and to RAM users holding any DataWorks role (ALL), once granted by the owning main account (主账号指定授权) [permission matrix row 26: 数据管理 表查询-跨Project表预览, Dataworks/MaxCompute CLI/Studio]"
        );
        assert_eq!(row_tip(99), None);
    }

    #[test]
    fn denials_name_their_row_in_both_languages() {
        let d = Denial {
            row: ROW_CREATE_PROJECT_CLI,
            reason: Reason::NotSupported {
                for_ram_users: false,
            },
        };
        assert_eq!(
            d.message(),
            "Create or delete a project via MaxCompute CLI or Studio: not supported [permission matrix row 2: Project管理 Project-创建、删除, MaxCompute CLI/Studio]"
        );
        let d = Denial {
            row: ROW_FULL_TABLE_SCAN,
            reason: Reason::OwnerOnly,
        };
        assert_eq!(
            d.message(),
            "Allow full table scans via DataWorks, MaxCompute CLI or Studio: only the project owner (the main account) may do this [permission matrix row 6: Project管理 全表扫描, Dataworks/MaxCompute CLI/Studio]"
        );
        let d = Denial {
            row: ROW_WORKSPACE_MEMBERS,
            reason: Reason::Prerequisite(Prerequisite::MainAccountKeyEnabled),
        };
        assert!(
            d.message()
                .contains("needs first: the main account has an enabled AccessKey (主账号AK开启)")
        );
    }
}
