//! Explanations of the failures about data that leaves a project: packages, download control,
//! the IP whitelist and the download file.

use crate::engine::error::ObjectError;

use super::{Context, Parts};

const RULE_PACKAGES: &str = "A package shares objects of the project that created it: its owner or a super_administrator creates it, adds objects (read-only unless added with privileges) and allows projects to install it; the allowed project's owner or an admin installs it and grants Read on it to its users and roles, who then read the objects through it, even when the providing project is protected (MaxCompute packages).";
const RULE_DOWNLOAD: &str = "With odps.security.enabledownloadprivilege=true a Tunnel download needs the Download privilege on the table, resource, function or instance, besides Select (or Read); the owner or a super_administrator sets it (MaxCompute download control).";
const RULE_WHITELIST: &str = "A project with an IP whitelist (odps.security.ip.whitelist) answers only requests from the addresses it lists; a VPC whitelist alone shuts out requests from outside its VPCs. The owner can always change the whitelists (MaxCompute IP whitelists; odpsh's DECISIONS).";
const RULE_FILES: &str = "tunnel download writes its local file relative to the script's directory (or the working directory); the directory must exist and be writable.";

pub fn no_download(ctx: &Context<'_>, who: &str, resource: &str) -> Parts {
    let (kind, name) = object_of(resource);
    Parts::new(
        "download-not-granted",
        format!("Download control is on in project {}, and {who} holds no Download privilege on {resource}.", project_of(resource, ctx)),
        RULE_DOWNLOAD,
    )
    .fix(format!("grant Download on {kind} {name} to user {who};   -- run by the owner or an admin"))
    .note("Select (or Read) alone lets it query the data, not take it out: that is what download control is for.")
}

/// The project of `projects/<p>/…`, else the current one.
fn project_of(resource: &str, ctx: &Context<'_>) -> String {
    resource
        .strip_prefix("projects/")
        .and_then(|r| r.split('/').next())
        .map_or_else(|| ctx.session.project.clone(), str::to_string)
}

/// The object kind and name of `projects/<p>/<segment>/<name>`.
fn object_of(resource: &str) -> (&'static str, &str) {
    let mut parts = resource.rsplit('/');
    let name = parts.next().unwrap_or(resource);
    let kind = match parts.next() {
        Some("functions") => "function",
        Some("resources") => "resource",
        Some("instances") => "instance",
        _ => "table",
    };
    (kind, name)
}

/// `grant Read on package …` for a package the current project installed from `source` and
/// may still use, when there is one.
pub fn package_read_grant(ctx: &Context<'_>, source: &str, who: &str) -> Option<String> {
    let current = ctx.world.project(&ctx.session.project)?;
    let installed = current
        .packages
        .installed_from(source)
        .find(|i| crate::engine::package_usable(ctx.world, &current.name, i))?;
    Some(format!(
        "grant Read on package {} to user {who};   -- run in {} by its owner or an admin",
        installed.full_name(),
        current.name
    ))
}

pub fn object(ctx: &Context<'_>, e: &ObjectError) -> Option<Parts> {
    let current = ctx.session.project.clone();
    let parts = match e {
        ObjectError::PackageNotFound(name) => Parts::new(
            "package-not-found",
            match name.split_once('.') {
                Some((source, package)) => format!("Project {source} has no package {package}, or project {current} has not installed it."),
                None => format!("Project {current} has no package {name}."),
            },
            RULE_PACKAGES,
        )
        .fix("show packages;"),
        ObjectError::PackageExists { package, project } => Parts::new(
            "package-exists",
            format!("Project {project} already has a package {package}."),
            RULE_PACKAGES,
        )
        .fix(format!("describe package {package};")),
        ObjectError::AlreadyInPackage { object, package } => Parts::new(
            "already-in-package",
            format!("The {object} is already in package {package}: an object keeps the privileges it was added with."),
            RULE_PACKAGES,
        )
        .fix(format!("remove {object} from package {package};"))
        .note("Then add it again with the privileges it should pass on."),
        ObjectError::NotInPackage { object, package } => Parts::new(
            "not-in-package",
            format!("Package {package} does not hold the {object}."),
            RULE_PACKAGES,
        )
        .fix(format!("describe package {package};")),
        ObjectError::PackageFull(package) => Parts::new(
            "package-full",
            format!("Package {package} holds 1000 objects, the most a package may hold."),
            RULE_PACKAGES,
        )
        .note("Share the rest through a second package."),
        ObjectError::PackageInstalled { package, project } => Parts::new(
            "package-installed",
            format!("Project {project} has installed package {package} already: nothing to do."),
            RULE_PACKAGES,
        )
        .fix("show packages;"),
        ObjectError::OwnPackage(project) => Parts::new(
            "own-package",
            format!("A package shares objects of {project} with other projects; {project}'s own members use those objects directly."),
            RULE_PACKAGES,
        )
        .note("Name another project."),
        ObjectError::InstallNotAllowed { project, package } => {
            let (source, name) = package.split_once('.').unwrap_or((package, package));
            Parts::new(
                "install-not-allowed",
                format!("Project {source} does not allow project {project} to install package {name} (it never did, took the allowance back, or the allowance expired)."),
                RULE_PACKAGES,
            )
            .fix(format!("allow project {project} to install package {name};   -- run in {source} by its owner"))
        }
        ObjectError::IpNotInWhitelist { ip, project } => Parts::new(
            "ip-not-in-whitelist",
            format!("Project {project} has an IP whitelist, and the request came from {ip}, which it does not list."),
            RULE_WHITELIST,
        )
        .fix(format!("setproject odps.security.ip.whitelist={ip};   -- run by the owner of {project} (from any address), or add {ip} to the list"))
        .note("In the shell the address is --source-ip (127.0.0.1 by default); in odpsh serve it is the client's."),
        ObjectError::DownloadFile { file, reason } => Parts::new(
            "download-file",
            format!("The download was allowed, but its file {file} could not be written: {reason}."),
            RULE_FILES,
        )
        .note("Nothing changed in the world; fix the path and run it again."),
        _ => return None,
    };
    Some(parts)
}
