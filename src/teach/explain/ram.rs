//! Explanations of the console commands' service errors (RAM, IMS, DataWorks), by error code.
//! `RamError` is a table of constants rather than an enum, so a test checks that every code of
//! `RamError::ALL` has its own explanation here.

use crate::engine::{Code, RamError};
use crate::syntax::Param;
use crate::world::credentials::{KeyStatus, SYSTEM_POLICIES};
use crate::world::{PrincipalId, Uid};

use super::super::sight::NotShown;
use super::odps::plan_for_param;
use super::{Context, Parts};

const RULE_NAMES: &str = "RAM user names are 1 to 64 letters, digits, '.', '_' or '-'; display names 1 to 128 characters; comments at most 128 (seed 002, step 1).";
const RULE_KEYS: &str = "A RAM user has at most two AccessKeys, disabled ones included; a key's secret is shown only when it is created (seed 002, step 2).";
const RULE_DELETE: &str = "The RAM API deletes only a bare user: in no group, no AccessKey, no console log-on, no MFA device, no attached policy (RAM DeleteUser; seed 004's order puts the project side first).";
const RULE_POLICIES: &str = "Policies are system policies (Alibaba Cloud's) or custom ones (the account's), attached to a user for the account or for one resource group (seed 002, step 3).";
const RULE_CALLER: &str = "A RAM user may make a call when a policy it holds (its own or a group's) allows the call's action, such as ram:CreateUser, and none denies it: AdministratorAccess and AliyunRAMFullAccess allow everything in RAM, AliyunRAMReadOnlyAccess the Get and List calls, custom policies what their documents say. It may manage its own AccessKeys and MFA device when the account allows it; DataWorks needs AliyunDataWorksFullAccess (seed 000; seed 002).";
const RULE_OPENAPI: &str =
    "Console commands are signed with the session's AccessKey, checked for every call (seed 000).";
const RULE_DATAWORKS: &str =
    "DataWorks workspaces and their members (permission matrix rows 1 and 8; seed 000).";

fn user(ctx: &Context<'_>) -> String {
    ctx.param(Param::UserName).unwrap_or("<user>").to_string()
}

/// The user's keys, oldest first, when the acting identity may list them.
fn keys_of(ctx: &Context<'_>) -> Vec<(String, KeyStatus)> {
    let account = crate::engine::names::account_of(ctx.world, ctx.session.actor)
        .and_then(|a| ctx.world.account(a));
    let owner = match (ctx.param(Param::UserName), ctx.session.actor) {
        (Some(name), _) => account
            .and_then(|a| a.user_named(name))
            .map(|u| Some(u.uid)),
        (None, PrincipalId::RamUser(uid)) => Some(Some(uid)),
        (None, _) => Some(None),
    };
    let sight = ctx.sight();
    let listed = match ctx.param(Param::UserName) {
        Some(name) => sight.access_keys(name),
        None => sight.own_access_keys(),
    };
    match (account, owner) {
        (Some(a), Some(owner)) if listed => a
            .keys_of(owner)
            .iter()
            .map(|k| (k.id.clone(), k.status))
            .collect(),
        _ => Vec::new(),
    }
}

pub(super) fn delete_conflict(ctx: &Context<'_>, what: &str) -> Parts {
    let name = user(ctx);
    let plan = plan_for_param(ctx);
    let member = plan
        .iter()
        .any(|l| l.starts_with("remove user") || l.contains("DeleteProjectMember"));
    let mut parts = Parts::new(
        "delete-conflict",
        format!(
            "RAM refuses to delete {name} while it still has {what}: DeleteUser takes only a bare user (it reports the first of groups, keys, console log-on, MFA device, policies that remains)."
        ),
        RULE_DELETE,
    );
    if member {
        parts = parts.why(format!(
            "{name} is also still a project member. The console's Delete button (aliyun console DeleteUser) would strip its keys and delete it anyway, and leave it behind in its projects as a p4_ residual: off-board the project side first."
        ));
    }
    parts.fix = plan;
    parts.note(format!(
        "offboard {name}; prints these statements; offboard {name} run; runs them."
    ))
}

fn explain_code(ctx: &Context<'_>, code: Code) -> Option<Parts> {
    let name = user(ctx);
    Some(match code {
        Code::EntityNotExistUser => Parts::new(
            "no-such-ram-user",
            format!("The account has no RAM user named {name}: it was never created, was renamed, or was deleted."),
            "RAM user names are unique in an account and matched case-insensitively (seed 002).",
        )
        .fix("aliyun ram ListUsers"),
        Code::EntityAlreadyExistsUser => Parts::new(
            "ram-user-exists",
            format!("The account already has a RAM user named {name}."),
            "RAM user names are unique in an account (seed 002).",
        )
        .fix(format!("aliyun ram GetUser --UserName {name}")),
        Code::UserNameInvalidChars
        | Code::UserNameLength
        | Code::NewUserNameInvalidChars
        | Code::NewUserNameLength
        | Code::DisplayNameInvalidChars
        | Code::DisplayNameLength
        | Code::CommentsLength => Parts::new(
            "bad-name",
            "A name given to RAM breaks its rules (the error code names the parameter).",
            RULE_NAMES,
        )
        .fix("aliyun ram CreateUser --UserName hanmeimei --DisplayName \"Han Meimei\""),
        Code::NoPermission => no_permission(ctx),
        Code::AccessKeyLimit => {
            let keys = keys_of(ctx);
            let mut parts = Parts::new(
                "key-limit",
                format!("{name} already has two AccessKeys, the most a RAM user may have; disabled keys count too."),
                RULE_KEYS,
            );
            let spare = keys
                .iter()
                .find(|(_, s)| *s == KeyStatus::Inactive)
                .or(keys.first());
            if let Some((id, status)) = spare {
                if *status == KeyStatus::Active {
                    parts = parts.fix(format!("aliyun ram UpdateAccessKey --UserName {name} --UserAccessKeyId {id} --Status Inactive"));
                }
                parts = parts
                    .fix(format!("aliyun ram DeleteAccessKey --UserName {name} --UserAccessKeyId {id}"))
                    .fix(format!("aliyun ram CreateAccessKey --UserName {name}"));
            }
            parts.note("Rotate: disable the old key, move everything to the new one, then delete the old.")
        }
        Code::AccessKeyNotExist => Parts::new(
            "no-such-key",
            format!("{name} has no AccessKey with that id (keys are matched to their owner)."),
            RULE_KEYS,
        )
        .fix(match ctx.param(Param::UserName) {
            Some(n) => format!("aliyun ram ListAccessKeys --UserName {n}"),
            None => "aliyun ram ListAccessKeys".to_string(),
        }),
        Code::LoginProfileExists => Parts::new(
            "login-profile-exists",
            format!("{name} already has console access."),
            "A RAM user has at most one log-on profile (seed 002, step 1: Console Access).",
        )
        .fix(format!("aliyun ram GetLoginProfile --UserName {name}")),
        Code::LoginProfileNotExist => Parts::new(
            "no-login-profile",
            format!("{name} has no console access, so there is none to read or delete."),
            "A log-on profile exists only after CreateLoginProfile (seed 002, step 1).",
        )
        .note("When off-boarding, this means there is nothing to remove here: go on with the next step."),
        Code::PasswordTooWeak => Parts::new(
            "weak-password",
            "The password does not meet the account's password policy.",
            "A new password must meet the account's password policy (aliyun ram GetPasswordPolicy; by default 8 to 32 characters with upper case, lower case and digits); SetPasswordPolicy changes it for passwords set from then on.",
        )
        .fix(format!("aliyun ram CreateLoginProfile --UserName {name} --Password 'S3cure!pw' --PasswordResetRequired true")),
        Code::PolicyNotExist => Parts::new(
            "no-such-policy",
            "No policy of that type has that name.",
            RULE_POLICIES,
        )
        .fix("aliyun ram ListPolicies")
        .note(format!(
            "System policies odpsh knows: {}.",
            SYSTEM_POLICIES.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
        )),
        Code::PolicyExists => Parts::new(
            "policy-exists",
            "A policy with that name already exists (system policy names are taken too).",
            RULE_POLICIES,
        )
        .fix("aliyun ram ListPolicies --PolicyType Custom"),
        Code::UserPolicyExists => Parts::new(
            "policy-attached",
            format!("{name} already has that policy, in that scope."),
            RULE_POLICIES,
        )
        .fix(format!("aliyun ram ListPoliciesForUser --UserName {name}")),
        Code::UserPolicyNotExist => Parts::new(
            "policy-not-attached",
            format!("{name} does not have that policy in that scope (a resource-group attachment needs its --ResourceGroupId to detach)."),
            RULE_POLICIES,
        )
        .fix(format!("aliyun ram ListPoliciesForUser --UserName {name}")),
        Code::UserPolicyLimit => Parts::new(
            "policy-limit",
            format!("{name} has as many policies of that type as a user may (20 system, 10 custom)."),
            RULE_POLICIES,
        )
        .fix(format!("aliyun ram ListPoliciesForUser --UserName {name}")),
        Code::PolicyTypeInvalid => Parts::new(
            "bad-policy-type",
            "--PolicyType takes System or Custom.",
            RULE_POLICIES,
        )
        .fix(format!("aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunDataWorksFullAccess --UserName {name}")),
        Code::PolicyNameInvalid => Parts::new(
            "bad-policy-name",
            "A policy name is 1 to 128 letters, digits and '-'.",
            RULE_POLICIES,
        )
        .fix("aliyun ram ListPolicies"),
        Code::PolicyDocumentMalformed => Parts::new(
            "bad-policy-document",
            "A policy document is JSON with a Version and a Statement list, at most 2048 characters.",
            RULE_POLICIES,
        )
        .fix("aliyun ram CreatePolicy --PolicyName ReadOnlyLogs --PolicyDocument '{\"Version\":\"1\",\"Statement\":[]}'"),
        Code::StatusInvalid => Parts::new(
            "bad-key-status",
            "--Status takes Active or Inactive.",
            RULE_KEYS,
        )
        .fix(format!(
            "aliyun ram UpdateAccessKey --UserName {name} --UserAccessKeyId {} --Status Inactive",
            ctx.param(Param::UserAccessKeyId).unwrap_or("<id>")
        )),
        Code::BooleanInvalid => Parts::new(
            "bad-boolean",
            "A true-or-false parameter was given something else.",
            "Boolean parameters take true or false (odpsh's rule for the RAM API).",
        )
        .fix("aliyun ram SetSecurityPreference --AllowUserToManageAccessKeys false"),
        Code::AccountAliasInvalid => Parts::new(
            "bad-alias",
            "An account alias is 3 to 64 lower-case letters, digits and hyphens, not starting or ending with a hyphen.",
            "The alias names the default domain <alias>.onaliyun.com that RAM users log on with (seed 002, step 4).",
        )
        .fix("aliyun ram SetAccountAlias --AccountAlias example-corp"),
        Code::DeleteConflictAccessKey => delete_conflict(ctx, "an AccessKey"),
        Code::DeleteConflictLoginProfile => delete_conflict(ctx, "console access (a log-on profile)"),
        Code::DeleteConflictPolicy => delete_conflict(ctx, "an attached policy"),
        Code::AccessKeyIdNotFound => Parts::new(
            "key-not-found",
            "The session's AccessKey does not exist any more (or never did), so every console command fails.",
            RULE_OPENAPI,
        )
        .fix("login <AccessKeyId> <AccessKeySecret>;"),
        Code::AccessKeyIdInactive => Parts::new(
            "key-disabled",
            "The session's AccessKey is disabled; every call that uses it fails until it is enabled (seed 000).",
            RULE_OPENAPI,
        )
        .fix("aliyun ram UpdateAccessKey --UserName <user> --UserAccessKeyId <id> --Status Active   -- run by the main account"),
        Code::SignatureDoesNotMatch => Parts::new(
            "wrong-secret",
            "The session's AccessKey secret is not the key's secret.",
            RULE_OPENAPI,
        )
        .fix("login <AccessKeyId> <AccessKeySecret>;"),
        Code::NotRealNameVerified => Parts::new(
            "not-real-name-verified",
            "The Alibaba Cloud account has not completed real-name verification, and DataWorks refuses such accounts.",
            "Seed 000, step 2: real-name verification comes before buying or using any product.",
        )
        .note("Complete real-name verification on the account's security page, then try again (odpsh's worlds set it in the world file: real_name_verified)."),
        Code::ProjectNotExists => Parts::new(
            "no-such-workspace",
            "No DataWorks workspace has that ProjectId.",
            RULE_DATAWORKS,
        )
        .note(format!(
            "Workspaces: {}.",
            workspace_list(ctx)
        )),
        Code::UserNotInProject => Parts::new(
            "not-workspace-member",
            "The user is not on the workspace's member list (or the caller is not in the workspace).",
            RULE_DATAWORKS,
        )
        .fix(format!(
            "aliyun dataworks-public ListProjectMembers --ProjectId {}",
            ctx.param(Param::ProjectId).unwrap_or("<id>")
        )),
        Code::UserNotInTenant => not_in_tenant(ctx),
        Code::NotWorkspaceAdmin => Parts::new(
            "not-workspace-admin",
            "Only the workspace owner or a workspace administrator manages its members.",
            RULE_DATAWORKS,
        )
        .note("Run it as the main account, or have the owner give you role_project_admin in the workspace."),
        Code::ProjectExists => Parts::new(
            "workspace-exists",
            "A workspace (and project) with that name already exists.",
            RULE_DATAWORKS,
        )
        .note(format!("Workspaces: {}. Choose another name, or use the project that exists.", workspace_list(ctx))),
        Code::RoleCodeInvalid => Parts::new(
            "bad-role-code",
            format!(
                "--RoleCode takes a DataWorks workspace system role a member can be given: {}. role_project_owner is listed too, but it is the workspace owner's alone.",
                assignable_role_codes()
            ),
            RULE_DATAWORKS,
        )
        .fix(format!(
            "aliyun dataworks-public ListProjectRoles --ProjectId {}",
            ctx.param(Param::ProjectId).unwrap_or("<id>")
        )),
        Code::WorkspaceOwner => Parts::new(
            "workspace-owner",
            "The UserId is the workspace owner's: the main account that owns the project is always a member, listed first with role_project_owner, and no member call changes it.",
            RULE_DATAWORKS,
        )
        .fix(format!(
            "aliyun dataworks-public ListProjectMembers --ProjectId {}",
            ctx.param(Param::ProjectId).unwrap_or("<id>")
        ))
        .note("Name a RAM user (or another account) of the workspace: its UserId is its ProjectMemberId in ListProjectMembers."),
        Code::PageParameterInvalid => Parts::new(
            "bad-page",
            "--PageNumber is a whole number from 1, --PageSize one from 1 to 100.",
            RULE_DATAWORKS,
        )
        .fix(format!(
            "aliyun dataworks-public ListProjectMembers --ProjectId {} --PageNumber 1 --PageSize 100",
            ctx.param(Param::ProjectId).unwrap_or("<id>")
        )),
        Code::TicketProjectNotFound => Parts::new(
            "ticket-no-such-project",
            "The support ticket names a project this Alibaba Cloud account does not have.",
            "Python UDFs are enabled per project by a support ticket (permission matrix row 19); odpsh's aliyun console EnablePythonUDF stands for the ticket.",
        )
        .note(format!("Projects: {}.", project_list(ctx))),
        Code::ProjectNameInvalid => Parts::new(
            "bad-workspace-name",
            "A workspace name starts with a letter and holds 3 to 28 letters, digits and underscores.",
            RULE_DATAWORKS,
        )
        .fix("aliyun dataworks-public CreateProject --ProjectName team_a"),
        _ => return super::ram_iam::explain_code(ctx, code),
    })
}

/// The projects the acting identity may use, and a sentence when there are others.
fn project_list(ctx: &Context<'_>) -> String {
    let sight = ctx.sight();
    let (shown, hidden): (Vec<_>, Vec<_>) =
        ctx.world.projects.values().partition(|p| sight.uses(p));
    let names: Vec<&str> = shown.iter().map(|p| p.name.as_str()).collect();
    with_left_out(names.join(", "), !hidden.is_empty())
}

/// The workspaces whose members the acting identity may list, and a sentence when there are
/// others.
fn workspace_list(ctx: &Context<'_>) -> String {
    let sight = ctx.sight();
    let (shown, hidden): (Vec<_>, Vec<_>) = ctx
        .world
        .projects
        .values()
        .filter(|p| p.workspace.is_some())
        .partition(|p| sight.workspace_members(p));
    let list: Vec<String> = shown
        .iter()
        .filter_map(|p| {
            p.workspace
                .as_ref()
                .map(|w| format!("{} ({})", w.id, p.name))
        })
        .collect();
    with_left_out(list.join(", "), !hidden.is_empty())
}

/// A list, followed by the sentence that says projects were left out of it.
fn with_left_out(list: String, left_out: bool) -> String {
    if left_out {
        format!("{list} {}", NotShown::UnusableProjects)
    } else {
        list
    }
}

fn not_in_tenant(ctx: &Context<'_>) -> Parts {
    let mut parts = Parts::new(
        "user-not-in-account",
        "The account of the workspace knows no user with that UserId.",
        RULE_DATAWORKS,
    );
    let sight = ctx.sight();
    let residual = ctx
        .param(Param::UserId)
        .and_then(|t| t.parse::<u64>().ok())
        .map(|n| PrincipalId::RamUser(Uid(n)))
        .filter(|id| {
            ctx.world
                .projects
                .values()
                .any(|p| p.is_member(*id) && sight.members(p))
        });
    if let Some(id) = residual {
        parts = parts.why(format!(
            "{id} is a residual member: its RAM user was deleted while it was still a member, so DataWorks cannot remove it either."
        ));
    }
    parts.fix("aliyun ram ListUsers")
}

fn no_permission(ctx: &Context<'_>) -> Parts {
    let actor = ctx.actor();
    let mut parts = Parts::new(
        "no-permission",
        format!("{actor} is not allowed to make this call: a RAM user needs a RAM policy for it."),
        RULE_CALLER,
    );
    if super::ram_iam::denied_by_policy(ctx) {
        parts = parts.why(format!(
            "A policy {actor} holds (its own or a group's) explicitly denies this call, and an explicit Deny wins over every Allow: look at its policies' documents (aliyun ram GetPolicy)."
        ));
    }
    parts
    .note("Run it as the main account (start odpsh without -u/-p), or have the main account attach the policy the work needs. AdministratorAccess and AliyunRAMFullAccess are high-risk: attach them only when nothing narrower will do.")
}

/// Explains one console service error.
pub fn explain(ctx: &Context<'_>, error: RamError) -> Parts {
    if let Some(parts) = super::ram_roles::explain_error(ctx, error) {
        return parts;
    }
    explain_code(ctx, error.code()).unwrap_or_else(|| {
        Parts::new(
            "unexplained",
            format!("The service answered {}: {}", error.code(), error.message()),
            "The service's own rules.",
        )
    })
}

/// The codes of the workspace roles a member can be given, as a sentence lists them.
fn assignable_role_codes() -> String {
    let codes: Vec<&str> = crate::world::workspace_roles::DATAWORKS_ROLES
        .iter()
        .filter(|r| r.assignable)
        .map(|r| r.code)
        .collect();
    match codes.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => codes.join(""),
    }
}
