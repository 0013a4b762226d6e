//! Explanations of RAM's role errors and STS's AssumeRole and temporary-credential errors.

use crate::engine::{Code, RamError};
use crate::syntax::Param;

use super::{Context, Parts};

const RULE_ROLES: &str = "A RAM role has no keys of its own: its trust policy (AssumeRolePolicyDocument) says who may assume it, its attached policies what it may do; its name is 1 to 64 letters, digits, '.' and '-', and it is deleted only once no policy is attached (RAM roles).";
const RULE_ASSUME: &str = "AssumeRole needs both sides: the caller's own policies must allow sts:AssumeRole on the role's ARN (AliyunSTSAssumeRoleAccess allows it on every role), and the role's trust policy must name the caller (acs:ram::<account>:root for every RAM identity of the account, :user/<name> for one user). A main account cannot assume roles (STS AssumeRole).";
const RULE_TOKENS: &str = "An STS credential (AccessKeyId STS.…, AccessKeySecret, SecurityToken) signs only with its own token and only until its Expiration, on the world's clock; DurationSeconds is 900 up to the role's MaxSessionDuration (3600 to 43200, 3600 by default), an hour when not given.";
const EXAMPLE_TRUST: &str = r#"'{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"RAM":["acs:ram::<account>:user/<user>"]}}],"Version":"1"}'"#;

fn role(ctx: &Context<'_>) -> String {
    ctx.param(Param::RoleName)
        .or_else(|| ctx.param(Param::RoleArn).and_then(|a| a.rsplit('/').next()))
        .unwrap_or("<role>")
        .to_string()
}

/// AssumeRole's two NoPermission answers, which share their code with every other refusal.
pub(super) fn explain_error(ctx: &Context<'_>, error: RamError) -> Option<Parts> {
    let r = role(ctx);
    if error == RamError::ROOT_MAY_NOT_ASSUME {
        return Some(
            Parts::new(
                "root-may-not-assume",
                "A main account's AccessKey cannot assume a RAM role: STS hands role credentials only to RAM users (and to sessions of other roles).",
                RULE_ASSUME,
            )
            .fix("odpsh -u <RAM user AccessKeyId> -p <secret> -e 'aliyun sts AssumeRole --RoleArn … --RoleSessionName …'")
            .note("A scheduled job runs as a RAM user of its own that may assume the role, never with the main account's key."),
        );
    }
    if error == RamError::ASSUME_ROLE_NO_PERMISSION {
        return Some(
            Parts::new(
                "assume-role-refused",
                format!("{} may not assume {r}: either its own policies do not allow sts:AssumeRole on the role, or the role's trust policy does not name it.", ctx.actor()),
                RULE_ASSUME,
            )
            .fix("aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunSTSAssumeRoleAccess --UserName <user>   -- run by the main account")
            .fix(format!("aliyun ram UpdateRole --RoleName {r} --NewAssumeRolePolicyDocument {EXAMPLE_TRUST}"))
            .note(format!("aliyun ram GetRole --RoleName {r} shows the trust policy.")),
        );
    }
    None
}

/// The explanation of `code`, when it is a role's or STS's.
pub(super) fn explain_code(ctx: &Context<'_>, code: Code) -> Option<Parts> {
    let r = role(ctx);
    Some(match code {
        Code::RoleNameInvalidChars | Code::RoleNameLength => Parts::new(
            "bad-role-name",
            "A RAM role name is 1 to 64 letters, digits, '.' and '-' (no '_').",
            RULE_ROLES,
        )
        .fix(format!("aliyun ram CreateRole --RoleName etl-nightly --AssumeRolePolicyDocument {EXAMPLE_TRUST}")),
        Code::EntityNotExistRole => Parts::new(
            "no-such-role",
            format!("The account has no RAM role named {r} (a role of another account is named by that account's id in its ARN)."),
            RULE_ROLES,
        )
        .fix("aliyun ram ListRoles"),
        Code::EntityAlreadyExistsRole => Parts::new(
            "role-exists",
            format!("The account already has a RAM role named {r} (names are case-insensitive)."),
            RULE_ROLES,
        )
        .fix(format!("aliyun ram GetRole --RoleName {r}")),
        Code::RoleLimit => Parts::new(
            "role-limit",
            "The account already has 1,000 RAM roles, the most it may have.",
            RULE_ROLES,
        )
        .fix("aliyun ram ListRoles"),
        Code::DeleteConflictRolePolicy => Parts::new(
            "role-delete-conflict",
            format!("RAM refuses to delete {r} while a policy is attached to it."),
            RULE_ROLES,
        )
        .fix(format!("aliyun ram ListPoliciesForRole --RoleName {r}"))
        .fix(format!("offboard `RAM$<account>:role/{r}`;   -- the whole order: its project roles, grants and membership first, then its policies, then the role"))
        .note("A role deleted while a project still lists it stays there as v4_<RoleId>, which no statement can remove."),
        Code::RolePolicyExists => Parts::new(
            "role-policy-exists",
            format!("The policy is already attached to {r}."),
            RULE_ROLES,
        )
        .fix(format!("aliyun ram ListPoliciesForRole --RoleName {r}")),
        Code::RolePolicyNotExist => Parts::new(
            "role-policy-not-attached",
            format!("The policy is not attached to {r}, so there is nothing to detach."),
            RULE_ROLES,
        )
        .fix(format!("aliyun ram ListPoliciesForRole --RoleName {r}")),
        Code::RolePolicyLimit => Parts::new(
            "role-policy-limit",
            format!("{r} already holds the most policies of this type (20 system, 5 custom)."),
            RULE_ROLES,
        )
        .fix(format!("aliyun ram ListPoliciesForRole --RoleName {r}")),
        Code::TrustPolicyInvalid => Parts::new(
            "bad-trust-policy",
            "The trust policy must be JSON with a Statement list whose statements have Effect, Action sts:AssumeRole and a Principal: RAM identities (acs:ram::<account>:root, :user/<name>, :role/<name>) or a Service.",
            RULE_ROLES,
        )
        .fix(format!("aliyun ram CreateRole --RoleName {r} --AssumeRolePolicyDocument {EXAMPLE_TRUST}")),
        Code::MaxSessionDurationInvalid => Parts::new(
            "bad-max-session",
            "MaxSessionDuration is a whole number of seconds from 3600 to 43200.",
            RULE_ROLES,
        )
        .fix(format!("aliyun ram UpdateRole --RoleName {r} --NewMaxSessionDuration 3600")),
        Code::DescriptionLength => Parts::new(
            "bad-description",
            "A role's description is at most 1,024 characters.",
            RULE_ROLES,
        )
        .fix(format!("aliyun ram UpdateRole --RoleName {r} --NewDescription 'nightly ETL'")),
        Code::RoleArnInvalid => Parts::new(
            "bad-role-arn",
            "A role's ARN is acs:ram::<account id>:role/<role name>, as CreateRole and GetRole answer it.",
            RULE_ASSUME,
        )
        .fix(format!("aliyun ram GetRole --RoleName {r}")),
        Code::RoleSessionNameInvalid => Parts::new(
            "bad-session-name",
            "RoleSessionName is 2 to 64 letters, digits, '.', '@', '-' and '_': it tells the audit who used the credential.",
            RULE_ASSUME,
        )
        .fix(format!("aliyun sts AssumeRole --RoleArn acs:ram::<account>:role/{r} --RoleSessionName nightly-etl")),
        Code::DurationSecondsInvalid => Parts::new(
            "bad-duration",
            "DurationSeconds is at least 900 and at most the role's MaxSessionDuration (an hour for a session that assumes a role).",
            RULE_TOKENS,
        )
        .fix(format!("aliyun sts AssumeRole --RoleArn acs:ram::<account>:role/{r} --RoleSessionName nightly --DurationSeconds 3600")),
        Code::SecurityTokenMissing => Parts::new(
            "sts-token-missing",
            "The AccessKeyId is an STS credential's: it signs only with the SecurityToken AssumeRole returned with it.",
            RULE_TOKENS,
        )
        .note("SDKs take it as security_token; the aliyun CLI as --sts-token; odpsh as -u/-p with --sts-token, or login <id> <secret> <token>;."),
        Code::SecurityTokenExpired => Parts::new(
            "sts-token-expired",
            "The STS credential has passed its Expiration: ask for a new one with AssumeRole.",
            RULE_TOKENS,
        )
        .fix(format!("aliyun sts AssumeRole --RoleArn acs:ram::<account>:role/{r} --RoleSessionName nightly")),
        Code::SecurityTokenMismatch => Parts::new(
            "sts-token-mismatch",
            "The security token is not the one issued with this AccessKeyId (or the AccessKey is a permanent one, which takes no token).",
            RULE_TOKENS,
        )
        .note("Use the AccessKeyId, secret and SecurityToken of one AssumeRole answer together."),
        _ => return None,
    })
}
