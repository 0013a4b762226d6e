//! Where data may go, and from where a project may be reached: the project IP whitelist (every
//! request to a project comes from an address it admits), packages (reading another project's
//! object through a package installed in the current one), and the exception policy of a
//! protected project (who may still move what out). Project protection and trusted projects
//! themselves are `jobs`' checks; download control is `tunnel`'s.

use std::net::{IpAddr, Ipv4Addr};

use crate::syntax::{SessionStatement, Statement};
use crate::world::acl::Privilege;
use crate::world::objects::{ObjectKey, ObjectKind};
use crate::world::packages::{Allowance, Package};
use crate::world::policy::{Effect, Request};
use crate::world::{Project, World};

use super::authorize::Authority;
use super::error::{ObjectError, OdpsError};
use super::names::display;
use super::project_settings::{IP_WHITELIST, VPC_WHITELIST};
use super::{Caller, Session};

/// What kind of work moves the data, as an exception policy's `odps:TaskType` condition reads
/// it: an SQL job, or a Tunnel download (`DT`, data tunnel).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskType {
    Sql,
    Tunnel,
}

impl TaskType {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskType::Sql => "SQL",
            TaskType::Tunnel => "DT",
        }
    }
}

/// Whether one whitelist entry (an address, a CIDR block, a range `a-b`, or `*`) admits `ip`.
fn entry_admits(entry: &str, ip: Ipv4Addr) -> bool {
    let entry = entry.trim();
    if entry == "*" {
        return true;
    }
    if let Some((from, to)) = entry.split_once('-') {
        return match (
            from.trim().parse::<Ipv4Addr>(),
            to.trim().parse::<Ipv4Addr>(),
        ) {
            (Ok(a), Ok(b)) => (u32::from(a)..=u32::from(b)).contains(&u32::from(ip)),
            _ => false,
        };
    }
    if let Some((base, bits)) = entry.split_once('/') {
        return match (base.parse::<Ipv4Addr>(), bits.parse::<u32>()) {
            (Ok(base), Ok(bits)) if bits <= 32 => {
                let mask = if bits == 0 {
                    0
                } else {
                    u32::MAX << (32 - bits)
                };
                u32::from(base) & mask == u32::from(ip) & mask
            }
            _ => false,
        };
    }
    entry.parse::<Ipv4Addr>() == Ok(ip)
}

fn property<'p>(project: &'p Project, key: &str) -> Option<&'p str> {
    project
        .properties
        .get(key)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

/// Whether the project's whitelists admit a request from `ip`. No whitelist admits everyone;
/// an IP whitelist admits the addresses it lists; a VPC whitelist alone shuts out every
/// request that does not come from one of its VPCs, and odpsh's requests never do (the
/// documented rule: setting one list blocks the other network type).
pub fn whitelist_admits(project: &Project, ip: IpAddr) -> bool {
    match (
        property(project, IP_WHITELIST),
        property(project, VPC_WHITELIST),
    ) {
        (None, None) => true,
        (Some(list), _) => match ip {
            IpAddr::V4(v4) => list.split(',').any(|e| entry_admits(e, v4)),
            IpAddr::V6(_) => list.split(',').any(|e| e.trim() == "*"),
        },
        (None, Some(_)) => false,
    }
}

/// The refusal of a request from `ip` to `project`, if its whitelist does not admit it.
pub fn whitelist_refusal(project: &Project, ip: IpAddr) -> Option<OdpsError> {
    (!whitelist_admits(project, ip)).then(|| {
        ObjectError::IpNotInWhitelist {
            ip: ip.to_string(),
            project: project.name.clone(),
        }
        .into()
    })
}

/// Whether `statement` is `setproject`: what the owner may always run, from anywhere, so that
/// a whitelist that leaves out the owner's own address can be seen and put right (odpsh's
/// rule, standing in for the console's project settings, which the whitelist does not guard).
fn is_setproject(statement: &Statement) -> bool {
    matches!(
        statement,
        Statement::Project(crate::syntax::ProjectStatement::SetProject(_))
    )
}

/// The whitelist check every MaxCompute statement passes first, against the project it is sent
/// to (the current one; `use` the one it names). Console commands go to RAM and DataWorks,
/// which the project whitelist does not guard.
pub fn gate(world: &World, session: &Session, statement: &Statement) -> Result<(), OdpsError> {
    let target = match statement {
        // Neither reaches a project (the clock is the simulation's own).
        Statement::Console(_)
        | Statement::Session(SessionStatement::Quit | SessionStatement::AdvanceClock { .. }) => {
            return Ok(());
        }
        Statement::Session(SessionStatement::Use(name)) => name.as_str(),
        _ => session.project.as_str(),
    };
    let Some(project) = world.project(target) else {
        return Ok(());
    };
    if is_setproject(statement) && project.is_owner(session.actor) {
        return Ok(());
    }
    whitelist_refusal(project, session.source_ip).map_or(Ok(()), Err)
}

/// Whether the exception policy of protected `source` lets `caller` move `key` out by
/// `action` in work of `task`: an Allow statement names the caller (or `*`), the action and
/// the object, and its conditions hold (`odps:TaskType` among them); a Deny that matches wins.
pub fn exception_allows(
    world: &World,
    source: &Project,
    caller: Caller,
    key: &ObjectKey,
    action: Privilege,
    task: TaskType,
) -> bool {
    let Some(policy) = &source.outflow.exception else {
        return false;
    };
    let name = display(world, caller.actor);
    let request = Request {
        source_ip: caller.source_ip,
        now: world.clock.now,
        task_type: Some(task.as_str()),
    };
    let action = format!("odps:{}", action.as_str());
    let resource = super::policy::resource(source, key);
    let matching = |effect: Effect| {
        policy
            .rules
            .iter()
            .filter(|r| r.effect == effect)
            .any(|r| r.applies(&action, &resource, Some(&name), &request))
    };
    !matching(Effect::Deny) && matching(Effect::Allow)
}

/// The way into another project's object through a package installed in the current one.
#[derive(Debug, Clone, Copy)]
pub struct PackageRoute<'w> {
    /// The package as the providing project has it now.
    pub package: &'w Package,
    /// What the providing project allowed the installing one.
    pub allowance: Allowance,
}

/// The installed package through which `caller`, in `current`, may take `action` on `key` of
/// `source`: the package is installed in `current`, still exists in `source` and still admits
/// `current`, holds the object with the action, and the caller may Read the package in
/// `current` (its owner, an administrator, or a Read grant).
pub fn package_route<'w>(
    world: &World,
    current: &Project,
    caller: Caller,
    source: &'w Project,
    key: &ObjectKey,
    action: Privilege,
) -> Option<PackageRoute<'w>> {
    let now = world.clock.now;
    let authority = Authority::asking(world, current, caller);
    let installer = current.name.to_ascii_lowercase();
    current
        .packages
        .installed_from(&source.name)
        .filter(|installed| {
            let full = ObjectKey::new(ObjectKind::Package, &installed.full_name());
            authority.may(&full, Privilege::Read)
        })
        .find_map(|installed| {
            let package = source.packages.package(&installed.package)?;
            let allowance = *package.allowed.get(&installer)?;
            (allowance.stands(now) && package.passes(key, action))
                .then_some(PackageRoute { package, allowance })
        })
}

/// The label refusal of reading `columns` of `table` through `route`: while the providing
/// project has LabelSecurity on, the package's `using label` level is the installing project's
/// clearance (No-ReadUp).
pub fn package_label_refusal(
    route: &PackageRoute<'_>,
    source: &Project,
    table: &str,
    columns: &[String],
) -> Option<super::error::Refusal> {
    if !source.security.flags.label_security {
        return None;
    }
    let clearance = route.allowance.label;
    let sensitivity = source.labels.table(table);
    columns.iter().find_map(|column| {
        let needed = sensitivity.of_column(column);
        (needed > clearance).then(|| super::error::Refusal::Label {
            resource: ObjectKey::table(table).path(&source.name),
            column: column.clone(),
            sensitivity: needed,
            effective: clearance,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::AccountId;

    fn project(ip: &str, vpc: &str) -> Project {
        let mut p = Project::new("p", AccountId(1));
        p.properties.insert(IP_WHITELIST.into(), ip.into());
        p.properties.insert(VPC_WHITELIST.into(), vpc.into());
        p
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn whitelists_admit_what_they_list() {
        assert!(whitelist_admits(&project("", ""), ip("8.8.8.8")));
        let p = project("10.0.0.0/8,192.168.1.1,172.16.0.1-172.16.0.9", "");
        for yes in ["10.1.2.3", "192.168.1.1", "172.16.0.5"] {
            assert!(whitelist_admits(&p, ip(yes)), "{yes}");
        }
        for no in ["11.0.0.1", "192.168.1.2", "172.16.0.10", "::1"] {
            assert!(!whitelist_admits(&p, ip(no)), "{no}");
        }
        assert!(whitelist_admits(&project("0.0.0.0/0", ""), ip("1.2.3.4")));
        assert!(whitelist_admits(&project("*", ""), ip("::1")));
        assert!(!whitelist_admits(
            &project("", "cn-hangzhou_vpc-1"),
            ip("10.0.0.1")
        ));
        let refusal = whitelist_refusal(&project("10.0.0.1", ""), ip("127.0.0.1")).unwrap();
        assert_eq!(
            refusal.to_string(),
            "Access denied by project ip white list: sourceIP:'127.0.0.1' is not in white list. project: p"
        );
    }
}
