//! Explanations of the MaxCompute failures (`FAILED: …`).

use crate::engine::OdpsError;
use crate::engine::access::{Standing, standing};
use crate::engine::names::display;
use crate::syntax::{Param, PrincipalName, Statement, UserRef};
use crate::syntax::{RoleStatement, UserStatement};
use crate::world::credentials::KeyStatus;
use crate::world::{PrincipalId, World};

use super::super::offboard::{Target, grant_revokes, grants_in, label_revokes};
use super::super::sight::NotShown;
use super::{Context, Parts, plan_lines};

/// Name resolution (documented: MaxCompute user management; seed 004).
pub const RULE_PROVIDER: &str = "MaxCompute finds a principal through the account provider its name's prefix names: ALIYUN$ for Alibaba Cloud accounts, RAM$ for RAM users. An internal id such as p4_<UserId> names no provider (MaxCompute user management; seed 004).";
const RULE_CREDENTIALS: &str = "Every statement runs as the owner of the session's AccessKey, checked again for each statement, as odpscmd started with -u/-p does (seed 000: a disabled AccessKey makes every call that uses it fail).";
const RULE_STS: &str = "An STS credential (AccessKeyId STS.…, secret, SecurityToken) acts as the RAM role it was issued for until its Expiration on the world's clock; it signs only with its token, and stops at once when the role is deleted (STS AssumeRole).";
const RULE_MEMBERS: &str = "Only the project owner and the project's members may use a project (MaxCompute: ODPS-0420095).";
const RULE_MANAGERS: &str = "Users and roles are managed by the project owner, a super_administrator or an admin; only the owner grants or revokes admin, and only the owner or a super_administrator grants or revokes super_administrator (MaxCompute role planning; odpsh's DECISIONS: Who may).";
const RULE_ORDER: &str = "remove user refuses a member that still holds roles; the documented off-boarding order is: revoke its roles, remove the user, then delete the RAM user (seed 004; reference §13).";
const RULE_ROLES: &str = "A project's roles are the built-in ones (admin, super_administrator, role_project_*) and those made with create role; built-in roles cannot be dropped, and a role with members cannot be dropped (MaxCompute role management).";
const RULE_PROPERTIES: &str = "odpsh simulates four project properties: odps.sql.allow.fullscan (true or false) and the IP and VPC whitelists odps.security.ip.whitelist (addresses, CIDR blocks or ranges) and odps.security.vpc.whitelist, which the owner sets (permission matrix rows 5 and 6), and odps.security.enabledownloadprivilege (true or false: download control), which the owner or a super_administrator sets.";
const RULE_PROJECTS: &str =
    "Projects are created in DataWorks, never from the CLI (permission matrix rows 1 and 2).";
const RULE_FOREIGN: &str = "A project takes RAM users of its owner's Alibaba Cloud account only; another account joins as its main account (ALIYUN$<account>).";

fn residual_parts(ctx: &Context<'_>, id: PrincipalId, shown: &str) -> Parts {
    let world = ctx.world;
    let sight = ctx.sight();
    let seen = |p: &&crate::world::Project| sight.grants(p, id);
    // The projects of the account the residual belonged to: the current project's owner's.
    let owner = ctx.project().map(|p| p.owner);
    let left_out = world
        .projects
        .values()
        .filter(|p| owner.is_none_or(|o| p.owner == o))
        .any(|p| !sight.grants(p, id));
    let projects: Vec<String> = world
        .projects
        .values()
        .filter(seen)
        .filter_map(|p| {
            let roles = p.roles_of(id)?;
            let held: Vec<&str> = roles;
            let roles = if held.is_empty() {
                "no roles".to_string()
            } else {
                format!("roles: {}", held.join(", "))
            };
            let grants: Vec<String> = grants_in(p, id).iter().map(|g| g.0.to_string()).collect();
            Some(if grants.is_empty() {
                format!("{} ({roles})", p.name)
            } else {
                format!("{} ({roles}; ACL grants on {})", p.name, grants.join(", "))
            })
        })
        .collect();
    let old_name = ctx
        .former
        .get(&id)
        .cloned()
        .or_else(|| remembered_name(ctx, id));
    let uid = shown.trim_start_matches("p4_");
    let mut parts = Parts::new(
        "residual-member",
        format!(
            "{shown} is a residual member: the RAM user with UserId {uid} was deleted in RAM while it was still a member of {}.",
            projects.join(", ")
        ),
        RULE_PROVIDER,
    )
    .why("A project keeps its members, their roles and their ACL grants by internal id, and shows one whose RAM user is gone as p4_<UserId>.")
    .why(format!(
        "A statement must name a principal through an account provider, and a p4_ name carries none: remove user, revoke and grant all fail on {shown} the same way. The CLI cannot remove it, and DataWorks cannot either (its DeleteProjectMember no longer finds the UserId)."
    ));
    let name = old_name
        .clone()
        .unwrap_or_else(|| "RAM$<account>:<user>".to_string());
    let principal = match crate::syntax::parse_user_ref(&name) {
        Ok(UserRef::Principal(p)) => p,
        _ => PrincipalName::RamUser {
            account: Some("<account>".into()),
            user: "<user>".into(),
        },
    };
    let (uid, kind) = match id {
        PrincipalId::RamUser(uid) => (uid, crate::teach::offboard::TargetKind::User),
        PrincipalId::RamRole(role) => (
            crate::world::Uid(role),
            crate::teach::offboard::TargetKind::Role,
        ),
        PrincipalId::Account(_) => (
            crate::world::Uid(0),
            crate::teach::offboard::TargetKind::User,
        ),
    };
    let target = Target {
        uid,
        account: world.home,
        name: name.rsplit(':').next().unwrap_or("<user>").to_string(),
        principal,
        kind,
    };
    for p in world
        .projects
        .values()
        .filter(|p| p.is_member(id))
        .filter(seen)
    {
        if p.name != ctx.session.project {
            parts = parts.avoid(format!("use {};", p.name));
        }
        if let Some(roles) = p.roles_of(id).filter(|r| !r.is_empty()) {
            let held: Vec<&str> = roles;
            parts = parts.avoid(format!("revoke {} from {name};", held.join(", ")));
        }
        for step in grant_revokes(p, &target) {
            parts = parts.avoid(crate::teach::statement_line(&step.statement));
        }
        parts = parts.avoid(format!("remove user {name};"));
    }
    let user = name.rsplit(':').next().unwrap_or("<user>");
    parts = parts.avoid(format!("aliyun ram DeleteUser --UserName {user}"));
    if let Some(old) = &old_name {
        parts = parts.note(format!("It was {old} before it was deleted."));
    }
    if left_out {
        parts = parts.note(
            NotShown::Projects {
                principal: shown.to_string(),
            }
            .to_string(),
        );
    }
    parts
        .note("What remains: the documentation offers no remedy. The residual does not affect normal use of the project, but its role bindings and ACL grants stay, so a role it holds can never be dropped.")
        .note("Recovery in the real service: restore the RAM user from the RAM recycle bin within 30 days; it comes back with the same UserId, its RAM$ name resolves again, and revoke and remove user work (odpsh does not simulate the recycle bin). Otherwise, open a support ticket.")
        .note("Next time: offboard <user>; prints every statement in the right order, and odpsh check FILE finds this mistake in a script before it runs.")
}

/// The name DataWorks remembers for a member whose RAM user is gone (in the workspaces whose
/// members the acting identity may list).
fn remembered_name(ctx: &Context<'_>, id: PrincipalId) -> Option<String> {
    let sight = ctx.sight();
    ctx.world
        .projects
        .values()
        .filter(|p| sight.workspace_members(p))
        .filter_map(|p| p.workspace.as_ref()?.members.get(&id))
        .next()
        .cloned()
}

/// A `p4_<UserId>` that names a RAM user who still exists: the project lists it under its
/// internal id only because the statement used it; the user is named by its provider.
fn live_internal_id(ctx: &Context<'_>, id: PrincipalId, text: &str) -> Parts {
    let name = display(ctx.world, id);
    let typed = crate::syntax::masked(ctx.typed.trim_end()).into_owned();
    let mut parts = Parts::new(
        "internal-id-of-a-live-user",
        format!(
            "{text} is the internal id of the RAM user {name}, which still exists: it is no residual. A statement names a principal through its account provider, and an internal id carries none."
        ),
        RULE_PROVIDER,
    );
    // Removing it named rightly still needs its roles and grants revoked first.
    let removing = matches!(
        ctx.statement(),
        Some(Statement::Users(UserStatement::Remove(_)))
    );
    if let (true, Some(project)) = (removing, ctx.project()) {
        if let Some(roles) = project.roles_of(id).filter(|r| !r.is_empty()) {
            parts = parts.fix(format!("revoke {} from {name};", roles.join(", ")));
        }
        for line in grants_revoked_before_leaving(ctx, &name, &project.name) {
            parts = parts.fix(line);
        }
    }
    parts
        .fix(typed.replace(text, &name))
    .note(format!("list users; shows the member as {name}; p4_<UserId> is how a project shows a member only once its RAM user is deleted."))
}

fn lack_of_provider(ctx: &Context<'_>) -> Parts {
    let sight = ctx.sight();
    if let Some(PrincipalName::Internal(text)) = ctx.principal()
        && let Ok(id) = text.parse::<PrincipalId>()
        && ctx
            .world
            .projects
            .values()
            .any(|p| p.is_member(id) && sight.grants(p, id))
    {
        if let PrincipalId::RamUser(uid) = id
            && ctx.world.ram_user(uid).is_some()
        {
            return live_internal_id(ctx, id, text);
        }
        return residual_parts(ctx, id, text);
    }
    let named = ctx
        .principal()
        .map_or_else(|| "the name".to_string(), ToString::to_string);
    Parts::new(
        "internal-id",
        format!("{named} is an internal id, not a principal name: it carries no account provider, and no project lists it as a member."),
        RULE_PROVIDER,
    )
    .fix("list users;")
    .note("Name principals as ALIYUN$<account> or RAM$<account>:<user>; list users; shows the members' names.")
}

fn invalid_name(ctx: &Context<'_>, name: &str) -> Parts {
    let mut parts = Parts::new(
        "unknown-name",
        format!(
            "No account resolves {name}: no Alibaba Cloud account, or no RAM user of it, has that name or id."
        ),
        RULE_PROVIDER,
    );
    if let Some(PrincipalName::RamUser {
        user,
        account: Some(a),
    }) = ctx.principal()
        && ctx.world.account_named(a).is_none()
    {
        parts = parts.why(format!(
            "There is no account with the log-on name or id {a} (RAM$<account>:{user})."
        ));
    }
    if let Some(PrincipalName::RamRole { .. }) = ctx.principal() {
        parts = parts.why("RAM roles are not simulated: no account has any, so none resolves.");
    }
    let deleted_here = ctx
        .former
        .iter()
        .find(|(_, former)| former.eq_ignore_ascii_case(name) || name_matches(ctx, former));
    if let Some((id, former)) = deleted_here {
        let projects = super::super::offboard::projects_listing(&ctx.sight(), *id);
        parts = parts.why(format!(
            "{former} was deleted in RAM in this session, so its name resolves no more."
        ));
        if !projects.is_empty() {
            parts = parts.why(format!(
                "It is still a member of {} as {id}: a residual member that no statement can remove (explain; after remove user {id}; tells more).",
                projects.join(", ")
            ));
        }
    } else if let Some(PrincipalName::RamUser { user, .. }) = ctx.principal() {
        let sight = ctx.sight();
        let residual = ctx.world.projects.values().find_map(|p| {
            let listed = p
                .workspace
                .as_ref()
                .filter(|_| sight.workspace_members(p))?;
            listed.members.iter().find_map(|(id, shown)| {
                let gone =
                    matches!(id, PrincipalId::RamUser(u) if ctx.world.ram_user(*u).is_none());
                (gone && shown.rsplit(':').next() == Some(user.as_str())).then_some(*id)
            })
        });
        if let Some(id) = residual {
            parts = parts.why(format!(
                "DataWorks remembers {user} as UserId {}: that RAM user was deleted, and its projects list it as {id}, a residual member that no statement can remove.",
                id.to_string().trim_start_matches("p4_")
            ));
        }
    }
    parts
        .fix("aliyun ram ListUsers")
        .fix("list users;")
        .note("RAM user names are matched case-insensitively; RAM$<user> means a RAM user of your own account.")
}

/// Whether the statement's principal (`RAM$<user>` or `RAM$<account>:<user>`) names the user
/// shown as `former`.
fn name_matches(ctx: &Context<'_>, former: &str) -> bool {
    let Some(PrincipalName::RamUser { account, user }) = ctx.principal() else {
        return false;
    };
    let Some((shown_account, shown_user)) = former
        .strip_prefix("RAM$")
        .and_then(|rest| rest.split_once(':'))
    else {
        return false;
    };
    let account_ok = account.as_deref().is_none_or(|a| {
        a.eq_ignore_ascii_case(shown_account)
            || ctx
                .world
                .account_named(a)
                .is_some_and(|acc| acc.login.eq_ignore_ascii_case(shown_account))
    });
    account_ok && user.eq_ignore_ascii_case(shown_user)
}

fn key_owner(world: &World, id: &str) -> Option<(Option<String>, KeyStatus)> {
    world.accounts.values().find_map(|a| {
        let (owner, key) = a.key(id)?;
        let name = owner.and_then(|uid| a.user(uid).map(|u| u.name().to_string()));
        Some((name, key.status))
    })
}

fn manager_parts(ctx: &Context<'_>, action: &str, project: &str) -> Parts {
    let actor = ctx.actor();
    let standing = ctx
        .world
        .project(project)
        .map(|p| standing(p, ctx.session.actor));
    let is = match standing {
        Some(Standing::Member) => "a member without admin or super_administrator",
        _ => "not one of them",
    };
    Parts::new(
        "needs-manager",
        format!("odps:{action} manages the users and roles of project {project}: only its owner, a super_administrator or an admin may do it, and {actor} is {is}."),
        RULE_MANAGERS,
    )
    .fix(format!("grant admin to {actor};   -- run by the project owner"))
    .note("Or run the statement as the owner: start odpsh without -u/-p (the main account), or login with the owner's AccessKey.")
    .note(format!("To delegate only this action, put odps:{action} in the policy of an admin-type role (create role <name> privilegeproperties(\"type\"=\"admin\"); put policy <file> on role <name>;) and grant that role to {actor}."))
}

/// Explains one MaxCompute failure.
pub fn explain(ctx: &Context<'_>, e: &OdpsError) -> Parts {
    match e {
        OdpsError::PolicyFile { file, reason } => Parts::new(
            "policy-file",
            format!("put policy reads {file} from the machine it runs on ({reason}), so nothing was sent."),
            "put policy <file> reads a local file: a relative path is read from the script's directory, or from the working directory in the shell (odpscmd's put policy).",
        )
        .note("Check the path, or give an absolute one."),
        OdpsError::PolicyFormat(reason) => {
            let parts = Parts::new(
                "policy-format",
                format!("The policy was refused whole ({reason}), so nothing changed."),
                "A policy is JSON: \"Version\": \"1\" and a \"Statement\" list, each with \"Effect\" (Allow or Deny), \"Action\" (odps:<Action>, * allowed), \"Resource\" (acs:odps:*:projects/<p>/…), an optional \"Condition\", and for the project policy a \"Principal\". A resource role's policy takes object actions, an admin role's management actions (MaxCompute policy-based access control).",
            )
            .fix("get policy;");
            if reason.starts_with("invalid Action value") {
                parts.note("Management actions (odps:AddUser, odps:CreateRole, …) go to an admin-type role: create role <name> privilegeproperties(\"type\"=\"admin\"); then put policy <file> on role <name>;. Object actions go to a resource role.")
            } else {
                parts
            }
        }
        OdpsError::LackOfAccountProvider => lack_of_provider(ctx),
        OdpsError::ProviderNotEnabled(name) => {
            let provider = name.split('$').next().unwrap_or_default().to_ascii_uppercase();
            let known = matches!(provider.as_str(), "RAM" | "ALIYUN");
            let parts = Parts::new(
                "unknown-provider",
                format!("Project {} does not accept principals of the account system {provider}$, so it cannot name {name}.", ctx.session.project),
                "A principal of an account system the project lacks fails with lack of account provider, principalName <name>; list accountproviders; shows what it accepts, add accountprovider adds one (documented: RAM user management).",
            )
            .fix("list accountproviders;");
            if known {
                parts
                    .fix(format!("add accountprovider {};   -- run by the project owner", provider.to_ascii_lowercase()))
                    .note("If it still fails after that, the user name is wrong: copy it from list users;.")
            } else {
                parts.note("odpsh knows the ALIYUN and RAM account systems: write the name as RAM$<account>:<user> or ALIYUN$<account>.")
            }
        }
        OdpsError::InvalidAccountName(name) => invalid_name(ctx, name),
        OdpsError::AccessKeyNotFound(id) => Parts::new(
            "key-not-found",
            format!("No account has an AccessKey {id}: it was deleted, or it is mistyped. Every statement of this session uses it, so every statement fails."),
            RULE_CREDENTIALS,
        )
        .fix("login <AccessKeyId> <AccessKeySecret>;")
        .note("The main account lists a user's keys with aliyun ram ListAccessKeys --UserName <user>; start odpsh without -u/-p to act as the main account."),
        OdpsError::AccessKeyInactive(id) => {
            let fix = match key_owner(ctx.world, id) {
                Some((Some(user), _)) => format!("aliyun ram UpdateAccessKey --UserName {user} --UserAccessKeyId {id} --Status Active"),
                _ => format!("aliyun ram UpdateAccessKey --UserAccessKeyId {id} --Status Active"),
            };
            Parts::new(
                "key-disabled",
                format!("The AccessKey {id} of this session is disabled, so every call that uses it fails until it is enabled again."),
                RULE_CREDENTIALS,
            )
            .fix(format!("{fix}   -- run by the main account"))
            .note("If the key was disabled on purpose (a departing user), leave it so: delete it instead once nothing uses it.")
        }
        OdpsError::SecurityTokenMissing(id) => Parts::new(
            "sts-token-missing",
            format!("{id} is the AccessKeyId of an STS credential: it signs only together with the SecurityToken AssumeRole returned with it."),
            RULE_STS,
        )
        .fix("login <AccessKeyId> <AccessKeySecret> <SecurityToken>;")
        .note("On the command line: odpsh -u <AccessKeyId> -p <AccessKeySecret> --sts-token <SecurityToken>; PyODPS: StsAccount(id, secret, token)."),
        OdpsError::SecurityTokenExpired(id) => Parts::new(
            "sts-token-expired",
            format!("The STS credential {id} has passed its Expiration: temporary credentials stop working then, and nothing renews them."),
            RULE_STS,
        )
        .fix("aliyun sts AssumeRole --RoleArn acs:ram::<account>:role/<role> --RoleSessionName <name>   -- as the RAM user the role trusts")
        .note("A scheduled job asks for a new credential before each run (or when the old one is about to expire), never stores one."),
        OdpsError::SecurityTokenMismatch(id) => Parts::new(
            "sts-token-mismatch",
            format!("The security token given with {id} is not the one issued with it (or {id} is a permanent AccessKey, which takes no token)."),
            RULE_STS,
        )
        .fix("login <AccessKeyId> <AccessKeySecret> <SecurityToken>;   -- all three from the same AssumeRole answer")
        .note("A permanent AccessKey (LTAI…) signs without --sts-token."),
        OdpsError::SignatureMismatch => Parts::new(
            "wrong-secret",
            "The AccessKey exists, but the secret given with it is not its secret.",
            RULE_CREDENTIALS,
        )
        .fix("login <AccessKeyId> <AccessKeySecret>;")
        .note("A secret is shown once, by CreateAccessKey. If it is lost, create a new key (aliyun ram CreateAccessKey --UserName <user>) and delete the old one."),
        OdpsError::ProjectNotFound(p) => {
            let sight = ctx.sight();
            let known: Vec<&str> = ctx.world.projects.values().filter(|p| sight.uses(p)).map(|p| p.name.as_str()).collect();
            let mut parts = Parts::new(
                "no-such-project",
                format!("No project named {p} exists; the projects are: {}.", known.join(", ")),
                RULE_PROJECTS,
            );
            if known.len() < ctx.world.projects.len() {
                parts = parts.why(NotShown::UnusableProjects.to_string());
            }
            if let Some(first) = known.first() {
                parts = parts.fix(format!("use {first};"));
            }
            parts.note(format!("To make {p}, create a DataWorks workspace: aliyun dataworks-public CreateProject --ProjectName {p}"))
        }
        OdpsError::NotInProject(p) => {
            let actor = ctx.actor();
            let add = format!("add user {actor};   -- run in {p} by its owner or an admin");
            let mut parts = Parts::new(
                "not-in-project",
                format!("{actor} is neither the owner nor a member of project {p}, so it may run nothing there."),
                RULE_MEMBERS,
            )
            .enabling();
            for line in super::authz::lines_that_let_it_through(ctx, vec![add]) {
                parts = parts.fix(line);
            }
            parts.note("Or grant it the role its work needs instead of single privileges (grant role_project_dev to <user>;).")
        }
        OdpsError::NoPrivilege { action, project } => manager_parts(ctx, action, project),
        OdpsError::OwnerOnlyAdminRole => Parts::new(
            "owner-only-admin",
            format!("Only the project owner grants or revokes admin, and {} is not the owner.", ctx.actor()),
            RULE_MANAGERS,
        )
        .note("Run it as the owner (the main account: start odpsh without -u/-p)."),
        OdpsError::SuperAdminRoleRestricted => Parts::new(
            "owner-or-super-admin",
            format!("Only the project owner or a super_administrator grants or revokes super_administrator, and {} is neither.", ctx.actor()),
            RULE_MANAGERS,
        )
        .note("Run it as the owner (the main account: start odpsh without -u/-p)."),
        OdpsError::AlreadyMember { user, project } => Parts::new(
            "already-member",
            format!("{user} is already a member of {project}: there is nothing to add."),
            "A project lists each member once (MaxCompute user management).",
        )
        .fix("list users;")
        .note(format!("To give it work, grant a role: grant role_project_dev to {user};")),
        OdpsError::OwnerIsImplicitMember { user, project } => Parts::new(
            "owner-always-in",
            format!("{user} owns {project}: the owner is always in its project and is never listed as a member."),
            "The project owner is implicit (MaxCompute: the owner owns every object of the project).",
        )
        .note("There is nothing to add."),
        OdpsError::NotMember { user, project } => {
            let elsewhere: Vec<String> = ctx
                .principal()
                .and_then(|p| crate::engine::names::resolve(ctx.world, ctx.world.home, p).ok())
                .map(|id| super::super::offboard::projects_listing(&ctx.sight(), id))
                .unwrap_or_default()
                .into_iter()
                .filter(|p| !p.eq_ignore_ascii_case(&ctx.session.project))
                .collect();
            let removing = matches!(ctx.statement(), Some(Statement::Users(UserStatement::Remove(_)) | Statement::Roles(RoleStatement::Revoke { .. })));
            let what = match ctx.statement() {
                Some(Statement::Users(UserStatement::Remove(_))) => "only members can be removed",
                Some(Statement::Acl(_)) => "privileges are granted to members (and roles) only",
                Some(Statement::Labels(_)) => "labels are set and granted to members (and roles) only",
                _ => "roles are granted to members only",
            };
            let mut parts = Parts::new(
                "not-member",
                format!("{user} is not a member of {project}; {what}."),
                "grant, revoke and remove user act on members of the current project (MaxCompute user management).",
            );
            if !elsewhere.is_empty() {
                parts = parts.why(format!("It is a member of {}: use that project first.", elsewhere.join(", ")));
            }
            if removing {
                parts.note("If it was meant to leave, it already has: nothing to do here.")
            } else {
                parts
                    .fix(format!("add user {user};"))
                    .fix(format!("{}   -- again", crate::syntax::masked(ctx.typed.trim_end())))
            }
        }
        OdpsError::StillHoldsRoles { user, project, roles } => {
            let mut parts = Parts::new(
                "roles-remain",
                format!("{user} still holds {roles} in {project}, and remove user refuses a member that holds roles, so that no role binding is left pointing at a user that is gone."),
                RULE_ORDER,
            )
            .fix(format!("revoke {roles} from {user};"));
            // Its ACL and label grants stay after it leaves: the fix revokes them too, so that
            // running it leaves nothing behind.
            for line in grants_revoked_before_leaving(ctx, user, project) {
                parts = parts.fix(line);
            }
            parts
                .fix(format!("remove user {user};"))
                .note("This refusal keeps the order honest. Deleting the RAM user now, before it is removed, would leave it behind as a p4_ residual that nobody can remove.")
        }
        OdpsError::ForeignRamUser { user, owner, project } => Parts::new(
            "foreign-ram-user",
            format!("{user} is a RAM user of another Alibaba Cloud account; project {project} belongs to {owner} and takes only {owner}'s RAM users."),
            RULE_FOREIGN,
        )
        .note(format!("Add the other account's main account instead (add user ALIYUN$<account>;), or create the RAM user in {owner}.")),
        OdpsError::UnknownProperty(key) => Parts::new(
            "unknown-property",
            format!("odpsh does not simulate the project property {key}."),
            RULE_PROPERTIES,
        )
        .fix("setproject;"),
        OdpsError::InvalidPropertyValue { key, value } => Parts::new(
            "invalid-property-value",
            format!("'{value}' is not a value {key} takes."),
            RULE_PROPERTIES,
        )
        .fix("setproject odps.sql.allow.fullscan=false;")
        .fix("setproject odps.security.ip.whitelist=10.0.0.0/8,192.168.1.1;"),
        OdpsError::RoleExists(role) => Parts::new(
            "role-exists",
            format!("Project {} already has a role {role}.", ctx.session.project),
            RULE_ROLES,
        )
        .fix(format!("describe role {role};"))
        .note("Use it as it is, or choose another name."),
        OdpsError::NoSuchRole(role) => no_such_role(ctx, role),
        OdpsError::BuiltinRole(role) => Parts::new(
            "builtin-role",
            format!("{role} is a built-in role of every project; it cannot be dropped."),
            RULE_ROLES,
        )
        .note("Revoke it from the members who should not hold it instead."),
        OdpsError::RoleInUse { role, count } => role_in_use(ctx, role, *count),
        OdpsError::OwnerOnly(what) => super::authz::owner_only(ctx, what),
        OdpsError::SetByTicket { key, project } => super::authz::set_by_ticket(key, project),
        OdpsError::Denied(d) => super::authz::denied(ctx, d),
        OdpsError::Object(e) => super::authz::object(ctx, e),
    }
}

fn no_such_role(ctx: &Context<'_>, role: &str) -> Parts {
    let sight = ctx.sight();
    let similar: Vec<String> = ctx
        .project()
        .filter(|p| sight.roles(p))
        .map(|p| {
            p.role_names()
                .filter(|r| {
                    let stem = role.trim_start_matches("role_project_");
                    r.contains(stem) || role.contains(r.trim_start_matches("role_project_"))
                })
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let mut parts = Parts::new(
        "no-such-role",
        format!(
            "Project {} has no role {role}; a grant is all or nothing, so nothing was granted.",
            ctx.session.project
        ),
        RULE_ROLES,
    )
    .fix("list roles;");
    if !similar.is_empty() {
        parts = parts.why(format!(
            "Roles with a similar name: {}.",
            similar.join(", ")
        ));
    }
    parts.note(format!(
        "A custom role is made with create role {role}; (by the owner or an admin)."
    ))
}

fn role_in_use(ctx: &Context<'_>, role: &str, count: usize) -> Parts {
    let mut parts = Parts::new(
        "role-in-use",
        format!(
            "{count} member(s) still hold {role}; a role is dropped only when nobody holds it."
        ),
        RULE_ROLES,
    );
    let sight = ctx.sight();
    let Some(project) = ctx.project().filter(|p| sight.roles(p)) else {
        return parts;
    };
    let mut residuals = Vec::new();
    let mut members: Vec<PrincipalId> = project
        .role_members(role)
        .map(|m| m.collect())
        .unwrap_or_default();
    members.sort();
    for id in members {
        let name = display(ctx.world, id);
        if name.starts_with("p4_") {
            residuals.push(name);
        } else {
            parts = parts.fix(format!("revoke {role} from {name};"));
        }
    }
    if residuals.is_empty() {
        parts.fix(format!("drop role {role};"))
    } else {
        parts.note(format!(
            "{} hold(s) it as residual member(s): no statement can revoke it from them, so {role} can never be dropped (seed 004's residual).",
            residuals.join(", ")
        ))
    }
}

/// The off-boarding plan for the user a console command names (`--UserName`).
pub fn plan_for_param(ctx: &Context<'_>) -> Vec<String> {
    match ctx.param(Param::UserName) {
        Some(user) => plan_lines(ctx, &UserRef::Name(user.to_string())),
        None => Vec::new(),
    }
}

/// The statements that revoke what `user` holds in `project` besides its roles (ACL and label
/// grants), which remove user would leave behind.
fn grants_revoked_before_leaving(ctx: &Context<'_>, user: &str, project: &str) -> Vec<String> {
    let Ok(user) = crate::syntax::parse_user_ref(user) else {
        return Vec::new();
    };
    let (Ok(target), Some(project)) = (
        super::super::offboard::resolve_target(ctx.world, ctx.session, &user),
        ctx.world.project(project),
    ) else {
        return Vec::new();
    };
    grant_revokes(project, &target)
        .iter()
        .chain(&label_revokes(project, &target))
        .map(|step| super::super::statement_line(&step.statement))
        .collect()
}
