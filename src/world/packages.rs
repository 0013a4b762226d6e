//! Packages: how a project shares objects with other projects. The providing project creates a
//! package, adds objects to it (each with the privileges the package passes on), and allows
//! projects to install it; an allowed project installs it and grants Read on it to its own
//! users and roles. Reading a packaged object from the installing project then goes through the
//! package, even when the providing project is protected.
//!
//! A project keeps the packages it created and the packages it installed; whether an installed
//! package still lets anyone in is decided when it is used, from the providing project's
//! package as it is then (dropped, object removed, project disallowed or allowance expired all
//! close the way at once). What the statements mean is decided in `engine::packages`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::acl::Privilege;
use super::objects::{ObjectKey, ObjectKind};
use super::policy::PolicyDocument;
use super::principal::PrincipalId;

/// The most objects one package holds (documented limit).
pub const MAX_OBJECTS: usize = 1000;

/// A project allowed to install a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allowance {
    /// `using label <n>`: the highest sensitivity level the installing project may read through
    /// the package (0 when none was given).
    pub label: u8,
    /// `with exp <days>`: when the allowance lapses, in seconds on the simulated clock.
    pub expires: Option<u64>,
}

impl Allowance {
    pub fn stands(&self, now: u64) -> bool {
        self.expires.is_none_or(|at| now < at)
    }
}

/// A package its project created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// Lower-case name.
    pub name: String,
    pub creator: PrincipalId,
    pub created: u64,
    /// The objects it holds, each with the privileges it passes on.
    pub objects: BTreeMap<ObjectKey, Vec<Privilege>>,
    /// The projects allowed to install it, by lower-case name.
    pub allowed: BTreeMap<String, Allowance>,
}

impl Package {
    /// The privileges the package passes on for `key`, if it holds it.
    pub fn privileges_on(&self, key: &ObjectKey) -> Option<&[Privilege]> {
        self.objects.get(key).map(Vec::as_slice)
    }

    /// Whether the package passes `action` on for `key`.
    pub fn passes(&self, key: &ObjectKey, action: Privilege) -> bool {
        self.privileges_on(key)
            .is_some_and(|ps| ps.iter().any(|p| *p == action || *p == Privilege::All))
    }

    /// Whether `project` may install it (or use it once installed) at `now`.
    pub fn admits(&self, project: &str, now: u64) -> bool {
        self.allowed
            .get(&project.to_ascii_lowercase())
            .is_some_and(|a| a.stands(now))
    }
}

/// A package this project installed from another one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Installed {
    /// Lower-case name of the providing project.
    pub source: String,
    /// Lower-case name of the package there.
    pub package: String,
    pub installer: PrincipalId,
    pub installed: u64,
}

impl Installed {
    /// `<source>.<package>`, the name grants use.
    pub fn full_name(&self) -> String {
        format!("{}.{}", self.source, self.package)
    }
}

/// Why a change to a project's packages was refused; nothing changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageError {
    Exists,
    NotFound,
    ObjectAlreadyAdded,
    ObjectNotInPackage,
    TooManyObjects,
    AlreadyInstalled,
    NotInstalled,
}

/// A project's packages: those it created and those it installed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Packages {
    created: BTreeMap<String, Package>,
    /// By `<source>.<package>`.
    installed: BTreeMap<String, Installed>,
}

impl Packages {
    pub fn created(&self) -> impl Iterator<Item = &Package> + '_ {
        self.created.values()
    }

    pub fn installed(&self) -> impl Iterator<Item = &Installed> + '_ {
        self.installed.values()
    }

    pub fn package(&self, name: &str) -> Option<&Package> {
        self.created.get(&name.to_ascii_lowercase())
    }

    fn package_mut(&mut self, name: &str) -> Result<&mut Package, PackageError> {
        self.created
            .get_mut(&name.to_ascii_lowercase())
            .ok_or(PackageError::NotFound)
    }

    /// The installed package `<source>.<package>`.
    pub fn installation(&self, full_name: &str) -> Option<&Installed> {
        self.installed.get(&full_name.to_ascii_lowercase())
    }

    /// The installed packages that come from `source`.
    pub fn installed_from<'a>(&'a self, source: &'a str) -> impl Iterator<Item = &'a Installed> {
        self.installed
            .values()
            .filter(move |i| i.source.eq_ignore_ascii_case(source))
    }

    pub fn is_empty(&self) -> bool {
        self.created.is_empty() && self.installed.is_empty()
    }

    pub fn create(
        &mut self,
        name: &str,
        creator: PrincipalId,
        now: u64,
    ) -> Result<(), PackageError> {
        let name = name.to_ascii_lowercase();
        if self.created.contains_key(&name) {
            return Err(PackageError::Exists);
        }
        let package = Package {
            name: name.clone(),
            creator,
            created: now,
            objects: BTreeMap::new(),
            allowed: BTreeMap::new(),
        };
        self.created.insert(name, package);
        Ok(())
    }

    pub fn drop_package(&mut self, name: &str) -> Result<Package, PackageError> {
        self.created
            .remove(&name.to_ascii_lowercase())
            .ok_or(PackageError::NotFound)
    }

    /// Adds an object with the privileges it passes on; an object already in the package keeps
    /// what it was added with (remove it and add it again to change them).
    pub fn add_object(
        &mut self,
        name: &str,
        key: ObjectKey,
        privileges: Vec<Privilege>,
    ) -> Result<(), PackageError> {
        let package = self.package_mut(name)?;
        if package.objects.contains_key(&key) {
            return Err(PackageError::ObjectAlreadyAdded);
        }
        if package.objects.len() >= MAX_OBJECTS {
            return Err(PackageError::TooManyObjects);
        }
        package.objects.insert(key, privileges);
        Ok(())
    }

    pub fn remove_object(&mut self, name: &str, key: &ObjectKey) -> Result<(), PackageError> {
        let package = self.package_mut(name)?;
        package
            .objects
            .remove(key)
            .map(|_| ())
            .ok_or(PackageError::ObjectNotInPackage)
    }

    /// Allows `project` to install the package (again: the new label and expiry replace the old).
    pub fn allow(
        &mut self,
        name: &str,
        project: &str,
        allowance: Allowance,
    ) -> Result<(), PackageError> {
        let package = self.package_mut(name)?;
        package
            .allowed
            .insert(project.to_ascii_lowercase(), allowance);
        Ok(())
    }

    /// Takes the allowance away; false when the project was not allowed.
    pub fn disallow(&mut self, name: &str, project: &str) -> Result<bool, PackageError> {
        let package = self.package_mut(name)?;
        Ok(package
            .allowed
            .remove(&project.to_ascii_lowercase())
            .is_some())
    }

    /// Removes `key` from every package (the object was deleted).
    pub fn forget_object(&mut self, key: &ObjectKey) {
        for package in self.created.values_mut() {
            package.objects.remove(key);
        }
    }

    pub fn install(&mut self, installed: Installed) -> Result<(), PackageError> {
        let full = installed.full_name();
        if self.installed.contains_key(&full) {
            return Err(PackageError::AlreadyInstalled);
        }
        self.installed.insert(full, installed);
        Ok(())
    }

    pub fn uninstall(&mut self, full_name: &str) -> Result<Installed, PackageError> {
        self.installed
            .remove(&full_name.to_ascii_lowercase())
            .ok_or(PackageError::NotInstalled)
    }
}

/// The kinds of object a package may hold.
pub fn packable(kind: ObjectKind) -> bool {
    matches!(
        kind,
        ObjectKind::Table | ObjectKind::Resource | ObjectKind::Function | ObjectKind::Instance
    )
}

/// What a package passes on for an object added without `with privileges`: read-only access.
pub fn default_privileges(kind: ObjectKind) -> Vec<Privilege> {
    match kind {
        ObjectKind::Table => vec![Privilege::Describe, Privilege::Select],
        _ => vec![Privilege::Read],
    }
}

/// The controls on data leaving a project besides protection and trust: download control
/// (`odps.security.enabledownloadprivilege`) and the exception policy protection was switched
/// on with (`set ProjectProtection=true with exception <file>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutflowControls {
    /// While on, a Tunnel download needs the Download privilege besides Select (or Read).
    pub download_privilege: bool,
    /// Who may still move what out of the protected project.
    pub exception: Option<PolicyDocument>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::Uid;

    const BOB: PrincipalId = PrincipalId::RamUser(Uid(26529000000000001));

    #[test]
    fn objects_keep_what_they_were_added_with_and_allowances_lapse() {
        let mut p = Packages::default();
        p.create("DataShare", BOB, 10).unwrap();
        assert_eq!(p.create("datashare", BOB, 11), Err(PackageError::Exists));
        let t = ObjectKey::table("sale_detail");
        p.add_object(
            "datashare",
            t.clone(),
            default_privileges(ObjectKind::Table),
        )
        .unwrap();
        assert_eq!(
            p.add_object("datashare", t.clone(), vec![Privilege::All]),
            Err(PackageError::ObjectAlreadyAdded)
        );
        let pkg = p.package("DATASHARE").unwrap();
        assert!(pkg.passes(&t, Privilege::Select) && !pkg.passes(&t, Privilege::Update));
        let lapse = Allowance {
            label: 0,
            expires: Some(100),
        };
        p.allow("datashare", "Team_B", lapse).unwrap();
        let pkg = p.package("datashare").unwrap();
        assert!(pkg.admits("team_b", 99) && !pkg.admits("team_b", 100));
        assert!(p.disallow("datashare", "team_b").unwrap());
        assert!(!p.disallow("datashare", "team_b").unwrap());
        p.forget_object(&t);
        assert!(p.package("datashare").unwrap().objects.is_empty());
        assert_eq!(
            p.remove_object("datashare", &t),
            Err(PackageError::ObjectNotInPackage)
        );
        p.drop_package("datashare").unwrap();
        assert_eq!(
            p.drop_package("datashare").map(|_| ()),
            Err(PackageError::NotFound)
        );
    }

    #[test]
    fn a_package_installs_once() {
        let mut p = Packages::default();
        let installed = Installed {
            source: "team_a".into(),
            package: "datashare".into(),
            installer: BOB,
            installed: 5,
        };
        p.install(installed.clone()).unwrap();
        assert_eq!(p.install(installed), Err(PackageError::AlreadyInstalled));
        assert!(p.installation("Team_A.DataShare").is_some());
        assert_eq!(p.installed_from("team_a").count(), 1);
        p.uninstall("team_a.datashare").unwrap();
        assert_eq!(
            p.uninstall("team_a.datashare").map(|_| ()),
            Err(PackageError::NotInstalled)
        );
    }
}
