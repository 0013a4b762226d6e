//! One example of every failure kind the engine reports, for the tests that walk them all
//! (every kind has an explanation: `teach::explain`). Tests below compare these lists with the
//! declarations in `error.rs`, so a kind added there without an example here fails a test.

use super::error::{Channel, Denied, ObjectError, OdpsError, RamError, Refusal};
use super::matrix::{Denial, ROW_CREATE_PROJECT_CLI, ROW_FULL_TABLE_SCAN, ROW_WORKSPACE_MEMBERS};
use super::matrix::{ROW_CREATE_PROJECT_DATAWORKS, Reason};
use crate::matrix::Prerequisite;

impl OdpsError {
    /// One value of every variant, in declaration order.
    pub fn examples() -> Vec<OdpsError> {
        let user = || "RAM$MainCount:hanmeimei".to_string();
        let project = || "MaxCompute".to_string();
        vec![
            OdpsError::LackOfAccountProvider,
            OdpsError::ProviderNotEnabled("LDAP$bob".into()),
            OdpsError::InvalidAccountName(user()),
            OdpsError::AccessKeyNotFound("LTAI00000000000000000000".into()),
            OdpsError::AccessKeyInactive("LTAI00000000000000000000".into()),
            OdpsError::SecurityTokenMissing("STS.0000000000000000000000000".into()),
            OdpsError::SecurityTokenExpired("STS.0000000000000000000000000".into()),
            OdpsError::SecurityTokenMismatch("STS.0000000000000000000000000".into()),
            OdpsError::SignatureMismatch,
            OdpsError::ProjectNotFound("nosuch".into()),
            OdpsError::NotInProject(project()),
            OdpsError::NoPrivilege {
                action: "AddUser",
                project: project(),
            },
            OdpsError::OwnerOnlyAdminRole,
            OdpsError::PolicyFormat("invalid Action value - odps:CreatePackage".into()),
            OdpsError::PolicyFile {
                file: "policy.json".into(),
                reason: "No such file or directory (os error 2)".into(),
            },
            OdpsError::SuperAdminRoleRestricted,
            OdpsError::AlreadyMember {
                user: user(),
                project: project(),
            },
            OdpsError::OwnerIsImplicitMember {
                user: "ALIYUN$MainCount".into(),
                project: project(),
            },
            OdpsError::NotMember {
                user: user(),
                project: project(),
            },
            OdpsError::StillHoldsRoles {
                user: user(),
                project: project(),
                roles: "role_project_dev".into(),
            },
            OdpsError::ForeignRamUser {
                user: "RAM$Other:bob".into(),
                owner: "MainCount".into(),
                project: project(),
            },
            OdpsError::UnknownProperty("odps.x".into()),
            OdpsError::InvalidPropertyValue {
                key: "odps.sql.allow.fullscan".into(),
                value: "maybe".into(),
            },
            OdpsError::SetByTicket {
                key: "odps.python.udf.enabled".into(),
                project: project(),
            },
            OdpsError::RoleExists("worker".into()),
            OdpsError::NoSuchRole("worker".into()),
            OdpsError::BuiltinRole("admin".into()),
            OdpsError::RoleInUse {
                role: "worker".into(),
                count: 1,
            },
            OdpsError::OwnerOnly("manage account providers"),
            OdpsError::Denied(Box::new(Denied::examples().remove(0))),
            OdpsError::Object(ObjectError::BadCommand),
        ]
    }
}

impl Denied {
    /// One refusal for every [`Refusal`] and [`Channel`], in declaration order of the refusals.
    pub fn examples() -> Vec<Denied> {
        let principal = || "RAM$MainCount:guest".to_string();
        vec![
            Denied {
                channel: Channel::Rest,
                refusal: Refusal::NoPrivilege {
                    action: "Select",
                    resource: "projects/MaxCompute/tables/sales".into(),
                    columns: vec![],
                },
                principal: principal(),
                tip: None,
            },
            Denied {
                channel: Channel::Sql {
                    context_id: "9639d82c-4cc6-451f-af60-afa4c645ba2f".into(),
                    current_project: "MaxCompute".into(),
                },
                refusal: Refusal::NotInProject("team_a".into()),
                principal: principal(),
                tip: None,
            },
            Denied {
                channel: Channel::Sql {
                    context_id: "9639d82c-4cc6-451f-af60-afa4c645ba2f".into(),
                    current_project: "MaxCompute".into(),
                },
                refusal: Refusal::Label {
                    resource: "projects/MaxCompute/tables/sales".into(),
                    column: "phone".into(),
                    sensitivity: 3,
                    effective: 1,
                },
                principal: principal(),
                tip: None,
            },
            Denied {
                channel: Channel::Sql {
                    context_id: "9639d82c-4cc6-451f-af60-afa4c645ba2f".into(),
                    current_project: "MaxCompute".into(),
                },
                refusal: Refusal::Protected {
                    action: "Select",
                    resource: "projects/team_a/tables/secrets".into(),
                    project: "team_a".into(),
                },
                principal: principal(),
                tip: Some(super::error::protection_tip("team_a", "MaxCompute")),
            },
            Denied {
                channel: Channel::Tunnel,
                refusal: Refusal::NoDownload {
                    resource: "projects/MaxCompute/tables/sales".into(),
                },
                principal: principal(),
                tip: None,
            },
            Denied {
                channel: Channel::Rest,
                refusal: Refusal::ExplicitDeny {
                    action: "Drop",
                    resource: "projects/MaxCompute/tables/tb_sales".into(),
                    by: "denied by the policy of role delete_test: D projects/MaxCompute/tables/tb_*: Drop".into(),
                },
                principal: principal(),
                tip: Some("denied by the policy of role delete_test: D projects/MaxCompute/tables/tb_*: Drop".into()),
            },
        ]
    }
}

impl ObjectError {
    /// One value of every variant, in declaration order.
    pub fn examples() -> Vec<ObjectError> {
        let p = || "MaxCompute".to_string();
        let t = || "sales".to_string();
        vec![
            ObjectError::TableNotResolved {
                project: p(),
                table: t(),
            },
            ObjectError::TableNotFound {
                project: p(),
                table: t(),
            },
            ObjectError::TableExists {
                project: p(),
                table: t(),
            },
            ObjectError::ColumnNotResolved {
                column: "price".into(),
            },
            ObjectError::DuplicateColumn {
                column: "id".into(),
            },
            ObjectError::ColumnNotFound {
                project: p(),
                table: t(),
                column: "price".into(),
            },
            ObjectError::ResourceNotFound("udf.jar".into()),
            ObjectError::ResourceExists("udf.jar".into()),
            ObjectError::FunctionNotFound("my_upper".into()),
            ObjectError::FunctionExists("my_upper".into()),
            ObjectError::InstanceNotFound("20260101000005123gk2fzp1m".into()),
            ObjectError::PackageNotFound("team_b.share".into()),
            ObjectError::PackageExists {
                package: "datashare".into(),
                project: p(),
            },
            ObjectError::AlreadyInPackage {
                object: "table sales".into(),
                package: "datashare".into(),
            },
            ObjectError::NotInPackage {
                object: "table sales".into(),
                package: "datashare".into(),
            },
            ObjectError::PackageFull("datashare".into()),
            ObjectError::PackageInstalled {
                package: "MaxCompute.datashare".into(),
                project: "team_b".into(),
            },
            ObjectError::OwnPackage(p()),
            ObjectError::InstallNotAllowed {
                project: "team_b".into(),
                package: "MaxCompute.datashare".into(),
            },
            ObjectError::IpNotInWhitelist {
                ip: "127.0.0.1".into(),
                project: p(),
            },
            ObjectError::DownloadFile {
                file: "out/sales.csv".into(),
                reason: "No such file or directory (os error 2)".into(),
            },
            ObjectError::NotCurrentProject {
                named: "team_a".into(),
                current: p(),
            },
            ObjectError::InvalidExpires("soon".into()),
            ObjectError::UnsupportedProperty("conditions".into()),
            ObjectError::NotBoolean("LabelSecurity".into()),
            ObjectError::BadCommand,
            ObjectError::NotSimulated("label security"),
            ObjectError::AlreadyTrusted {
                trusted: "team_b".into(),
                project: p(),
            },
            ObjectError::NotTrusted {
                trusted: "team_b".into(),
                project: p(),
            },
            ObjectError::TrustSelf(p()),
            ObjectError::ProviderPresent {
                provider: "RAM",
                project: p(),
            },
            ObjectError::ProviderAbsent {
                provider: "RAM",
                project: p(),
            },
            ObjectError::ProviderRequired(p()),
        ]
    }
}

impl RamError {
    /// Every RAM, DataWorks and OpenAPI error odpsh answers with.
    pub const ALL: &'static [RamError] = &[
        RamError::ENTITY_NOT_EXIST_USER,
        RamError::ENTITY_ALREADY_EXISTS_USER,
        RamError::USER_NAME_INVALID_CHARS,
        RamError::USER_NAME_LENGTH,
        RamError::NEW_USER_NAME_INVALID_CHARS,
        RamError::NEW_USER_NAME_LENGTH,
        RamError::DISPLAY_NAME_INVALID_CHARS,
        RamError::DISPLAY_NAME_LENGTH,
        RamError::COMMENTS_LENGTH,
        RamError::NO_PERMISSION,
        RamError::ACCESS_KEY_LIMIT,
        RamError::ACCESS_KEY_NOT_EXIST,
        RamError::LOGIN_PROFILE_EXISTS,
        RamError::LOGIN_PROFILE_NOT_EXIST,
        RamError::PASSWORD_TOO_WEAK,
        RamError::POLICY_NOT_EXIST,
        RamError::POLICY_EXISTS,
        RamError::USER_POLICY_EXISTS,
        RamError::USER_POLICY_NOT_EXIST,
        RamError::USER_POLICY_LIMIT,
        RamError::POLICY_TYPE_INVALID,
        RamError::POLICY_NAME_INVALID,
        RamError::POLICY_DOCUMENT_MALFORMED,
        RamError::STATUS_INVALID,
        RamError::BOOLEAN_INVALID,
        RamError::ACCOUNT_ALIAS_INVALID,
        RamError::DELETE_CONFLICT_ACCESS_KEY,
        RamError::DELETE_CONFLICT_LOGIN_PROFILE,
        RamError::DELETE_CONFLICT_POLICY,
        RamError::ACCESS_KEY_ID_NOT_FOUND,
        RamError::ACCESS_KEY_ID_INACTIVE,
        RamError::SIGNATURE_DOES_NOT_MATCH,
        RamError::NOT_REAL_NAME_VERIFIED,
        RamError::PROJECT_NOT_EXISTS,
        RamError::USER_NOT_IN_PROJECT,
        RamError::USER_NOT_IN_TENANT,
        RamError::NOT_WORKSPACE_ADMIN,
        RamError::PROJECT_EXISTS,
        RamError::ROLE_CODE_INVALID,
        RamError::WORKSPACE_OWNER,
        RamError::PAGE_PARAMETER_INVALID,
        RamError::PROJECT_NAME_INVALID,
        RamError::TICKET_PROJECT_NOT_FOUND,
        RamError::EMAIL_FORMAT,
        RamError::MOBILE_PHONE_FORMAT,
        RamError::MAX_ITEMS_INVALID,
        RamError::MARKER_INVALID,
        RamError::GROUP_NAME_INVALID_CHARS,
        RamError::GROUP_NAME_LENGTH,
        RamError::NEW_GROUP_NAME_INVALID_CHARS,
        RamError::NEW_GROUP_NAME_LENGTH,
        RamError::ENTITY_NOT_EXIST_GROUP,
        RamError::ENTITY_ALREADY_EXISTS_GROUP,
        RamError::GROUP_LIMIT,
        RamError::USER_GROUP_EXISTS,
        RamError::USER_GROUP_NOT_EXIST,
        RamError::USER_GROUP_LIMIT,
        RamError::GROUP_POLICY_EXISTS,
        RamError::GROUP_POLICY_NOT_EXIST,
        RamError::GROUP_POLICY_LIMIT,
        RamError::DELETE_CONFLICT_GROUP_USER,
        RamError::DELETE_CONFLICT_GROUP_POLICY,
        RamError::DELETE_CONFLICT_GROUP,
        RamError::DELETE_CONFLICT_MFA_DEVICE,
        RamError::MFA_DEVICE_NAME_INVALID_CHARS,
        RamError::MFA_DEVICE_NAME_LENGTH,
        RamError::MFA_DEVICE_EXISTS,
        RamError::MFA_DEVICE_NOT_EXIST,
        RamError::MFA_DEVICE_LIMIT,
        RamError::USER_MFA_EXISTS,
        RamError::USER_MFA_NOT_EXIST,
        RamError::MFA_DEVICE_BOUND,
        RamError::DELETE_CONFLICT_MFA_USER,
        RamError::AUTHENTICATION_CODE_INVALID,
        RamError::PASSWORD_POLICY_INVALID,
        RamError::LOGIN_SESSION_DURATION_INVALID,
        RamError::LOGIN_NETWORK_MASKS_INVALID,
        RamError::POLICY_DOCUMENT_LENGTH,
        RamError::DOCUMENT_VERSION,
        RamError::DOCUMENT_STATEMENT,
        RamError::DOCUMENT_EFFECT,
        RamError::DOCUMENT_ACTION,
        RamError::DOCUMENT_RESOURCE,
        RamError::DOCUMENT_CONDITION,
        RamError::DOCUMENT_ELEMENT,
        RamError::DELETE_CONFLICT_POLICY_USER,
        RamError::DELETE_CONFLICT_POLICY_GROUP,
        RamError::DELETE_CONFLICT_POLICY_VERSION,
        RamError::POLICY_VERSION_LIMIT,
        RamError::POLICY_VERSION_NOT_EXIST,
        RamError::DEFAULT_VERSION_CONFLICT,
        RamError::ROTATE_STRATEGY_INVALID,
        RamError::ROLE_NAME_INVALID_CHARS,
        RamError::ROLE_NAME_LENGTH,
        RamError::ENTITY_NOT_EXIST_ROLE,
        RamError::ENTITY_ALREADY_EXISTS_ROLE,
        RamError::ROLE_LIMIT,
        RamError::DELETE_CONFLICT_ROLE_POLICY,
        RamError::ROLE_POLICY_EXISTS,
        RamError::ROLE_POLICY_NOT_EXIST,
        RamError::ROLE_POLICY_LIMIT,
        RamError::TRUST_POLICY_INVALID,
        RamError::MAX_SESSION_DURATION_INVALID,
        RamError::DESCRIPTION_LENGTH,
        RamError::ROLE_ARN_INVALID,
        RamError::ROLE_SESSION_NAME_INVALID,
        RamError::DURATION_SECONDS_INVALID,
        RamError::ROOT_MAY_NOT_ASSUME,
        RamError::ASSUME_ROLE_NO_PERMISSION,
        RamError::SECURITY_TOKEN_MISSING,
        RamError::SECURITY_TOKEN_EXPIRED,
        RamError::SECURITY_TOKEN_MISMATCH,
    ];
}

impl Denial {
    /// One refusal for every [`Reason`], in declaration order.
    pub fn examples() -> Vec<Denial> {
        let denial = |row, reason| Denial { row, reason };
        vec![
            denial(
                ROW_CREATE_PROJECT_CLI,
                Reason::NotSupported {
                    for_ram_users: false,
                },
            ),
            denial(ROW_FULL_TABLE_SCAN, Reason::OwnerOnly),
            denial(
                ROW_WORKSPACE_MEMBERS,
                Reason::NeedsRole(&["role_project_admin"]),
            ),
            denial(21, Reason::NeedsMembership),
            denial(
                ROW_CREATE_PROJECT_DATAWORKS,
                Reason::Prerequisite(Prerequisite::MainAccountKeyEnabled),
            ),
        ]
    }
}

/// The name a value's `Debug` text starts with: its variant's name.
pub fn variant_name(debug: &str) -> &str {
    let end = debug
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(debug.len());
    &debug[..end]
}

/// The variant names declared by `pub enum <name> {` in Rust source `text` (variants are the
/// lines indented by four spaces that start with a capital letter).
pub fn declared_variants<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    let header = format!("pub enum {name} {{");
    let Some(start) = text.find(&header) else {
        return Vec::new();
    };
    text[start + header.len()..]
        .lines()
        .take_while(|l| !l.starts_with('}'))
        .filter_map(|l| l.strip_prefix("    "))
        .filter(|l| l.starts_with(|c: char| c.is_ascii_uppercase()))
        .map(variant_name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const ERROR_RS: &str = include_str!("error.rs");
    const RAM_RS: [&str; 4] = [
        include_str!("error/ram.rs"),
        include_str!("error/ram_iam.rs"),
        include_str!("error/ram_policy.rs"),
        include_str!("error/ram_roles.rs"),
    ];
    const OBJECTS_RS: &str = include_str!("error/objects.rs");
    const DENIED_RS: &str = include_str!("error/denied.rs");

    #[test]
    fn every_odps_error_variant_has_an_example() {
        let declared: Vec<&str> = declared_variants(ERROR_RS, "OdpsError");
        assert!(declared.len() >= 20, "{declared:?}");
        let examples: Vec<String> = OdpsError::examples()
            .iter()
            .map(|e| variant_name(&format!("{e:?}")).to_string())
            .collect();
        assert_eq!(
            examples,
            declared.iter().map(|s| s.to_string()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn every_object_error_and_refusal_has_an_example() {
        let declared = declared_variants(OBJECTS_RS, "ObjectError");
        assert!(declared.len() >= 20, "{declared:?}");
        let examples: Vec<String> = ObjectError::examples()
            .iter()
            .map(|e| variant_name(&format!("{e:?}")).to_string())
            .collect();
        assert_eq!(examples, declared);
        let declared = declared_variants(DENIED_RS, "Refusal");
        let examples: Vec<String> = Denied::examples()
            .iter()
            .map(|d| variant_name(&format!("{:?}", d.refusal)).to_string())
            .collect();
        assert_eq!(examples, declared);
    }

    #[test]
    fn every_matrix_reason_has_an_example() {
        let declared = declared_variants(include_str!("matrix.rs"), "Reason");
        assert_eq!(declared.len(), 5, "{declared:?}");
        let examples: Vec<String> = Denial::examples()
            .iter()
            .map(|d| variant_name(&format!("{:?}", d.reason)).to_string())
            .collect();
        assert_eq!(examples, declared);
    }

    #[test]
    fn every_ram_error_is_listed_once() {
        let declared = RAM_RS
            .iter()
            .flat_map(|text| text.lines())
            .filter(|l| l.trim_start().starts_with("pub const ") && l.contains(": RamError"))
            .count();
        assert_eq!(RamError::ALL.len(), declared);
        // Only NoPermission is answered with more than one message: AssumeRole's own two
        // (a main account; neither side of the permission) besides every other refusal.
        let shared = [
            RamError::NO_PERMISSION,
            RamError::ROOT_MAY_NOT_ASSUME,
            RamError::ASSUME_ROLE_NO_PERMISSION,
        ];
        assert!(
            shared
                .iter()
                .all(|e| e.code() == crate::engine::Code::NoPermission)
        );
        let codes: BTreeSet<&str> = RamError::ALL.iter().map(|e| e.code().as_str()).collect();
        assert_eq!(codes.len(), RamError::ALL.len() - 2, "codes repeat");
    }
}
