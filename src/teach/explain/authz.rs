//! Explanations of the authorization failures: access denied on objects, the object, grant
//! and security-setting failures, and what only the owner or a support ticket may do.

use crate::engine::authorize::{Authority, Target};
use crate::engine::error::{Channel, Denied, ObjectError, Refusal};
use crate::world::acl::Privilege;
use crate::world::objects::{ObjectKey, ObjectKind};

use super::{Context, Parts, verify};
use crate::engine::{self, Failure, OdpsError};

const RULE_LABELS: &str = "With LabelSecurity=true a reader sees a column only when its sensitivity is at most the reader's effective level: No-ReadUp (MaxCompute label-based access control).";
const RULE_AUTHORIZATION: &str = "A principal may act on an object when it is the project owner, holds super_administrator or admin, created the object (while ObjectCreatorHasAccessPermission is on), holds a DataWorks role whose policy allows the action (while CheckPermissionUsingPolicy is on), or is granted the action by ACL, itself or through a role (while CheckPermissionUsingAcl is on) (MaxCompute authorization; odpsh's DECISIONS: Authorization).";
const RULE_PROTECTION: &str = "With ProjectProtection on, a project's data may flow out only to its trusted projects (permission matrix row 7: 数据保护, the owner only).";
const RULE_OBJECTS: &str = "Objects are tables, resources, functions and instances of the current project; names are matched case-insensitively (MaxCompute object management).";
const RULE_GRANTS: &str = "ACL grants name an existing object of the current project and a member or an existing role; the only privilege property odpsh simulates is \"expires\" (days) (MaxCompute ACL authorization).";
const RULE_SETTINGS: &str = "Project security settings are set with set <Flag>=true|false by the owner or a security administrator; trusted projects and account providers are the owner's (MaxCompute project security configuration).";

/// The project, kind and name a refusal's resource path names (`projects/p`,
/// `projects/p/tables/t`, `projects/p/registration/functions/f`).
fn object_of(resource: &str) -> Option<(&str, ObjectKind, &str)> {
    let rest = resource.strip_prefix("projects/")?;
    let Some((project, object)) = rest.split_once('/') else {
        return Some((rest, ObjectKind::Project, ""));
    };
    if let Some(f) = object.strip_prefix("registration/functions/") {
        return Some((project, ObjectKind::Function, f));
    }
    let (segment, name) = object.split_once('/')?;
    let kind = ObjectKind::EVERY
        .into_iter()
        .find(|k| *k != ObjectKind::Project && k.segment() == segment)?;
    Some((project, kind, name))
}

/// The statement that grants `action` on the resource path of a refusal, for `principal`.
fn grant_for(action: &str, resource: &str, columns: &[String], principal: &str) -> Option<String> {
    let (project, kind, name) = object_of(resource)?;
    if kind == ObjectKind::Project {
        return Some(format!(
            "grant {action} on project {project} to user {principal};"
        ));
    }
    let columns = if columns.is_empty() {
        String::new()
    } else {
        format!(" ({})", columns.join(", "))
    };
    Some(format!(
        "grant {action} on {kind} {name}{columns} to user {principal};"
    ))
}

/// The line that grants `action` on `resource` to `who`, saying who runs it and where.
fn grant_line(
    ctx: &Context<'_>,
    who: &str,
    action: &str,
    resource: &str,
    columns: &[String],
) -> Option<String> {
    let grant = grant_for(action, resource, columns, who)?;
    let (project, _, _) = object_of(resource)?;
    Some(if project.eq_ignore_ascii_case(&ctx.session.project) {
        format!("{grant}   -- run by the owner or an admin")
    } else {
        format!("{grant}   -- run in {project} by its owner or an admin")
    })
}

/// `first`, then the grants that let the refused statement through, found by asking the
/// engine: on a copy of the world, `first` runs (each line as its comment says), then the
/// statement again; each privilege it is refused next is granted by the owner, until it runs
/// or is refused something a grant cannot give (a job refused CreateInstance is refused
/// CreateTable next; a user just added is refused what its work needs).
pub(super) fn lines_that_let_it_through(ctx: &Context<'_>, first: Vec<String>) -> Vec<String> {
    let Some(statement) = ctx.statement() else {
        return first;
    };
    let who = ctx.actor();
    let mut world = ctx.world.clone();
    let mut lines: Vec<String> = Vec::new();
    let mut pending = first;
    while !pending.is_empty() && lines.len() < 8 {
        for line in std::mem::take(&mut pending) {
            let (text, comment) = line.split_once("   --").unwrap_or((&line, ""));
            let mut runner = verify::runner(&world, comment, ctx.session);
            if verify::run_as(&mut world, &mut runner, text).is_none() {
                return lines;
            }
            lines.push(line);
        }
        let mut again = ctx.session.clone();
        if let Err(Failure::Odps(OdpsError::Denied(d))) =
            engine::execute(&mut world, &mut again, statement)
            && let Refusal::NoPrivilege {
                action,
                resource,
                columns,
            } = &d.refusal
            && let Some(next) = grant_line(ctx, &who, action, resource, columns)
            && !lines.contains(&next)
        {
            pending.push(next);
        }
    }
    lines
}

/// What the engine's authorization chain said to the refused principal: each path it has that
/// a flag switched off is said to be off, each it lacks is said to be missing.
struct GrantPaths {
    why: String,
    /// The flags whose paths it has, switched off (`set <flag>=true;` would let it).
    flags_off: Vec<&'static str>,
}

fn grant_paths(ctx: &Context<'_>, resource: &str, action: &str) -> GrantPaths {
    let object = object_of(resource);
    let project = object.and_then(|(p, _, _)| ctx.world.project(p));
    let (Some((_, kind, name)), Some(project)) = (object, project) else {
        return GrantPaths {
            why: "The object's project no longer exists.".to_string(),
            flags_off: Vec::new(),
        };
    };
    let key = ObjectKey::new(kind, name);
    let authority = Authority::asking(ctx.world, project, ctx.session.caller());
    let granting = action == "Grant";
    let lack = if granting {
        authority.why_grant(Target::Object(&key)).err()
    } else {
        Privilege::named(action).and_then(|p| authority.why(Target::Object(&key), p).err())
    };
    let lack = lack.unwrap_or_default();
    let creator_flag = if granting {
        "ObjectCreatorHasGrantPermission"
    } else {
        "ObjectCreatorHasAccessPermission"
    };
    let mut flags_off = Vec::new();
    let creator = if lack.creator_off {
        flags_off.push(creator_flag);
        format!("created the object, but {creator_flag}=false gives creators nothing")
    } else {
        "did not create the object".to_string()
    };
    let policy = match lack.policy_off.as_slice() {
        [] if granting => {
            "holds neither role_project_admin nor role_project_dev (whose policies allow granting on tables)".to_string()
        }
        [] => "holds no DataWorks role whose policy allows it".to_string(),
        [role] => {
            flags_off.push("CheckPermissionUsingPolicy");
            format!("holds {role}, whose policy allows it, but CheckPermissionUsingPolicy=false")
        }
        roles => {
            flags_off.push("CheckPermissionUsingPolicy");
            format!(
                "holds {}, whose policies allow it, but CheckPermissionUsingPolicy=false",
                roles.join(" and ")
            )
        }
    };
    let acl = if granting {
        "and no ACL grant lets anyone grant".to_string()
    } else if lack.acl_off.is_empty() {
        "and has no ACL grant for it, itself or through a role".to_string()
    } else {
        flags_off.push("CheckPermissionUsingAcl");
        "and holds an ACL grant for it, but CheckPermissionUsingAcl=false, so it counts for nothing"
            .to_string()
    };
    GrantPaths {
        why: format!(
            "It is not the owner, holds neither admin nor super_administrator, {creator}, {policy}, {acl}."
        ),
        flags_off,
    }
}

const RULE_POLICY_DENY: &str = "Policies bind every user but the project owner while CheckPermissionUsingPolicy is on, and an explicit Deny beats every allow: ACL grants, role policies, the object's creator, admin and super_administrator (MaxCompute policy-based access control).";

/// The statements that lift a deny named as the tips name it (`denied by the policy of role
/// r: D projects/p/tables/tb_*: Drop | Update`): revoke the statement from the role, or the
/// role from the principal; a project policy's is edited and put again.
fn lift(by: &str, who: &str) -> Vec<String> {
    let Some(rest) = by.strip_prefix("denied by the policy of role ") else {
        return vec!["get policy;".to_string()];
    };
    let Some((role, statement)) = rest.split_once(": ") else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    if let Some((resource, actions)) = statement
        .split_once(' ')
        .and_then(|(_, r)| r.rsplit_once(": "))
        && let Some((_, kind, name)) = object_of(resource)
    {
        let actions = actions.replace(" | ", ", ");
        let name = if kind == ObjectKind::Project {
            resource.trim_start_matches("projects/")
        } else {
            name
        };
        lines.push(format!(
            "revoke {actions} on {kind} {name} from role {role} privilegeproperties(\"policy\"=\"true\", \"allow\"=\"false\");   -- run by the owner or an admin: lifts it for every holder of {role}"
        ));
    }
    lines.push(format!(
        "revoke {role} from {who};   -- run by the owner or an admin: or lift it for {who} alone"
    ));
    lines
}

pub fn denied(ctx: &Context<'_>, d: &Denied) -> Parts {
    let who = &d.principal;
    let mut parts = match &d.refusal {
        Refusal::ExplicitDeny {
            action,
            resource,
            by,
        } => {
            let mut parts = Parts::new(
                "denied-by-policy",
                format!("{who} may not {action} {resource}: it is {by}, and an explicit deny beats every allow it holds."),
                RULE_POLICY_DENY,
            )
            .enabling();
            for line in lift(by, who) {
                parts = parts.fix(line);
            }
            return parts
                .note("A deny that is meant to stay is the point: the statement is refused on purpose.")
                .note(format!("show grants for {who}; lists what it is granted and denied."));
        }
        Refusal::NoPrivilege {
            action,
            resource,
            columns,
        } => {
            let what = if columns.is_empty() {
                resource.clone()
            } else {
                format!("the columns {} of {resource}", columns.join(", "))
            };
            let paths = grant_paths(ctx, resource, action);
            let mut parts = Parts::new(
                "access-denied",
                format!("{who} may not {action} {what}: no grant path gives it that action."),
                RULE_AUTHORIZATION,
            )
            .why(paths.why)
            .enabling();
            for flag in &paths.flags_off {
                // A path it has, switched off: turning the flag on lets it.
                parts = parts.fix(format!(
                    "set {flag}=true;   -- run by the owner or a super_administrator"
                ));
            }
            if *action == "Grant" {
                // Granting is no ACL privilege: the owner or an admin grants instead, or a
                // DataWorks role whose policy allows granting (matrix row 24) lets it grant.
                parts = parts
                    .fix(format!("{}   -- run by the owner or an admin instead", ctx.typed.trim()))
                    .fix(format!("grant role_project_dev to {who};   -- run by the owner or an admin: its policy allows granting on objects (matrix row 24)"));
            } else if paths.flags_off.is_empty() {
                let first = grant_line(ctx, who, action, resource, columns);
                for line in lines_that_let_it_through(ctx, first.into_iter().collect()) {
                    parts = parts.fix(line);
                }
            }
            parts.fix(format!("show grants for {who};"))
        }
        Refusal::Label {
            resource,
            column,
            sensitivity,
            effective,
        } => {
            let table = resource.rsplit('/').next().unwrap_or(resource);
            Parts::new(
                "label-denied",
                format!("LabelSecurity is on: column {column} of {resource} is labelled {sensitivity}, above {who}'s effective label {effective} (its own, its roles' and what label grants give it), and No-ReadUp refuses reading above it."),
                RULE_LABELS,
            )
            .why("Select alone is not enough: a column more sensitive than the reader's level needs an explicit label grant.")
            .fix(format!("grant label {sensitivity} on table {table} ({column}) to user {who};   -- run by the owner or an admin"))
            .fix(format!("set label {sensitivity} to user {who};   -- run by the owner or an admin, or instead of the label grant: raise its level for every table"))
            .note("A label grant expires (180 days unless `with exp <days>` says); clear expired labels; drops the expired ones.")
        }
        Refusal::NotInProject(project) => {
            let add = format!("add user {who};   -- run in {project} by its owner or an admin");
            let mut parts = Parts::new(
                "access-denied-not-member",
                format!("{who} is not a member of project {project}, which the object belongs to."),
                RULE_AUTHORIZATION,
            )
            .enabling();
            // A package installed here that comes from that project is the way in that shares
            // the least: Read on it, not membership there.
            let first = match super::outflow::package_read_grant(ctx, project, who) {
                Some(grant) => grant,
                None => add,
            };
            for line in lines_that_let_it_through(ctx, vec![first]) {
                parts = parts.fix(line);
            }
            parts.note(format!("Membership alone lets it do little: its work needs a role there too (grant role_project_dev to {who};, run in {project} by its owner or an admin) or the single privileges above."))
        }
        Refusal::NoDownload { resource } => super::outflow::no_download(ctx, who, resource),
        Refusal::Protected {
            action,
            resource,
            project,
        } => {
            let destination = match &d.channel {
                Channel::Sql {
                    current_project, ..
                } => current_project.clone(),
                Channel::Rest => ctx.session.project.clone(),
                Channel::Tunnel => {
                    return Parts::new(
                        "project-protected",
                        format!("Project {project} is protected: its data ({resource}, {action}) may not leave it for a local file, and no exception lets {who} take it."),
                        RULE_PROTECTION,
                    )
                    .note(d.tip.clone().unwrap_or_default());
                }
            };
            Parts::new(
                "project-protected",
                format!("Project {project} is protected: its data ({resource}, {action}) may not flow to {destination}, which it does not trust."),
                RULE_PROTECTION,
            )
            .fix(format!("add trustedproject {destination};   -- run in {project} by its owner"))
            .note("Or its owner turns protection off (set ProjectProtection=false;), which lets the data go anywhere.")
        }
    };
    if let Some(tip) = &d.tip {
        parts = parts.note(tip.clone());
    }
    parts
}

pub fn owner_only(ctx: &Context<'_>, what: &str) -> Parts {
    Parts::new(
        "owner-only",
        format!(
            "Only the owner of project {} can {what}, and {} is not the owner.",
            ctx.session.project,
            ctx.actor()
        ),
        RULE_SETTINGS,
    )
    .note("Run it as the owner (the main account: start odpsh without -u/-p).")
}

pub fn set_by_ticket(key: &str, project: &str) -> Parts {
    Parts::new(
        "set-by-ticket",
        format!("{key} is not a setting: the service turns it on for project {project} through a support ticket (permission matrix row 19: Python UDF, 工单申请开通)."),
        "Python UDFs need the project enabled by a support ticket first (permission matrix row 19).",
    )
    .fix(format!("aliyun console EnablePythonUDF --ProjectName {project}"))
}

fn not_found(topic: &'static str, what: String, list: &str) -> Parts {
    Parts::new(topic, what, RULE_OBJECTS).fix(list.to_string())
}

pub fn object(ctx: &Context<'_>, e: &ObjectError) -> Parts {
    let current = ctx.session.project.clone();
    match e {
        ObjectError::TableNotResolved { project, table }
        | ObjectError::TableNotFound { project, table } => not_found(
            "table-not-found",
            format!("Project {project} has no table {table}."),
            "show tables;",
        )
        .note(format!("Create it first: create table {table} (id bigint);")),
        ObjectError::TableExists { project, table } => Parts::new(
            "table-exists",
            format!("Project {project} already has a table {table}."),
            RULE_OBJECTS,
        )
        .fix(format!("create table if not exists {table} (id bigint);"))
        .fix(format!("desc {table};")),
        ObjectError::ColumnNotResolved { column } => Parts::new(
            "column-not-found",
            format!("The table has no column {column}."),
            RULE_OBJECTS,
        )
        .note("desc <table>; lists its columns."),
        ObjectError::DuplicateColumn { column } => Parts::new(
            "duplicate-column",
            format!("The column {column} is defined twice."),
            RULE_OBJECTS,
        )
        .note("Give each column its own name."),
        ObjectError::ColumnNotFound {
            project,
            table,
            column,
        } => Parts::new(
            "column-not-found",
            format!("Table {project}.{table} has no column {column}."),
            RULE_GRANTS,
        )
        .fix(format!("desc {table};")),
        ObjectError::ResourceNotFound(name) => not_found(
            "resource-not-found",
            format!("Project {current} has no resource {name}."),
            "list resources;",
        ),
        ObjectError::ResourceExists(name) => Parts::new(
            "resource-exists",
            format!("Project {current} already has a resource {name}."),
            RULE_OBJECTS,
        )
        .note("Add it with -f to replace it, or under another name (add jar <file> as <name>;)."),
        ObjectError::FunctionNotFound(name) => not_found(
            "function-not-found",
            format!("Project {current} has no function {name}."),
            "list functions;",
        ),
        ObjectError::FunctionExists(name) => Parts::new(
            "function-exists",
            format!("Project {current} already has a function {name}."),
            RULE_OBJECTS,
        )
        .fix(format!("drop function {name};")),
        ObjectError::InstanceNotFound(id) => not_found(
            "instance-not-found",
            format!("Project {current} has no instance {id}."),
            "show instances;",
        ),
        ObjectError::PackageNotFound(_)
        | ObjectError::PackageExists { .. }
        | ObjectError::AlreadyInPackage { .. }
        | ObjectError::NotInPackage { .. }
        | ObjectError::PackageFull(_)
        | ObjectError::PackageInstalled { .. }
        | ObjectError::OwnPackage(_)
        | ObjectError::InstallNotAllowed { .. }
        | ObjectError::IpNotInWhitelist { .. }
        | ObjectError::DownloadFile { .. } => super::outflow::object(ctx, e).unwrap_or_else(|| {
            Parts::new("object", e.to_string(), RULE_OBJECTS)
        }),
        ObjectError::NotCurrentProject { named, current } => Parts::new(
            "not-current-project",
            format!("The statement names project {named}, but grants and show acl act on the current project, {current}."),
            RULE_GRANTS,
        )
        .fix(format!("use {named};")),
        ObjectError::InvalidExpires(value) => Parts::new(
            "invalid-expires",
            format!("\"expires\" takes a whole number of days, not '{value}'."),
            RULE_GRANTS,
        )
        .fix("grant Select on table sales to user RAM$guest privilegeproperties(\"expires\"=\"30\");"),
        ObjectError::UnsupportedProperty(key) => Parts::new(
            "unsupported-property",
            format!("odpsh simulates no privilege property \"{key}\" here: only \"expires\", on grant."),
            RULE_GRANTS,
        )
        .note("A revoke takes no privilege properties: it removes the privileges however long they were granted for."),
        ObjectError::NotBoolean(flag) => Parts::new(
            "not-boolean",
            format!("{flag} takes true or false."),
            RULE_SETTINGS,
        )
        .fix(format!("set {flag}=true;")),
        ObjectError::BadCommand => Parts::new(
            "bad-command",
            "The console does not know this set: it sets project security flags (set <Flag>=true|false) and session properties.",
            RULE_SETTINGS,
        )
        .fix("show SecurityConfiguration;"),
        ObjectError::NotSimulated(what) => Parts::new(
            "not-simulated",
            format!("odpsh does not simulate {what}."),
            "odpsh simulates the security model, not everything the service does (README: what odpsh simulates).",
        )
        .note("The statement changes nothing here; in the real service it would run."),
        ObjectError::AlreadyTrusted { trusted, project } => Parts::new(
            "already-trusted",
            format!("{project} already trusts {trusted}: nothing to add."),
            RULE_SETTINGS,
        )
        .fix("list trustedprojects;"),
        ObjectError::NotTrusted { trusted, project } => Parts::new(
            "not-trusted",
            format!("{project} does not trust {trusted}: nothing to remove."),
            RULE_SETTINGS,
        )
        .fix("list trustedprojects;"),
        ObjectError::TrustSelf(project) => Parts::new(
            "trust-self",
            format!("Data of {project} may always be used in {project}; a project does not trust itself."),
            RULE_PROTECTION,
        )
        .note("Name the project the data should flow to."),
        ObjectError::ProviderPresent { provider, project } => Parts::new(
            "provider-present",
            format!("Project {project} already accepts {provider} principals: nothing to add."),
            RULE_SETTINGS,
        )
        .fix("list accountproviders;"),
        ObjectError::ProviderAbsent { provider, project } => Parts::new(
            "provider-absent",
            format!("Project {project} does not accept {provider} principals: nothing to remove."),
            RULE_SETTINGS,
        )
        .fix("list accountproviders;"),
        ObjectError::ProviderRequired(project) => Parts::new(
            "provider-required",
            format!("The owner of {project} is an Alibaba Cloud account, so the project must keep accepting ALIYUN principals."),
            RULE_SETTINGS,
        )
        .fix("list accountproviders;"),
    }
}

#[cfg(test)]
mod tests {
    use super::grant_for;

    #[test]
    fn a_refused_resource_turns_into_the_grant_that_allows_it() {
        let u = "RAM$MainCount:guest";
        assert_eq!(
            grant_for("Select", "projects/p/tables/sales", &[], u).as_deref(),
            Some("grant Select on table sales to user RAM$MainCount:guest;")
        );
        assert_eq!(
            grant_for(
                "Select",
                "projects/p/tables/t",
                &["id".into(), "name".into()],
                u
            )
            .as_deref(),
            Some("grant Select on table t (id, name) to user RAM$MainCount:guest;")
        );
        assert_eq!(
            grant_for("CreateTable", "projects/p", &[], u).as_deref(),
            Some("grant CreateTable on project p to user RAM$MainCount:guest;")
        );
        assert_eq!(
            grant_for("Execute", "projects/p/registration/functions/f", &[], u).as_deref(),
            Some("grant Execute on function f to user RAM$MainCount:guest;")
        );
        assert_eq!(grant_for("Read", "nothing", &[], u), None);
    }
}
