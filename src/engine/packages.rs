//! The packages family: creating and filling packages in the providing project, allowing
//! projects to install them, installing and uninstalling them in the consumer, and showing
//! them. Who may: the owner or a `super_administrator` creates, fills, allows, disallows and
//! drops packages and lists them; `admin` holders may also describe, install and uninstall
//! (the documented matrix). Using an installed package is `outflow::package_route`'s question.

use crate::syntax::{PackageStatement, PackedObject};
use crate::world::World;
use crate::world::objects::{ObjectKey, ObjectKind};
use crate::world::packages::{
    Allowance, Installed, Package, PackageError, default_privileges, packable,
};

use super::access::{require_manager, require_security_admin};
use super::error::{ObjectError, OdpsError};
use super::project_statements::current;
use super::{Outcome, Output, PackageDescription, PackageList, Session};

const DAY: u64 = 86_400;

fn object_text(object: &PackedObject) -> String {
    format!("{} {}", object.kind, object.name)
}

fn refused(
    e: PackageError,
    project: &str,
    package: &str,
    object: Option<&PackedObject>,
) -> OdpsError {
    let package = package.to_string();
    let object = object.map(object_text).unwrap_or_default();
    match e {
        PackageError::Exists => ObjectError::PackageExists {
            package,
            project: project.to_string(),
        },
        PackageError::NotFound | PackageError::NotInstalled => {
            ObjectError::PackageNotFound(package)
        }
        PackageError::ObjectAlreadyAdded => ObjectError::AlreadyInPackage { object, package },
        PackageError::ObjectNotInPackage => ObjectError::NotInPackage { object, package },
        PackageError::TooManyObjects => ObjectError::PackageFull(package),
        PackageError::AlreadyInstalled => ObjectError::PackageInstalled {
            package,
            project: project.to_string(),
        },
    }
    .into()
}

/// Applies a change to the current project's packages.
fn change(
    world: &mut World,
    session: &Session,
    apply: impl FnOnce(&mut crate::world::Project, u64) -> Result<(), OdpsError>,
) -> Outcome {
    let now = world.clock.now;
    let project = world
        .project_mut(&session.project)
        .ok_or_else(|| OdpsError::ProjectNotFound(session.project.clone()))?;
    apply(project, now)?;
    Ok(Output::Done)
}

fn create(world: &mut World, session: &Session, package: &str) -> Outcome {
    let project = current(world, session)?;
    require_security_admin(world, project, session.caller(), "CreatePackage")?;
    let actor = session.actor;
    change(world, session, |p, now| {
        let name = p.name.clone();
        p.packages
            .create(package, actor, now)
            .map_err(|e| refused(e, &name, package, None))
    })
}

fn drop_package(world: &mut World, session: &Session, package: &str) -> Outcome {
    let project = current(world, session)?;
    require_security_admin(world, project, session.caller(), "DropPackage")?;
    change(world, session, |p, _| {
        let name = p.name.clone();
        p.packages
            .drop_package(package)
            .map(|_| ())
            .map_err(|e| refused(e, &name, package, None))
    })
}

fn add(
    world: &mut World,
    session: &Session,
    object: &PackedObject,
    package: &str,
    privileges: Option<&[crate::world::acl::Privilege]>,
) -> Outcome {
    let project = current(world, session)?;
    require_security_admin(world, project, session.caller(), "AddPackageResource")?;
    let key = ObjectKey::new(object.kind, &object.name);
    if project.packages.package(package).is_none() {
        return Err(refused(PackageError::NotFound, &project.name, package, None).into());
    }
    if !packable(object.kind) || !project.has_object(&key) {
        return Err(missing_object(&project.name, object).into());
    }
    let privileges = privileges.map_or_else(|| default_privileges(object.kind), <[_]>::to_vec);
    change(world, session, |p, _| {
        let name = p.name.clone();
        p.packages
            .add_object(package, key, privileges)
            .map_err(|e| refused(e, &name, package, Some(object)))
    })
}

/// The "not found" of an object named in a package statement.
fn missing_object(project: &str, object: &PackedObject) -> OdpsError {
    let name = object.name.clone();
    match object.kind {
        ObjectKind::Table => ObjectError::TableNotFound {
            project: project.to_string(),
            table: name,
        },
        ObjectKind::Resource => ObjectError::ResourceNotFound(name),
        ObjectKind::Function => ObjectError::FunctionNotFound(name),
        _ => ObjectError::InstanceNotFound(name),
    }
    .into()
}

fn remove(world: &mut World, session: &Session, object: &PackedObject, package: &str) -> Outcome {
    let project = current(world, session)?;
    require_security_admin(world, project, session.caller(), "RemovePackageResource")?;
    let key = ObjectKey::new(object.kind, &object.name);
    change(world, session, |p, _| {
        let name = p.name.clone();
        p.packages
            .remove_object(package, &key)
            .map_err(|e| refused(e, &name, package, Some(object)))
    })
}

fn allow(
    world: &mut World,
    session: &Session,
    project_name: &str,
    package: &str,
    label: Option<u8>,
    days: Option<u32>,
) -> Outcome {
    let project = current(world, session)?;
    require_security_admin(world, project, session.caller(), "AllowInstallPackage")?;
    let allowed = world
        .project(project_name)
        .ok_or_else(|| OdpsError::ProjectNotFound(project_name.to_string()))?;
    if allowed.name == project.name {
        return Err(OdpsError::from(ObjectError::OwnPackage(project.name.clone())).into());
    }
    let allowed_name = allowed.name.clone();
    let now = world.clock.now;
    let allowance = Allowance {
        label: label.unwrap_or(0),
        expires: days.map(|d| now + u64::from(d) * DAY),
    };
    change(world, session, |p, _| {
        let name = p.name.clone();
        p.packages
            .allow(package, &allowed_name, allowance)
            .map_err(|e| refused(e, &name, package, None))
    })
}

fn disallow(world: &mut World, session: &Session, project_name: &str, package: &str) -> Outcome {
    let project = current(world, session)?;
    require_security_admin(world, project, session.caller(), "DisallowInstallPackage")?;
    change(world, session, |p, _| {
        let name = p.name.clone();
        let was = p
            .packages
            .disallow(package, project_name)
            .map_err(|e| refused(e, &name, package, None))?;
        if was {
            Ok(())
        } else {
            Err(ObjectError::InstallNotAllowed {
                project: project_name.to_string(),
                package: format!("{name}.{package}"),
            }
            .into())
        }
    })
}

/// The package `<source>.<package>` as the providing project has it.
fn provided<'w>(world: &'w World, source: &str, package: &str) -> Result<&'w Package, OdpsError> {
    let full = format!("{source}.{package}");
    let project = world
        .project(source)
        .ok_or_else(|| OdpsError::ProjectNotFound(source.to_string()))?;
    project
        .packages
        .package(package)
        .ok_or_else(|| ObjectError::PackageNotFound(full).into())
}

fn install(world: &mut World, session: &Session, source: &str, package: &str) -> Outcome {
    let project = current(world, session)?;
    require_manager(world, project, session.caller(), "InstallPackage")?;
    if source.eq_ignore_ascii_case(&project.name) {
        return Err(OdpsError::from(ObjectError::OwnPackage(project.name.clone())).into());
    }
    let found = provided(world, source, package)?;
    if !found.admits(&project.name, world.clock.now) {
        return Err(OdpsError::from(ObjectError::InstallNotAllowed {
            project: project.name.clone(),
            package: format!("{source}.{package}"),
        })
        .into());
    }
    let installed = Installed {
        source: source.to_ascii_lowercase(),
        package: found.name.clone(),
        installer: session.actor,
        installed: world.clock.now,
    };
    let full = format!("{source}.{package}");
    change(world, session, |p, _| {
        let name = p.name.clone();
        p.packages
            .install(installed)
            .map_err(|e| refused(e, &name, &full, None))
    })
}

fn uninstall(world: &mut World, session: &Session, source: &str, package: &str) -> Outcome {
    let project = current(world, session)?;
    require_manager(world, project, session.caller(), "UninstallPackage")?;
    let full = format!("{source}.{package}");
    change(world, session, |p, _| {
        let name = p.name.clone();
        p.uninstall_package(&full)
            .map(|_| ())
            .map_err(|e| refused(e, &name, &full, None))
    })
}

/// Whether an installed package can still be used: its package exists and still admits the
/// installing project.
pub fn usable(world: &World, installer: &str, installed: &Installed) -> bool {
    world
        .project(&installed.source)
        .and_then(|p| p.packages.package(&installed.package))
        .is_some_and(|p| p.admits(installer, world.clock.now))
}

fn show(world: &World, session: &Session) -> Outcome {
    let project = current(world, session)?;
    require_security_admin(world, project, session.caller(), "ShowPackages")?;
    let created = project
        .packages
        .created()
        .map(|p| (p.name.clone(), p.created))
        .collect();
    let installed = project
        .packages
        .installed()
        .map(|i| {
            let status = if usable(world, &project.name, i) {
                "OK"
            } else {
                "UNAVAILABLE"
            };
            let source = world
                .project(&i.source)
                .map_or_else(|| i.source.clone(), |p| p.name.clone());
            (i.package.clone(), source, status, i.installed)
        })
        .collect();
    Ok(Output::PackageList(PackageList { created, installed }))
}

fn describe(world: &World, session: &Session, source: Option<&str>, package: &str) -> Outcome {
    let project = current(world, session)?;
    require_manager(world, project, session.caller(), "DescribePackage")?;
    let source = source.unwrap_or(&project.name).to_ascii_lowercase();
    let own = source.eq_ignore_ascii_case(&project.name);
    let full = format!("{source}.{package}");
    if !own && project.packages.installation(&full).is_none() {
        return Err(OdpsError::from(ObjectError::PackageNotFound(full)).into());
    }
    let found = provided(world, &source, package)?;
    let objects = found
        .objects
        .iter()
        .map(|(key, privileges)| {
            let names: Vec<&str> = privileges.iter().map(|p| p.as_str()).collect();
            (
                key.kind.as_str().to_ascii_uppercase(),
                key.name.clone(),
                names.join(","),
            )
        })
        .collect();
    // The installing project sees its own allowance only.
    let allowed = found
        .allowed
        .iter()
        .filter(|(p, _)| own || p.eq_ignore_ascii_case(&project.name))
        .map(|(p, a)| (p.clone(), a.label))
        .collect();
    Ok(Output::PackageDescription(PackageDescription {
        created: found.created,
        name: found.name.clone(),
        source: world
            .project(&source)
            .map_or(source.clone(), |p| p.name.clone()),
        objects,
        allowed,
    }))
}

/// The packages family.
pub fn execute(world: &mut World, session: &Session, s: &PackageStatement) -> Outcome {
    match s {
        PackageStatement::Create(p) => create(world, session, p),
        PackageStatement::Drop(p) => drop_package(world, session, p),
        PackageStatement::Add {
            object,
            package,
            privileges,
        } => add(world, session, object, package, privileges.as_deref()),
        PackageStatement::Remove { object, package } => remove(world, session, object, package),
        PackageStatement::Allow {
            project,
            package,
            label,
            days,
        } => allow(world, session, project, package, *label, *days),
        PackageStatement::Disallow { project, package } => {
            disallow(world, session, project, package)
        }
        PackageStatement::Install { project, package } => install(world, session, project, package),
        PackageStatement::Uninstall { project, package } => {
            uninstall(world, session, project, package)
        }
        PackageStatement::Show => show(world, session),
        PackageStatement::Describe { project, package } => {
            describe(world, session, project.as_deref(), package)
        }
    }
}
