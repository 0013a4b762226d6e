//! The DataWorks workspace roles as DataWorks (2020-05-18) documents them: each role's code,
//! the id and name `ListProjectRoles` answers, and whether `AddProjectMemberToRole` may give it.
//! A static table: every workspace has the same system roles, so nothing here is stored.
//!
//! Six of them are also MaxCompute project roles every project carries
//! ([`super::WORKSPACE_ROLES`]); a member given one of the others is bound in the project to a
//! role of that code, which the binding creates when the project lacks it.

/// One system role of a DataWorks workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkspaceRole {
    /// `ProjectRoleId` (odpsh's numbering: the documentation gives no ids).
    pub id: u32,
    /// `ProjectRoleCode`.
    pub code: &'static str,
    /// `ProjectRoleName`.
    pub name: &'static str,
    /// Whether a member may be added to it or removed from it: the owner role belongs to the
    /// workspace owner alone.
    pub assignable: bool,
}

/// `ProjectRoleType` of a system role (`SYSTEM`); custom roles (`2`) are not simulated.
pub const SYSTEM_ROLE_TYPE: &str = "0";

const fn role(id: u32, code: &'static str, name: &'static str) -> WorkspaceRole {
    WorkspaceRole {
        id,
        code,
        name,
        assignable: true,
    }
}

/// Every system role, in the order the documentation lists them.
pub const DATAWORKS_ROLES: [WorkspaceRole; 9] = [
    WorkspaceRole {
        assignable: false,
        ..role(1, "role_project_owner", "Workspace Owner")
    },
    role(2, "role_project_admin", "Workspace Administrator"),
    role(3, "role_project_dev", "Developer"),
    role(4, "role_project_pe", "O&M Engineer"),
    role(5, "role_project_deploy", "Deployment Expert"),
    role(6, "role_project_guest", "Visitor"),
    role(7, "role_project_security", "Security Administrator"),
    role(8, "role_project_tester", "Experiencer"),
    role(9, "role_project_erd", "Model Designer"),
];

/// The system role of code `code` (as DataWorks spells it, any case).
pub fn workspace_role(code: &str) -> Option<&'static WorkspaceRole> {
    DATAWORKS_ROLES
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}

/// The system role a member may be given or lose, of code `code`.
pub fn assignable_role(code: &str) -> Option<&'static WorkspaceRole> {
    workspace_role(code).filter(|r| r.assignable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_codes_are_exact_and_every_project_role_is_one() {
        let codes: Vec<&str> = DATAWORKS_ROLES.iter().map(|r| r.code).collect();
        // The six every project carries, between the owner and the two DataWorks adds.
        assert_eq!(codes[1..7], *super::super::WORKSPACE_ROLES);
        assert_eq!(
            [codes[0], codes[7], codes[8]],
            [
                "role_project_owner",
                "role_project_tester",
                "role_project_erd"
            ]
        );
        for code in super::super::WORKSPACE_ROLES {
            assert!(assignable_role(code).is_some(), "{code}");
        }
        let ids: Vec<u32> = DATAWORKS_ROLES.iter().map(|r| r.id).collect();
        assert_eq!(ids, (1..=9).collect::<Vec<u32>>());
        assert_eq!(
            workspace_role("ROLE_PROJECT_GUEST").map(|r| r.name),
            Some("Visitor")
        );
        assert_eq!(assignable_role("role_project_owner"), None);
        assert_eq!(workspace_role("role_project_boss"), None);
    }
}
