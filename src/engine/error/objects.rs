//! Failures of the object, grant and security-setting statements (other than access denied,
//! see `denied.rs`), with their exact texts. Where the service's text is known the family and
//! code are the service's; the rest is odpsh's wording (grammar/DECISIONS.md). `tests` pins
//! each.

use crate::engine::code::Code;

/// The console's own refusal of a `set` it cannot make sense of (documented).
pub const BAD_COMMAND: &str = "Bad Command, Type \"help;\"(--help) or \"h;\"(-h) for help. ";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ObjectError {
    /// A job names a table that does not exist (MaxCompute's SQL text).
    #[error("ODPS-0130131:Table not found - table {project}.{table} cannot be resolved")]
    TableNotResolved { project: String, table: String },
    /// A statement other than a job names a table that does not exist.
    #[error("ODPS-0420111: Table not found - '{project}.{table}'.")]
    TableNotFound { project: String, table: String },
    #[error(
        "ODPS-0130071:Semantic analysis exception - Table or view already exists - {project}.{table}"
    )]
    TableExists { project: String, table: String },
    #[error("ODPS-0130071:Semantic analysis exception - column {column} cannot be resolved")]
    ColumnNotResolved { column: String },
    #[error("ODPS-0130071:Semantic analysis exception - column {column} is defined more than once")]
    DuplicateColumn { column: String },
    #[error("ODPS-0420111: Column not found - '{project}.{table}.{column}'.")]
    ColumnNotFound {
        project: String,
        table: String,
        column: String,
    },
    #[error("ODPS-0420111: Resource not found - '{0}'.")]
    ResourceNotFound(String),
    #[error("Resource {0} already exists; add it with -f to replace it")]
    ResourceExists(String),
    #[error("ODPS-0420111: Function not found - '{0}'.")]
    FunctionNotFound(String),
    #[error("Function {0} already exists; drop it first to create it again")]
    FunctionExists(String),
    #[error("ODPS-0420111: Instance not found - '{0}'.")]
    InstanceNotFound(String),
    /// A package the project did not create, or did not install (`<source>.<package>`).
    #[error("ODPS-0420111: Package not found - '{0}'.")]
    PackageNotFound(String),
    #[error("Package {package} already exists in project {project}")]
    PackageExists { package: String, project: String },
    #[error(
        "The {object} is already in package {package}; remove it from the package to add it with other privileges"
    )]
    AlreadyInPackage { object: String, package: String },
    #[error("The {object} is not in package {package}")]
    NotInPackage { object: String, package: String },
    /// The documented limit of 1,000 objects per package.
    #[error("Package {0} already holds 1000 objects, the most a package may hold")]
    PackageFull(String),
    #[error("Package {package} is already installed in project {project}")]
    PackageInstalled { package: String, project: String },
    #[error(
        "Project {0} cannot allow itself to install, nor install, its own package: its members use its objects directly"
    )]
    OwnPackage(String),
    #[error("Project {project} is not allowed to install package {package}")]
    InstallNotAllowed { project: String, package: String },
    /// The project's IP whitelist does not admit the request's address (the service's text).
    #[error(
        "Access denied by project ip white list: sourceIP:'{ip}' is not in white list. project: {project}"
    )]
    IpNotInWhitelist { ip: String, project: String },
    /// `tunnel download` could not write its local file.
    #[error("Cannot write the download file {file}: {reason}")]
    DownloadFile { file: String, reason: String },
    /// Grants and `show acl` name only the current project.
    #[error("Project {named} is not the current project {current}; use {named}; first")]
    NotCurrentProject { named: String, current: String },
    #[error("Invalid value for privilege property \"expires\": '{0}' (a whole number of days)")]
    InvalidExpires(String),
    #[error("Unsupported privilege property \"{0}\": odpsh simulates only \"expires\" on grant")]
    UnsupportedProperty(String),
    /// Documented (the console's text).
    #[error("{0} must be boolean String(set XXX=true|false) {BAD_COMMAND}")]
    NotBoolean(String),
    /// Documented (the console's text).
    #[error("{BAD_COMMAND}")]
    BadCommand,
    #[error("{0} is not simulated by odpsh")]
    NotSimulated(&'static str),
    #[error("Project {trusted} is already a trusted project of {project}")]
    AlreadyTrusted { trusted: String, project: String },
    #[error("Project {trusted} is not a trusted project of {project}")]
    NotTrusted { trusted: String, project: String },
    #[error("A project does not need to trust itself: {0}")]
    TrustSelf(String),
    #[error("Account provider {provider} already exists in project {project}")]
    ProviderPresent {
        provider: &'static str,
        project: String,
    },
    #[error("Account provider {provider} does not exist in project {project}")]
    ProviderAbsent {
        provider: &'static str,
        project: String,
    },
    #[error(
        "Account provider ALIYUN cannot be removed: the owner of project {0} is an Alibaba Cloud account"
    )]
    ProviderRequired(String),
}

impl ObjectError {
    /// The service's code where the text carries one, else odpsh's stable name.
    pub fn code(&self) -> Code {
        match self {
            ObjectError::TableNotResolved { .. } => Code::TableNotResolved,
            ObjectError::TableExists { .. }
            | ObjectError::ColumnNotResolved { .. }
            | ObjectError::DuplicateColumn { .. } => Code::SemanticError,
            ObjectError::TableNotFound { .. }
            | ObjectError::ColumnNotFound { .. }
            | ObjectError::ResourceNotFound(_)
            | ObjectError::FunctionNotFound(_)
            | ObjectError::InstanceNotFound(_)
            | ObjectError::PackageNotFound(_) => Code::ProjectNotFound,
            ObjectError::PackageExists { .. } => Code::PackageAlreadyExists,
            ObjectError::AlreadyInPackage { .. } => Code::ObjectInPackage,
            ObjectError::NotInPackage { .. } => Code::ObjectNotInPackage,
            ObjectError::PackageFull(_) => Code::PackageFull,
            ObjectError::PackageInstalled { .. } => Code::PackageInstalled,
            ObjectError::OwnPackage(_) => Code::OwnPackage,
            ObjectError::InstallNotAllowed { .. } => Code::InstallNotAllowed,
            ObjectError::IpNotInWhitelist { .. } => Code::IpNotInWhitelist,
            ObjectError::DownloadFile { .. } => Code::DownloadFile,
            ObjectError::ResourceExists(_) => Code::ResourceAlreadyExists,
            ObjectError::FunctionExists(_) => Code::FunctionAlreadyExists,
            ObjectError::NotCurrentProject { .. } => Code::NotCurrentProject,
            ObjectError::InvalidExpires(_) => Code::InvalidExpires,
            ObjectError::UnsupportedProperty(_) => Code::UnsupportedPrivilegeProperty,
            ObjectError::NotBoolean(_) | ObjectError::BadCommand => Code::BadCommand,
            ObjectError::NotSimulated(_) => Code::NotSimulated,
            ObjectError::AlreadyTrusted { .. } | ObjectError::TrustSelf(_) => {
                Code::TrustedProjectExists
            }
            ObjectError::NotTrusted { .. } => Code::TrustedProjectNotFound,
            ObjectError::ProviderPresent { .. } => Code::AccountProviderExists,
            ObjectError::ProviderAbsent { .. } => Code::AccountProviderNotFound,
            ObjectError::ProviderRequired(_) => Code::AccountProviderRequired,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_texts_are_exact() {
        assert_eq!(
            ObjectError::NotBoolean("LabelSecurity".into()).to_string(),
            "LabelSecurity must be boolean String(set XXX=true|false) Bad Command, Type \"help;\"(--help) or \"h;\"(-h) for help. "
        );
        assert_eq!(
            ObjectError::BadCommand.to_string(),
            "Bad Command, Type \"help;\"(--help) or \"h;\"(-h) for help. "
        );
        assert_eq!(
            ObjectError::TableNotResolved {
                project: "p".into(),
                table: "t".into()
            }
            .to_string(),
            "ODPS-0130131:Table not found - table p.t cannot be resolved"
        );
    }

    #[test]
    fn odpsh_texts_are_pinned() {
        let p = || "p".to_string();
        let cases = [
            (
                ObjectError::TableNotFound {
                    project: p(),
                    table: "t".into(),
                },
                "ODPS-0420111: Table not found - 'p.t'.",
            ),
            (
                ObjectError::TableExists {
                    project: p(),
                    table: "t".into(),
                },
                "ODPS-0130071:Semantic analysis exception - Table or view already exists - p.t",
            ),
            (
                ObjectError::ColumnNotResolved { column: "c".into() },
                "ODPS-0130071:Semantic analysis exception - column c cannot be resolved",
            ),
            (
                ObjectError::DuplicateColumn { column: "c".into() },
                "ODPS-0130071:Semantic analysis exception - column c is defined more than once",
            ),
            (
                ObjectError::ColumnNotFound {
                    project: p(),
                    table: "t".into(),
                    column: "c".into(),
                },
                "ODPS-0420111: Column not found - 'p.t.c'.",
            ),
            (
                ObjectError::ResourceNotFound("a.jar".into()),
                "ODPS-0420111: Resource not found - 'a.jar'.",
            ),
            (
                ObjectError::ResourceExists("a.jar".into()),
                "Resource a.jar already exists; add it with -f to replace it",
            ),
            (
                ObjectError::FunctionNotFound("f".into()),
                "ODPS-0420111: Function not found - 'f'.",
            ),
            (
                ObjectError::FunctionExists("f".into()),
                "Function f already exists; drop it first to create it again",
            ),
            (
                ObjectError::InstanceNotFound("2026x".into()),
                "ODPS-0420111: Instance not found - '2026x'.",
            ),
            (
                ObjectError::PackageNotFound("q.pkg".into()),
                "ODPS-0420111: Package not found - 'q.pkg'.",
            ),
            (
                ObjectError::NotCurrentProject {
                    named: "q".into(),
                    current: p(),
                },
                "Project q is not the current project p; use q; first",
            ),
            (
                ObjectError::InvalidExpires("x".into()),
                "Invalid value for privilege property \"expires\": 'x' (a whole number of days)",
            ),
            (
                ObjectError::UnsupportedProperty("policy".into()),
                "Unsupported privilege property \"policy\": odpsh simulates only \"expires\" on grant",
            ),
            (
                ObjectError::NotSimulated("ExternalResourceAccessControl"),
                "ExternalResourceAccessControl is not simulated by odpsh",
            ),
            (
                ObjectError::AlreadyTrusted {
                    trusted: "q".into(),
                    project: p(),
                },
                "Project q is already a trusted project of p",
            ),
            (
                ObjectError::NotTrusted {
                    trusted: "q".into(),
                    project: p(),
                },
                "Project q is not a trusted project of p",
            ),
            (
                ObjectError::TrustSelf(p()),
                "A project does not need to trust itself: p",
            ),
            (
                ObjectError::ProviderPresent {
                    provider: "RAM",
                    project: p(),
                },
                "Account provider RAM already exists in project p",
            ),
            (
                ObjectError::ProviderAbsent {
                    provider: "RAM",
                    project: p(),
                },
                "Account provider RAM does not exist in project p",
            ),
            (
                ObjectError::ProviderRequired(p()),
                "Account provider ALIYUN cannot be removed: the owner of project p is an Alibaba Cloud account",
            ),
        ];
        for (error, text) in cases {
            assert_eq!(error.to_string(), text);
            assert!(!error.code().as_str().is_empty());
        }
    }
}
