//! Explanations of RAM's group, MFA, log-on, listing and policy-document errors, by error code
//! (the rest of RAM's are `ram.rs`, which hands these codes here).

use crate::engine::Code;
use crate::syntax::Param;

use super::ram::delete_conflict;
use super::{Context, Parts};

const RULE_GROUPS: &str = "A RAM user group holds policies for its members: a member holds its own policies and its groups'. An account has at most 50 groups, a user is in at most 5, and a group is deleted only when it has no member and no policy (RAM groups).";
const RULE_MFA: &str = "A virtual MFA device is created for the account, bound to one user (a user has at most one) with two consecutive codes, and unbound before it is deleted; a user with a device cannot be deleted (RAM MFA).";
const RULE_LOGON: &str = "Console log-on follows the account's password policy and security preference (RAM password policy; seed 002, step 1).";
const RULE_LISTING: &str = "Listings come in pages of MaxItems (1 to 1000, 100 by default); while IsTruncated is true, call again with the Marker the page returned.";
const RULE_DOCUMENT: &str = "A policy document is JSON: \"Version\": \"1\" and a \"Statement\" list, each statement with \"Effect\" Allow or Deny, \"Action\" (or NotAction) like ram:CreateUser with wildcards, \"Resource\" (or NotResource) * or acs:…, and an optional \"Condition\"; at most 2048 characters. An explicit Deny wins over every Allow.";
const RULE_VERSIONS: &str = "A custom policy has at most five versions; one, the default, is in force. It is deleted only when no user or group holds it and no other version remains.";
const EXAMPLE_DOCUMENT: &str = r#"'{"Version":"1","Statement":[{"Effect":"Allow","Action":["ram:Get*","ram:List*"],"Resource":"*"}]}'"#;

fn group(ctx: &Context<'_>) -> String {
    ctx.param(Param::GroupName).unwrap_or("<group>").to_string()
}

fn user(ctx: &Context<'_>) -> String {
    ctx.param(Param::UserName).unwrap_or("<user>").to_string()
}

fn policy(ctx: &Context<'_>) -> String {
    ctx.param(Param::PolicyName)
        .unwrap_or("<policy>")
        .to_string()
}

fn document(ctx: &Context<'_>, why: &str) -> Parts {
    Parts::new("bad-policy-document", why.to_string(), RULE_DOCUMENT).fix(format!(
        "aliyun ram CreatePolicy --PolicyName {} --PolicyDocument {EXAMPLE_DOCUMENT}",
        ctx.param(Param::PolicyName).unwrap_or("ReadRam")
    ))
}

/// Whether the failed console call was refused by an explicit Deny in the caller's policies.
pub(super) fn denied_by_policy(ctx: &Context<'_>) -> bool {
    let Some(crate::syntax::Statement::Console(command)) = ctx.statement() else {
        return false;
    };
    let actor = ctx.session.actor;
    crate::engine::names::account_of(ctx.world, actor).is_some_and(|account| {
        crate::engine::ram_permission::denied(
            ctx.world,
            account,
            actor,
            command,
            ctx.session.origin(),
        )
    })
}

/// The explanation of `code`, when it is one of these.
pub(super) fn explain_code(ctx: &Context<'_>, code: Code) -> Option<Parts> {
    let (g, u, p) = (group(ctx), user(ctx), policy(ctx));
    Some(match code {
        Code::DeleteConflictUserGroup => delete_conflict(ctx, "a group membership"),
        Code::DeleteConflictUserMfa => delete_conflict(ctx, "an MFA device"),
        Code::EmailFormat | Code::MobilePhoneFormat => Parts::new(
            "bad-contact",
            "An e-mail address is name@domain; a mobile phone is <country code>-<number>, such as 86-18600008888.",
            "RAM users' contact fields (China site).",
        )
        .fix(format!("aliyun ram UpdateUser --UserName {u} --NewEmail alice@example.com --NewMobilePhone 86-18600008888")),
        Code::MaxItemsInvalid | Code::MarkerInvalid => Parts::new(
            "bad-page",
            "--MaxItems is a whole number from 1 to 1000, and --Marker is what the previous page answered as Marker.",
            RULE_LISTING,
        )
        .fix("aliyun ram ListUsers --MaxItems 100"),
        Code::GroupNameInvalidChars
        | Code::GroupNameLength
        | Code::NewGroupNameInvalidChars
        | Code::NewGroupNameLength => Parts::new(
            "bad-group-name",
            "A group name is 1 to 64 letters, digits, '.', '_' or '-'.",
            RULE_GROUPS,
        )
        .fix("aliyun ram CreateGroup --GroupName data-engineers"),
        Code::EntityNotExistGroup => Parts::new(
            "no-such-group",
            format!("The account has no group named {g}."),
            RULE_GROUPS,
        )
        .fix("aliyun ram ListGroups"),
        Code::EntityAlreadyExistsGroup => Parts::new(
            "group-exists",
            format!("The account already has a group named {g}."),
            RULE_GROUPS,
        )
        .fix(format!("aliyun ram GetGroup --GroupName {g}")),
        Code::GroupLimit => Parts::new(
            "group-limit",
            "The account already has 50 groups, the most it may have.",
            RULE_GROUPS,
        )
        .fix("aliyun ram ListGroups"),
        Code::UserGroupExists => Parts::new(
            "already-in-group",
            format!("{u} is already in {g}."),
            RULE_GROUPS,
        )
        .fix(format!("aliyun ram ListGroupsForUser --UserName {u}")),
        Code::UserGroupNotExist => Parts::new(
            "not-in-group",
            format!("{u} is not in {g}, so there is nothing to remove."),
            RULE_GROUPS,
        )
        .fix(format!("aliyun ram ListGroupsForUser --UserName {u}"))
        .note("When off-boarding, this means there is nothing to remove here: go on with the next step."),
        Code::UserGroupLimit => Parts::new(
            "user-group-limit",
            format!("{u} is already in 5 groups, the most a user may be in."),
            RULE_GROUPS,
        )
        .fix(format!("aliyun ram ListGroupsForUser --UserName {u}")),
        Code::GroupPolicyExists => Parts::new(
            "group-policy-attached",
            format!("{g} already has that policy."),
            RULE_GROUPS,
        )
        .fix(format!("aliyun ram ListPoliciesForGroup --GroupName {g}")),
        Code::GroupPolicyNotExist => Parts::new(
            "group-policy-not-attached",
            format!("{g} does not have that policy."),
            RULE_GROUPS,
        )
        .fix(format!("aliyun ram ListPoliciesForGroup --GroupName {g}")),
        Code::GroupPolicyLimit => Parts::new(
            "group-policy-limit",
            format!("{g} has as many policies of that type as a group may (20 system, 10 custom)."),
            RULE_GROUPS,
        )
        .fix(format!("aliyun ram ListPoliciesForGroup --GroupName {g}")),
        Code::DeleteConflictGroupUser => Parts::new(
            "group-has-members",
            format!("{g} still has members; RAM deletes only an empty group."),
            RULE_GROUPS,
        )
        .fix(format!("aliyun ram ListUsersForGroup --GroupName {g}"))
        .note(format!("Remove each member (aliyun ram RemoveUserFromGroup --UserName <user> --GroupName {g}), detach the group's policies, then delete it.")),
        Code::DeleteConflictGroupPolicy => Parts::new(
            "group-has-policies",
            format!("{g} still has policies attached; RAM deletes only a group without them."),
            RULE_GROUPS,
        )
        .fix(format!("aliyun ram ListPoliciesForGroup --GroupName {g}"))
        .note(format!("Detach each (aliyun ram DetachPolicyFromGroup --PolicyType <type> --PolicyName <policy> --GroupName {g}), then delete the group.")),
        Code::MfaDeviceNameInvalidChars | Code::MfaDeviceNameLength => Parts::new(
            "bad-mfa-name",
            "A virtual MFA device name is 1 to 64 letters, digits, '.', '_' or '-'.",
            RULE_MFA,
        )
        .fix("aliyun ram CreateVirtualMFADevice --VirtualMFADeviceName alice-phone"),
        Code::MfaDeviceExists => Parts::new(
            "mfa-device-exists",
            "The account already has a virtual MFA device of that name.",
            RULE_MFA,
        )
        .fix("aliyun ram ListVirtualMFADevices"),
        Code::MfaDeviceNotExist => Parts::new(
            "no-such-mfa-device",
            "The account has no virtual MFA device with that serial number (acs:ram::<account id>:mfa/<name>).",
            RULE_MFA,
        )
        .fix("aliyun ram ListVirtualMFADevices"),
        Code::MfaDeviceLimit => Parts::new(
            "mfa-device-limit",
            "The account has as many virtual MFA devices as it may (1000).",
            RULE_MFA,
        )
        .fix("aliyun ram ListVirtualMFADevices"),
        Code::UserMfaExists => Parts::new(
            "user-has-mfa",
            format!("{u} already has an MFA device; a user has at most one."),
            RULE_MFA,
        )
        .fix(format!("aliyun ram GetUserMFAInfo --UserName {u}")),
        Code::UserMfaNotExist => Parts::new(
            "user-has-no-mfa",
            format!("{u} has no MFA device bound."),
            RULE_MFA,
        )
        .fix(format!("aliyun ram GetUserMFAInfo --UserName {u}"))
        .note("When off-boarding, this means there is nothing to unbind here: go on with the next step."),
        Code::MfaDeviceBound => Parts::new(
            "mfa-device-bound",
            "That virtual MFA device is already bound to a user; each device serves one user.",
            RULE_MFA,
        )
        .fix("aliyun ram ListVirtualMFADevices"),
        Code::DeleteConflictMfaUser => Parts::new(
            "mfa-device-in-use",
            "That virtual MFA device is still bound to a user: unbind it first.",
            RULE_MFA,
        )
        .fix("aliyun ram ListVirtualMFADevices")
        .note("aliyun ram UnbindMFADevice --UserName <user> unbinds it; then delete it."),
        Code::AuthenticationCodeInvalid => Parts::new(
            "bad-mfa-codes",
            "Binding a device takes two consecutive codes the authenticator shows: six digits each, and different.",
            RULE_MFA,
        )
        .fix(format!(
            "aliyun ram BindMFADevice --SerialNumber {} --UserName {u} --AuthenticationCode1 123456 --AuthenticationCode2 654321",
            ctx.param(Param::SerialNumber).unwrap_or("<serial>")
        )),
        Code::PasswordPolicyInvalid => Parts::new(
            "bad-password-policy",
            "A password policy value is out of its range.",
            RULE_LOGON,
        )
        .fix("aliyun ram GetPasswordPolicy")
        .note("MinimumPasswordLength 8 to 32, MaxPasswordAge 0 to 1095 days, PasswordReusePrevention 0 to 24, MaxLoginAttemps 0 to 32; the Require… switches and HardExpiry true or false."),
        Code::LoginSessionDurationInvalid | Code::LoginNetworkMasksInvalid => Parts::new(
            "bad-security-preference",
            "LoginSessionDuration is 6 to 24 hours; LoginNetworkMasks at most 25 CIDR blocks such as 10.0.0.0/8, separated by ';'.",
            RULE_LOGON,
        )
        .fix("aliyun ram GetSecurityPreference"),
        Code::PolicyDocumentLength => document(ctx, "The policy document is longer than 2048 characters."),
        Code::DocumentVersion => document(ctx, "The policy document's \"Version\" must be \"1\"."),
        Code::DocumentStatement => document(ctx, "The policy document needs a \"Statement\" list of statements."),
        Code::DocumentEffect => document(ctx, "A statement's \"Effect\" is neither \"Allow\" nor \"Deny\" (spelt exactly so)."),
        Code::DocumentAction => document(ctx, "A statement's \"Action\" is not * or <service>:<action>."),
        Code::DocumentResource => document(ctx, "A statement's \"Resource\" is not * or an acs: resource name."),
        Code::DocumentCondition => document(ctx, "A statement's \"Condition\" names an unknown operator or a value of the wrong kind."),
        Code::DocumentElement => document(ctx, "A statement holds an element RAM does not know, or lacks Effect, Action or Resource."),
        Code::DeleteConflictPolicyUser | Code::DeleteConflictPolicyGroup => Parts::new(
            "policy-in-use",
            format!("{p} is still attached, so RAM will not delete it."),
            RULE_VERSIONS,
        )
        .fix(format!("aliyun ram GetPolicy --PolicyType Custom --PolicyName {p}"))
        .note("Detach it from every user (DetachPolicyFromUser) and group (DetachPolicyFromGroup) that holds it, then delete it."),
        Code::DeleteConflictPolicyVersion => Parts::new(
            "policy-has-versions",
            format!("{p} still has versions besides its default."),
            RULE_VERSIONS,
        )
        .fix(format!("aliyun ram ListPolicyVersions --PolicyType Custom --PolicyName {p}"))
        .note(format!("Delete each other version (aliyun ram DeletePolicyVersion --PolicyName {p} --VersionId <v>), then the policy.")),
        Code::PolicyVersionLimit => Parts::new(
            "policy-version-limit",
            format!("{p} already has five versions."),
            RULE_VERSIONS,
        )
        .fix(format!("aliyun ram ListPolicyVersions --PolicyType Custom --PolicyName {p}"))
        .note("Delete a version that is not the default, or create the new one with --RotateStrategy DeleteOldestNonDefaultVersionWhenLimitExceeded."),
        Code::PolicyVersionNotExist => Parts::new(
            "no-such-policy-version",
            format!("{p} has no version of that id (versions are v1, v2, …)."),
            RULE_VERSIONS,
        )
        .fix(format!("aliyun ram ListPolicyVersions --PolicyType Custom --PolicyName {p}")),
        Code::DefaultVersionConflict => Parts::new(
            "default-version",
            "The version is the policy's default, the one in force: make another version the default first.",
            RULE_VERSIONS,
        )
        .fix(format!("aliyun ram ListPolicyVersions --PolicyType Custom --PolicyName {p}")),
        Code::RotateStrategyInvalid => Parts::new(
            "bad-rotate-strategy",
            "--RotateStrategy takes None or DeleteOldestNonDefaultVersionWhenLimitExceeded.",
            RULE_VERSIONS,
        )
        .fix(format!("aliyun ram ListPolicyVersions --PolicyType Custom --PolicyName {p}")),
        _ => return super::ram_roles::explain_code(ctx, code),
    })
}
