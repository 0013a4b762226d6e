//! Access denied on objects, in the two families the service uses: a REST request
//! (`ODPS-0420095: Access Denied - Authorization Failed [4019], You have NO privilege …`) and an
//! SQL job's compile-time check (`ODPS-0130013:Authorization exception - Authorization Failed
//! [4019], … Context ID:<id>.\t--->Tips: CurrentProject:<p>; Pricipal:<name>; …`, with the
//! service's own spelling "Pricipal"). odpsh adds to the tips the permission-matrix row that
//! governs the statement, when one does. `tests` pins each shape.

use crate::engine::code::Code;
use std::fmt;

/// Where the check ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Channel {
    /// A request such as `desc`, `show tables`, `add jar` or `grant`.
    Rest,
    /// An SQL job (`create table`, `drop table`, `select`, `insert`) in `current_project`.
    Sql {
        context_id: String,
        current_project: String,
    },
    /// A Tunnel download (the Tunnel service's `ErrorCode=…, ErrorMessage=…` form).
    Tunnel,
}

/// Why access was denied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `[4019]`: no grant path gives the action. `columns` lists the columns of a table the
    /// principal holds no grant for, when it holds grants on others.
    NoPrivilege {
        action: &'static str,
        resource: String,
        columns: Vec<String>,
    },
    /// `[4002]`: the principal is not a member of the project the object belongs to.
    NotInProject(String),
    /// `[4031]`: label-based access control (No-ReadUp): `column` is more sensitive than the
    /// reader's effective level.
    Label {
        resource: String,
        column: String,
        sensitivity: u8,
        effective: u8,
    },
    /// `[4021]`: project protection keeps the data of `project` from flowing out.
    Protected {
        action: &'static str,
        resource: String,
        project: String,
    },
    /// `[4021]`: download control is on and no grant path gives Download.
    NoDownload { resource: String },
    /// `[4011]`: a Deny statement of a policy the principal is bound by matches; `by` names it
    /// (odpsh's tip).
    ExplicitDeny {
        action: &'static str,
        resource: String,
        by: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied {
    pub channel: Channel,
    pub refusal: Refusal,
    /// The principal's display name.
    pub principal: String,
    /// odpsh's addition to the tips: the permission-matrix row, or how to get through.
    pub tip: Option<String>,
}

impl std::error::Error for Denied {}

/// odpsh's tip for a flow project protection stopped.
pub fn protection_tip(source: &str, destination: &str) -> String {
    format!(
        "The data of project {source} may flow only to its trusted projects: its owner may run add trustedproject {destination}; in {source}."
    )
}

impl Denied {
    pub fn code(&self) -> Code {
        match self.channel {
            Channel::Rest => Code::AccessDenied,
            Channel::Sql { .. } => Code::AuthorizationException,
            Channel::Tunnel => Code::NoPermission,
        }
    }
}

impl fmt::Display for Denied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.channel {
            Channel::Rest => f.write_str("ODPS-0420095: Access Denied - ")?,
            Channel::Sql { .. } => f.write_str("ODPS-0130013:Authorization exception - ")?,
            Channel::Tunnel => f.write_str("ErrorCode=NoPermission, ErrorMessage=")?,
        }
        let mut columns: &[String] = &[];
        match &self.refusal {
            Refusal::NoPrivilege {
                action,
                resource,
                columns: missing,
            } => {
                write!(
                    f,
                    "Authorization Failed [4019], You have NO privilege 'odps:{action}' on {{acs:odps:*:{resource}}}."
                )?;
                if matches!(self.channel, Channel::Sql { .. }) {
                    f.write_str(" Deny as default for Resource.")?;
                }
                columns = missing;
            }
            Refusal::ExplicitDeny {
                action, resource, ..
            } => write!(
                f,
                "Authorization Failed [4011], You have NO privilege 'odps:{action}' on {{acs:odps:*:{resource}}}. Explicitly denied by policy."
            )?,
            Refusal::Label {
                resource,
                column,
                sensitivity,
                effective,
            } => write!(
                f,
                "Authorization Failed [4031], You have NO privilege 'odps:Select' on {{acs:odps:*:{resource}}}. CheckLabelSecurity failed. The sensitive label of column '{column}' is {sensitivity}, but your effective label is {effective}."
            )?,
            Refusal::NoDownload { resource } => write!(
                f,
                "Authorization Failed [4021], You have NO privilege 'odps:Download' on {{acs:odps:*:{resource}}}."
            )?,
            Refusal::NotInProject(project) => write!(
                f,
                "Authorization Failed [4002], You don't exist in project {project}."
            )?,
            Refusal::Protected {
                action,
                resource,
                project,
            } => write!(
                f,
                "Authorization Failed [4021], You have NO privilege 'odps:{action}' on {{acs:odps:*:{resource}}}. project '{project}' is protected. You need to contact the project owner to set the exception policy for you."
            )?,
        }
        match &self.channel {
            Channel::Rest | Channel::Tunnel => {
                write!(f, "\n\t--->Tips: Principal:{};", self.principal)?
            }
            Channel::Sql {
                context_id,
                current_project,
            } => write!(
                f,
                " Context ID:{context_id}.\t--->Tips: CurrentProject:{current_project}; Pricipal:{};",
                self.principal
            )?,
        }
        if !columns.is_empty() {
            write!(
                f,
                " ACL check failed. You have no permissions to access column: {}",
                columns.join(", ")
            )?;
        }
        if let Some(tip) = &self.tip {
            write!(f, " {tip}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sql() -> Channel {
        Channel::Sql {
            context_id: "9639d82c-4cc6-451f-af60-afa4c645ba2f".into(),
            current_project: "p".into(),
        }
    }

    #[test]
    fn rest_denials_have_the_documented_shape() {
        let d = Denied {
            channel: Channel::Rest,
            refusal: Refusal::NoPrivilege {
                action: "CreateTable",
                resource: "projects/p".into(),
                columns: vec![],
            },
            principal: "RAM$M:guest".into(),
            tip: Some("(row)".into()),
        };
        assert_eq!(
            d.to_string(),
            "ODPS-0420095: Access Denied - Authorization Failed [4019], You have NO privilege 'odps:CreateTable' on {acs:odps:*:projects/p}.\n\t--->Tips: Principal:RAM$M:guest; (row)"
        );
        let d = Denied {
            refusal: Refusal::NotInProject("q".into()),
            tip: None,
            ..d
        };
        assert_eq!(
            d.to_string(),
            "ODPS-0420095: Access Denied - Authorization Failed [4002], You don't exist in project q.\n\t--->Tips: Principal:RAM$M:guest;"
        );
        assert_eq!(d.code(), "ODPS-0420095");
    }

    #[test]
    fn sql_denials_have_the_documented_shape() {
        let d = Denied {
            channel: sql(),
            refusal: Refusal::NoPrivilege {
                action: "Select",
                resource: "projects/p/tables/t".into(),
                columns: vec!["phone".into(), "email".into()],
            },
            principal: "RAM$M:guest".into(),
            tip: None,
        };
        assert_eq!(
            d.to_string(),
            "ODPS-0130013:Authorization exception - Authorization Failed [4019], You have NO privilege 'odps:Select' on {acs:odps:*:projects/p/tables/t}. Deny as default for Resource. Context ID:9639d82c-4cc6-451f-af60-afa4c645ba2f.\t--->Tips: CurrentProject:p; Pricipal:RAM$M:guest; ACL check failed. You have no permissions to access column: phone, email"
        );
        let d = Denied {
            refusal: Refusal::Protected {
                action: "Select",
                resource: "projects/q/tables/t".into(),
                project: "q".into(),
            },
            ..d
        };
        assert_eq!(
            d.to_string(),
            "ODPS-0130013:Authorization exception - Authorization Failed [4021], You have NO privilege 'odps:Select' on {acs:odps:*:projects/q/tables/t}. project 'q' is protected. You need to contact the project owner to set the exception policy for you. Context ID:9639d82c-4cc6-451f-af60-afa4c645ba2f.\t--->Tips: CurrentProject:p; Pricipal:RAM$M:guest;"
        );
        assert_eq!(
            protection_tip("q", "p"),
            "The data of project q may flow only to its trusted projects: its owner may run add trustedproject p; in q."
        );
        let d = Denied {
            refusal: Refusal::NotInProject("q".into()),
            ..d
        };
        assert_eq!(
            d.to_string(),
            "ODPS-0130013:Authorization exception - Authorization Failed [4002], You don't exist in project q. Context ID:9639d82c-4cc6-451f-af60-afa4c645ba2f.\t--->Tips: CurrentProject:p; Pricipal:RAM$M:guest;"
        );
        assert_eq!(d.code(), "ODPS-0130013");
    }
}
