//! What the DataWorks built-in roles may do on a project's objects: their policies, as
//! `show grants` prints them under `Authorization Type: Policy`.
//!
//! Where seed 004's permission matrix has a row for an operation of the MaxCompute CLI (create,
//! update, drop a table; preview table metadata; list, create, upload, delete resources; list,
//! create, delete functions; Java UDFs), that row decides which of these roles may do it. For
//! what the matrix has no row for (reading data, running jobs, instances, packages), the
//! DataWorks role table of the reference decides (admin and dev: everything; pe: everything on
//! the project, functions, resources, instances and jobs, read and describe tables; deploy:
//! nothing; guest and security: not stated). grammar/DECISIONS.md explains each cell.

use super::acl::Privilege;
use super::objects::ObjectKind;

/// What a policy statement covers: the project itself, or every object of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Project,
    Tables,
    Functions,
    Resources,
    Instances,
    Packages,
}

impl Scope {
    pub fn kind(self) -> ObjectKind {
        match self {
            Scope::Project => ObjectKind::Project,
            Scope::Tables => ObjectKind::Table,
            Scope::Functions => ObjectKind::Function,
            Scope::Resources => ObjectKind::Resource,
            Scope::Instances => ObjectKind::Instance,
            Scope::Packages => ObjectKind::Package,
        }
    }

    /// The resource path in project `project`: `projects/<p>` or `projects/<p>/tables/*`.
    pub fn path(self, project: &str) -> String {
        match self {
            Scope::Project => format!("projects/{project}"),
            Scope::Tables => format!("projects/{project}/tables/*"),
            Scope::Functions => format!("projects/{project}/registration/functions/*"),
            Scope::Resources => format!("projects/{project}/resources/*"),
            Scope::Instances => format!("projects/{project}/instances/*"),
            Scope::Packages => format!("projects/{project}/packages/*"),
        }
    }
}

/// One statement of a role's policy: these actions on this scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyStatement {
    pub scope: Scope,
    pub actions: &'static [Privilege],
}

const fn allow(scope: Scope, actions: &'static [Privilege]) -> PolicyStatement {
    PolicyStatement { scope, actions }
}

use Privilege as A;

const ADMIN_AND_DEV: &[PolicyStatement] = &[
    allow(Scope::Project, &[A::All]),
    allow(Scope::Tables, &[A::All]),
    allow(Scope::Functions, &[A::All]),
    allow(Scope::Resources, &[A::All]),
    allow(Scope::Instances, &[A::All]),
    allow(Scope::Packages, &[A::Read]),
];

const PE: &[PolicyStatement] = &[
    allow(
        Scope::Project,
        &[A::Read, A::Write, A::CreateInstance, A::List],
    ),
    allow(
        Scope::Tables,
        &[A::Describe, A::Select, A::Alter, A::Update],
    ),
    allow(Scope::Functions, &[A::Read, A::Write, A::Execute]),
    allow(Scope::Resources, &[A::Read]),
    allow(Scope::Instances, &[A::All]),
    allow(Scope::Packages, &[A::Read]),
];

const DEPLOY: &[PolicyStatement] = &[
    allow(Scope::Project, &[A::List]),
    allow(Scope::Tables, &[A::Describe, A::Alter, A::Update]),
    allow(Scope::Functions, &[A::Read, A::Execute]),
    allow(Scope::Resources, &[A::Read]),
];

const READ_ONLY: &[PolicyStatement] = &[
    allow(Scope::Project, &[A::List]),
    allow(Scope::Tables, &[A::Describe]),
    allow(Scope::Functions, &[A::Read]),
    allow(Scope::Resources, &[A::Read]),
];

/// The policy of a built-in DataWorks role; empty for every other role.
pub fn builtin_policy(role: &str) -> &'static [PolicyStatement] {
    match role {
        "role_project_admin" | "role_project_dev" => ADMIN_AND_DEV,
        "role_project_pe" => PE,
        "role_project_deploy" => DEPLOY,
        "role_project_guest" | "role_project_security" => READ_ONLY,
        _ => &[],
    }
}

/// Whether a built-in role's policy allows `action` on objects of `kind`.
pub fn policy_allows(role: &str, kind: ObjectKind, action: Privilege) -> bool {
    builtin_policy(role).iter().any(|s| {
        s.scope.kind() == kind && (s.actions.contains(&action) || s.actions.contains(&A::All))
    })
}

/// The roles that may grant on single tables (matrix row 24, 单表授权(ACL)).
pub const TABLE_GRANTOR_ROLES: [&str; 2] = ["role_project_admin", "role_project_dev"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guests_read_developers_do_everything() {
        assert!(policy_allows(
            "role_project_dev",
            ObjectKind::Project,
            A::CreateTable
        ));
        assert!(!policy_allows(
            "role_project_guest",
            ObjectKind::Project,
            A::CreateTable
        ));
        assert!(policy_allows(
            "role_project_guest",
            ObjectKind::Table,
            A::Describe
        ));
        assert!(!policy_allows(
            "role_project_guest",
            ObjectKind::Table,
            A::Select
        ));
        assert!(policy_allows(
            "role_project_pe",
            ObjectKind::Table,
            A::Select
        ));
        assert!(!policy_allows(
            "role_project_pe",
            ObjectKind::Table,
            A::Drop
        ));
        assert!(!policy_allows("worker", ObjectKind::Table, A::Describe));
        assert!(
            !policy_allows("admin", ObjectKind::Table, A::Describe),
            "admin is implicit"
        );
    }

    #[test]
    fn paths_name_every_object_of_the_scope() {
        assert_eq!(Scope::Tables.path("p"), "projects/p/tables/*");
        assert_eq!(Scope::Project.path("p"), "projects/p");
    }
}
