//! A project's security configuration: the flags `set <flag>=…` changes, the trusted projects
//! data may flow to under project protection, and the account providers whose principals the
//! project recognises.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub use crate::vocabulary::{AccountProvider, SecurityFlag};

/// The project security flags, with the service's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityFlags {
    pub check_permission_using_acl: bool,
    pub check_permission_using_policy: bool,
    pub object_creator_has_access_permission: bool,
    pub object_creator_has_grant_permission: bool,
    pub label_security: bool,
    pub project_protection: bool,
}

impl SecurityFlags {
    /// The flag's value; a flag the world does not store is off.
    pub fn get(&self, flag: SecurityFlag) -> bool {
        self.slot(flag).copied().unwrap_or(false)
    }

    /// Sets the flag; a flag the world does not store stays as it is.
    pub fn set(&mut self, flag: SecurityFlag, on: bool) {
        if let Some(slot) = self.slot_mut(flag) {
            *slot = on;
        }
    }

    fn slot(&self, flag: SecurityFlag) -> Option<&bool> {
        match flag {
            SecurityFlag::CheckPermissionUsingAcl => Some(&self.check_permission_using_acl),
            SecurityFlag::CheckPermissionUsingPolicy => Some(&self.check_permission_using_policy),
            SecurityFlag::ObjectCreatorHasAccessPermission => {
                Some(&self.object_creator_has_access_permission)
            }
            SecurityFlag::ObjectCreatorHasGrantPermission => {
                Some(&self.object_creator_has_grant_permission)
            }
            SecurityFlag::LabelSecurity => Some(&self.label_security),
            SecurityFlag::ProjectProtection => Some(&self.project_protection),
            // Not simulated: always off.
            SecurityFlag::ExternalResourceAccessControl => None,
        }
    }

    fn slot_mut(&mut self, flag: SecurityFlag) -> Option<&mut bool> {
        match flag {
            SecurityFlag::CheckPermissionUsingAcl => Some(&mut self.check_permission_using_acl),
            SecurityFlag::CheckPermissionUsingPolicy => {
                Some(&mut self.check_permission_using_policy)
            }
            SecurityFlag::ObjectCreatorHasAccessPermission => {
                Some(&mut self.object_creator_has_access_permission)
            }
            SecurityFlag::ObjectCreatorHasGrantPermission => {
                Some(&mut self.object_creator_has_grant_permission)
            }
            SecurityFlag::LabelSecurity => Some(&mut self.label_security),
            SecurityFlag::ProjectProtection => Some(&mut self.project_protection),
            SecurityFlag::ExternalResourceAccessControl => None,
        }
    }
}

impl Default for SecurityFlags {
    fn default() -> Self {
        SecurityFlags {
            check_permission_using_acl: true,
            check_permission_using_policy: true,
            object_creator_has_access_permission: true,
            object_creator_has_grant_permission: true,
            label_security: false,
            project_protection: false,
        }
    }
}

/// Why a change to the security configuration was refused; nothing changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityError {
    AlreadyTrusted,
    NotTrusted,
    ProviderPresent,
    ProviderAbsent,
    /// ALIYUN cannot be removed: the owner is an Alibaba Cloud account.
    ProviderRequired,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityConfig {
    pub flags: SecurityFlags,
    /// Lower-case names of the projects data may flow to when the project is protected.
    trusted_projects: BTreeSet<String>,
    account_providers: BTreeSet<AccountProvider>,
}

impl Default for SecurityConfig {
    /// A new project: default flags, no trusted projects, both account providers.
    fn default() -> Self {
        SecurityConfig {
            flags: SecurityFlags::default(),
            trusted_projects: BTreeSet::new(),
            account_providers: BTreeSet::from([AccountProvider::Aliyun, AccountProvider::Ram]),
        }
    }
}

impl SecurityConfig {
    pub fn trusts(&self, project: &str) -> bool {
        self.trusted_projects
            .contains(&project.to_ascii_lowercase())
    }

    pub fn trusted_projects(&self) -> impl Iterator<Item = &str> + '_ {
        self.trusted_projects.iter().map(String::as_str)
    }

    pub fn add_trusted(&mut self, project: &str) -> Result<(), SecurityError> {
        if !self.trusted_projects.insert(project.to_ascii_lowercase()) {
            return Err(SecurityError::AlreadyTrusted);
        }
        Ok(())
    }

    pub fn remove_trusted(&mut self, project: &str) -> Result<(), SecurityError> {
        if !self.trusted_projects.remove(&project.to_ascii_lowercase()) {
            return Err(SecurityError::NotTrusted);
        }
        Ok(())
    }

    pub fn recognises(&self, provider: AccountProvider) -> bool {
        self.account_providers.contains(&provider)
    }

    /// The providers in their listing order (ALIYUN, RAM).
    pub fn providers(&self) -> impl Iterator<Item = AccountProvider> + '_ {
        self.account_providers.iter().copied()
    }

    pub fn add_provider(&mut self, provider: AccountProvider) -> Result<(), SecurityError> {
        if !self.account_providers.insert(provider) {
            return Err(SecurityError::ProviderPresent);
        }
        Ok(())
    }

    pub fn remove_provider(&mut self, provider: AccountProvider) -> Result<(), SecurityError> {
        if provider == AccountProvider::Aliyun {
            return Err(SecurityError::ProviderRequired);
        }
        if !self.account_providers.remove(&provider) {
            return Err(SecurityError::ProviderAbsent);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_services() {
        let c = SecurityConfig::default();
        assert!(c.flags.check_permission_using_acl && c.flags.object_creator_has_grant_permission);
        assert!(!c.flags.project_protection && !c.flags.label_security);
        let providers: Vec<&str> = c.providers().map(AccountProvider::as_str).collect();
        assert_eq!(providers, ["ALIYUN", "RAM"]);
    }

    #[test]
    fn trusted_projects_and_providers_refuse_no_ops() {
        let mut c = SecurityConfig::default();
        c.add_trusted("Team_B").unwrap();
        assert!(c.trusts("team_b"));
        assert_eq!(c.add_trusted("team_b"), Err(SecurityError::AlreadyTrusted));
        c.remove_trusted("TEAM_B").unwrap();
        assert_eq!(c.remove_trusted("team_b"), Err(SecurityError::NotTrusted));
        assert_eq!(
            c.remove_provider(AccountProvider::Aliyun),
            Err(SecurityError::ProviderRequired)
        );
        c.remove_provider(AccountProvider::Ram).unwrap();
        assert!(!c.recognises(AccountProvider::Ram));
        assert_eq!(
            c.remove_provider(AccountProvider::Ram),
            Err(SecurityError::ProviderAbsent)
        );
        assert_eq!(
            c.add_provider(AccountProvider::Aliyun),
            Err(SecurityError::ProviderPresent)
        );
    }
}
