//! The failures of odpsh's learning statements, each with its exact text (pinned below).

use crate::engine::{Code, OdpsError};

/// Why a learning statement (`offboard`, `who may`, `what may`) could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeachError {
    /// A name that does not resolve, a project that does not exist: the engine's own failure.
    #[error("{0}")]
    Odps(#[from] OdpsError),
    #[error("RAM user {user} does not exist in account {account}")]
    NoSuchRamUser { user: String, account: String },
    #[error("{user} is not a RAM user; offboard takes a RAM user")]
    NotARamUser { user: String },
    #[error(
        "{id} is a residual member of {projects}: its RAM user is deleted, and no statement can remove it (explain; tells more)"
    )]
    Residual { id: String, projects: String },
    #[error(
        "{id} is a deleted RAM user that DataWorks workspace {workspaces} still lists: no project lists it, and no statement can take it off that list (DeleteProjectMember fails with Invalid.Tenant.UserNotInTenant; explain; tells more)"
    )]
    WorkspaceResidual { id: String, workspaces: String },
    #[error("{0} is no member of any project whose users you may list, and no RAM user")]
    UnknownInternalId(String),
    #[error(
        "RAM user {user} belongs to account {account}: off-board it as that account, whose RAM it is"
    )]
    OtherAccount { user: String, account: String },
    #[error("the plan would fail at its statement {index} ({statement}): {message}")]
    PlanWouldFail {
        index: usize,
        statement: String,
        message: String,
    },
    #[error("the world changed since the plan was shown; nothing was run: run offboard again")]
    PlanChanged,
    #[error(
        "you may not see all of the plan for {user} (its comments say what is left out), and offboard runs only a whole plan; nothing was run"
    )]
    PlanNotShown { user: String },
    #[error(
        "No row of the permission matrix and no project action matches '{0}' (show matrix; lists the rows)"
    )]
    NoSuchOperation(String),
    /// The caller may see nothing of another user (neither RAM nor any project's grants).
    #[error(
        "you may see nothing of {user}: neither aliyun ram GetUser nor show grants for in any project would answer you"
    )]
    NothingShown { user: String },
}

impl TeachError {
    /// A stable code for programs (`--format json`).
    pub fn code(&self) -> Code {
        match self {
            TeachError::Odps(e) => e.code(),
            TeachError::NoSuchRamUser { .. } => Code::NoSuchRamUser,
            TeachError::NotARamUser { .. } => Code::NotARamUser,
            TeachError::Residual { .. } => Code::ResidualMember,
            TeachError::WorkspaceResidual { .. } => Code::WorkspaceResidual,
            TeachError::UnknownInternalId(_) => Code::UnknownInternalId,
            TeachError::OtherAccount { .. } => Code::OtherAccount,
            TeachError::PlanWouldFail { .. } => Code::PlanWouldFail,
            TeachError::PlanChanged => Code::PlanChanged,
            TeachError::PlanNotShown { .. } => Code::PlanNotShown,
            TeachError::NoSuchOperation(_) => Code::NoSuchOperation,
            TeachError::NothingShown { .. } => Code::NothingShown,
        }
    }

    /// One value of every variant, in declaration order (for the tests that walk every kind).
    pub fn examples() -> Vec<TeachError> {
        vec![
            TeachError::Odps(OdpsError::ProjectNotFound("nosuch".into())),
            TeachError::NoSuchRamUser {
                user: "hanmeimei".into(),
                account: "MainCount".into(),
            },
            TeachError::NotARamUser {
                user: "ALIYUN$MainCount".into(),
            },
            TeachError::Residual {
                id: "p4_26529006289714283".into(),
                projects: "MaxCompute".into(),
            },
            TeachError::WorkspaceResidual {
                id: "p4_26529002128667957".into(),
                workspaces: "10000".into(),
            },
            TeachError::UnknownInternalId("p4_1".into()),
            TeachError::OtherAccount {
                user: "RAM$Other:bob".into(),
                account: "Other".into(),
            },
            TeachError::PlanWouldFail {
                index: 2,
                statement: "remove user RAM$MainCount:hanmeimei;".into(),
                message: "ODPS-0420095: Access Denied - You have no privilege 'odps:RemoveUser' on {acs:odps:*:projects/MaxCompute}".into(),
            },
            TeachError::PlanChanged,
            TeachError::PlanNotShown {
                user: "RAM$MainCount:hanmeimei".into(),
            },
            TeachError::NoSuchOperation("fly".into()),
            TeachError::NothingShown {
                user: "hanmeimei".into(),
            },
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::error_kinds::{declared_variants, variant_name};

    #[test]
    fn every_variant_has_an_example() {
        let declared = declared_variants(include_str!("error.rs"), "TeachError");
        let examples: Vec<String> = TeachError::examples()
            .iter()
            .map(|e| variant_name(&format!("{e:?}")).to_string())
            .collect();
        assert_eq!(examples, declared);
    }

    #[test]
    fn texts_are_pinned() {
        let texts: Vec<String> = TeachError::examples()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            texts,
            [
                "ODPS-0420111: Project not found - 'nosuch'.",
                "RAM user hanmeimei does not exist in account MainCount",
                "ALIYUN$MainCount is not a RAM user; offboard takes a RAM user",
                "p4_26529006289714283 is a residual member of MaxCompute: its RAM user is deleted, and no statement can remove it (explain; tells more)",
                "p4_26529002128667957 is a deleted RAM user that DataWorks workspace 10000 still lists: no project lists it, and no statement can take it off that list (DeleteProjectMember fails with Invalid.Tenant.UserNotInTenant; explain; tells more)",
                "p4_1 is no member of any project whose users you may list, and no RAM user",
                "RAM user RAM$Other:bob belongs to account Other: off-board it as that account, whose RAM it is",
                "the plan would fail at its statement 2 (remove user RAM$MainCount:hanmeimei;): ODPS-0420095: Access Denied - You have no privilege 'odps:RemoveUser' on {acs:odps:*:projects/MaxCompute}",
                "the world changed since the plan was shown; nothing was run: run offboard again",
                "you may not see all of the plan for RAM$MainCount:hanmeimei (its comments say what is left out), and offboard runs only a whole plan; nothing was run",
                "No row of the permission matrix and no project action matches 'fly' (show matrix; lists the rows)",
                "you may see nothing of hanmeimei: neither aliyun ram GetUser nor show grants for in any project would answer you",
            ]
        );
    }
}
