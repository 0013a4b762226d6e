//! Every text `odpsh import` prints: what a line of a capture was expected to be, and the
//! report's lines.

pub const EXPECTED_PROMPT: &str =
    "a prompt (odps@ <project>><statement> or $ aliyun …), a comment (-- or #) or a blank line";
pub const EXPECTED_SOME_STATEMENT: &str =
    "a capture: the output of odpsh capture-script's statements (this file has none)";
pub const EXPECTED_STATEMENT: &str = "one of the statements odpsh import reads: whoami; list users; list roles; describe role <r>; show grants for <principal>; show acl for <object> [on type <t>]; show SecurityConfiguration; get policy [on role <r>]; show tables; desc <table>; show label grants on table <t>; show label grants for user <principal>; list trustedprojects; list accountproviders; setproject; use <project>; aliyun ram ListUsers|ListAccessKeys|ListPoliciesForUser|ListGroupsForUser|GetLoginProfile [--UserName <u>]; aliyun ram ListVirtualMFADevices; aliyun ram ListPolicies --PolicyType Custom; aliyun ram ListPolicyVersions --PolicyType Custom --PolicyName <p>; aliyun ram ListRoles|GetRole|ListPoliciesForRole [--RoleName <r>]; aliyun ram ListGroups|ListPoliciesForGroup [--GroupName <g>]; aliyun sts GetCallerIdentity";
pub const EXPECTED_PROJECT_PROMPT: &str = "a project for this statement: a prompt that names it (odps@ <project>>), or use <project>; or whoami before it";
pub const EXPECTED_WHOAMI: &str = "a whoami line (Name:, Source IP:, End_Point: or Project:)";
pub const EXPECTED_PRINCIPAL: &str = "a principal (ALIYUN$<account>, RAM$<account>:<user>, RAM$<account>:role/<role>, p4_<UserId> or v4_<RoleId>)";
pub const EXPECTED_ROLE: &str = "a role name (letters, digits and _)";
pub const EXPECTED_PROJECT_NAME: &str = "a project name (letters, digits and _)";
pub const EXPECTED_AUTHORIZATION_TYPE: &str =
    "Authorization Type: ACL, Policy, ObjectCreator or Implicit";
pub const EXPECTED_SECTION: &str =
    "a section ([roles], [users], [<owner>] or Authorization Type: …) after a blank line";
pub const EXPECTED_GRANTEE_HEADER: &str = "a grantee header ([role/<role>] or [user/<principal>])";
pub const EXPECTED_OWNER_LINE: &str = "projects/<project>: Project Owner";
pub const EXPECTED_GRANT_LINE: &str =
    "a grant line (<marker><TAB><resource>: <action> | <action>[<TAB>Expires:<time>])";
pub const EXPECTED_RESOURCE: &str = "a resource of this project (projects/<p>, …/tables/<t>[/<column>], …/registration/functions/<f>, …/resources/<r>, …/instances/<i> or …/packages/<p>)";
pub const EXPECTED_ACL_SUBJECT: &str = "a grantee (user/<principal>, role/<role>, project_owner/ or object_creator/ <principal>) with its resource";
pub const EXPECTED_SECURITY_LINE: &str =
    "a security setting (<Flag>=true|false or ProjectProtection with Exception:<policy>)";
pub const EXPECTED_TABLE_LINE: &str = "a table as show tables prints it (<owner>:<table>)";
pub const EXPECTED_DESC_LINE: &str = "a line of desc's box (Owner:, TableComment:, TableLabel:, CreateTime:, …, or a column: <name> | <type> | <label> | <comment>)";
pub const EXPECTED_LABEL_GRANT_LINE: &str = "a line of show label grants (User Label: <n> or Sensitive Label Range: [<lo>, <hi>], then rows <grantee or table> | <level> | <expiry>)";
pub const EXPECTED_PROVIDERS: &str = "account providers (ALIYUN, RAM)";
pub const EXPECTED_PROPERTY: &str = "a project property (<key>=<value>)";
pub const EXPECTED_JSON: &str = "the JSON the aliyun CLI prints";
pub const EXPECTED_JSON_NONE: &str = "the JSON the aliyun CLI prints, or its error (there is nothing: the CLI prints errors to stderr, so save its output with 2>&1)";
pub const EXPECTED_BARE_JSON: &str = "a ListUsers, ListRoles or GetRole document (other listings need their command line before them: $ aliyun ram <Action> --UserName <u>, --RoleName <r> or --GroupName <g>)";
pub const EXPECTED_LIST_USERS: &str =
    "ListUsers JSON: Users.User[] with UserId, UserName and CreateDate";
pub const EXPECTED_LIST_KEYS: &str = "ListAccessKeys JSON: AccessKeys.AccessKey[] with AccessKeyId, Status (Active or Inactive) and CreateDate";
pub const EXPECTED_LIST_POLICIES: &str = "ListPoliciesForUser JSON: Policies.Policy[] with PolicyName, PolicyType (System or Custom) and AttachDate";
pub const EXPECTED_LIST_GROUPS: &str =
    "ListGroupsForUser JSON: Groups.Group[] with GroupId, GroupName and JoinDate";
pub const EXPECTED_LIST_ROLES: &str =
    "ListRoles JSON: Roles.Role[] with RoleId, RoleName and CreateDate";
pub const EXPECTED_GET_ROLE: &str =
    "GetRole JSON: Role with RoleId, RoleName, AssumeRolePolicyDocument and CreateDate";
pub const EXPECTED_LIST_ROLE_POLICIES: &str = "ListPoliciesForRole JSON: Policies.Policy[] with PolicyName, PolicyType (System or Custom) and AttachDate";
pub const EXPECTED_LIST_GROUPS_ALL: &str =
    "ListGroups JSON: Groups.Group[] with GroupId, GroupName and CreateDate";
pub const EXPECTED_LIST_GROUP_POLICIES: &str = "ListPoliciesForGroup JSON: Policies.Policy[] with PolicyName, PolicyType (System or Custom) and AttachDate";
pub const EXPECTED_LOGIN_PROFILE: &str =
    "GetLoginProfile JSON: LoginProfile with PasswordResetRequired, MFABindRequired and CreateDate";
pub const EXPECTED_MFA_DEVICES: &str = "ListVirtualMFADevices JSON: VirtualMFADevices.VirtualMFADevice[] with SerialNumber (and, for a bound device, ActivateDate and User with UserId and UserName)";
pub fn expected_policy(why: &str) -> String {
    format!("a policy document as get policy prints it ({why})")
}
pub const EXPECTED_LIST_CUSTOM_POLICIES: &str = "ListPolicies JSON: Policies.Policy[] with PolicyName, PolicyType, DefaultVersion (v<n>) and CreateDate";
pub const EXPECTED_POLICY_VERSIONS: &str = "ListPolicyVersions JSON: PolicyVersions.PolicyVersion[], at least one, with VersionId (v<n>), PolicyDocument and CreateDate";
pub const EXPECTED_CALLER_IDENTITY: &str = "GetCallerIdentity JSON with AccountId";

/// How the report names its three kinds of line.
pub const BUILT: &str = "built";
pub const NOT_INFERRED: &str = "could not infer";
pub const ASSUMED: &str = "assumed";

/// At most this many names in one report line.
const NAMES_SHOWN: usize = 5;

/// `a, b, c and 7 more`.
pub fn some_names(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(NAMES_SHOWN).map(String::as_str).collect();
    let more = names.len().saturating_sub(NAMES_SHOWN);
    if more == 0 {
        shown.join(", ")
    } else {
        format!("{} and {more} more", shown.join(", "))
    }
}

pub fn account(login: &str, id: u64) -> String {
    format!("account {login} (id {id})")
}
pub fn account_id_assumed(id: u64) -> String {
    format!("the account id is {id}: no capture shows it (aliyun sts GetCallerIdentity does)")
}
pub fn account_id_from_role_members(id: u64) -> String {
    format!(
        "the account id is {id}, the one the RAM roles among the members name (aliyun sts GetCallerIdentity shows it)"
    )
}
pub fn account_by_id(id: u64) -> String {
    format!(
        "account {id} has the log-on name {id} (captures show only its id, in a RAM role's name)"
    )
}
pub fn login_assumed(login: &str) -> String {
    format!("the account's log-on name is {login}: no capture shows whoami or a principal name")
}
pub const REAL_NAME_ASSUMED: &str = "the account is real-name verified";
pub fn other_account(login: &str, id: u64) -> String {
    format!("account {login} has the id {id} (captures show only its name)")
}
pub fn users(n: usize, keys: usize, policies: usize, logins: usize) -> String {
    format!(
        "{n} RAM users, {keys} AccessKeys (imported: no secrets, they sign nothing until a new key is created), {policies} policy attachments, {logins} console log-ons"
    )
}
pub fn logins_not_captured(names: &[String]) -> String {
    format!(
        "console log-ons of RAM users without a GetLoginProfile capture (built without one): {}",
        some_names(names)
    )
}
pub fn mfa_devices(n: usize, bound: usize) -> String {
    format!(
        "{n} virtual MFA devices, {bound} bound to users (a listing shows no seed: none can be set up in an authenticator)"
    )
}
pub const MFA_DEVICES_NOT_CAPTURED: &str =
    "virtual MFA devices (ListVirtualMFADevices is not captured): built without any";
pub fn groups(n: usize, members: usize, policies: usize) -> String {
    format!("{n} RAM groups, {members} memberships, {policies} policy attachments")
}
pub fn groups_truncated() -> String {
    "RAM groups after ListGroups' first page (IsTruncated was true: capture with --MaxItems 1000 and each Marker)".into()
}
pub fn listings_without_group(names: &[String]) -> String {
    format!(
        "ListPoliciesForGroup of groups neither ListGroups nor a user's ListGroupsForUser shows (their GroupIds): {}",
        some_names(names)
    )
}
pub fn group_policies_not_captured(names: &[String]) -> String {
    format!(
        "the policies of RAM groups without a ListPoliciesForGroup capture: {}",
        some_names(names)
    )
}
pub fn roles(n: usize, policies: usize) -> String {
    format!("{n} RAM roles, {policies} policy attachments")
}
pub fn trust_policies_assumed(names: &[String]) -> String {
    format!(
        "RAM roles without a GetRole capture trust the account's root (their trust policy is not in a listing): {}",
        some_names(names)
    )
}
pub fn role_ids_assumed(names: &[String]) -> String {
    format!(
        "RAM roles not in a ListRoles capture get new RoleIds, trust the account's root and have no policies: {}",
        some_names(names)
    )
}
pub fn roles_truncated() -> String {
    "RAM roles after ListRoles' first page (IsTruncated was true: capture with --MaxItems 1000 and each Marker)".into()
}
pub fn listings_without_role(names: &[String]) -> String {
    format!(
        "ListPoliciesForRole of roles neither ListRoles nor GetRole shows (their RoleIds and trust policies): {}",
        some_names(names)
    )
}
pub fn uids_assumed(names: &[String]) -> String {
    format!(
        "RAM users not in a ListUsers capture get new UserIds: {}",
        some_names(names)
    )
}
pub fn users_truncated() -> String {
    "RAM users after ListUsers' first page (IsTruncated was true: capture with --MaxItems 1000 and each Marker)".into()
}
pub fn listings_without_user(names: &[String]) -> String {
    format!(
        "per-user listings of users ListUsers does not show (their UserIds): {}",
        some_names(names)
    )
}
pub fn custom_policy_documents(names: &[String]) -> String {
    format!(
        "the documents of custom policies no ListPolicyVersions capture shows (each gets an allow-nothing v1): {}",
        some_names(names)
    )
}
pub fn custom_policies(n: usize, versions: usize) -> String {
    format!("{n} custom policies, {versions} versions of their documents")
}
pub fn unknown_system_policies(names: &[String]) -> String {
    format!(
        "system policies odpsh does not know (left out): {}",
        some_names(names)
    )
}
pub fn project(name: &str, members: usize, roles: usize, grants: usize, objects: usize) -> String {
    format!(
        "project {name}: {members} members, {roles} custom roles, {grants} ACL grants on {objects} objects"
    )
}
pub fn labels(project: &str, tables: usize, levels: usize, grants: usize) -> String {
    format!(
        "project {project}: labels of {tables} tables, {levels} members' access levels, {grants} label grants"
    )
}
pub fn owner_assumed(project: &str, owner: &str) -> String {
    format!("project {project} is owned by {owner} (no capture shows its owner)")
}
pub fn settings(project: &str, what: &[&str]) -> String {
    format!("project {project}: {}", what.join(", "))
}
pub fn defaults_assumed(project: &str, what: &[&str]) -> String {
    format!(
        "project {project} has the defaults for what no capture shows: {}",
        what.join(", ")
    )
}
pub fn creators_assumed(project: &str, owner: &str, names: &[String]) -> String {
    format!(
        "project {project}: objects with no creator shown were created by {owner}: {}",
        some_names(names)
    )
}
pub fn columns_assumed(project: &str, names: &[String]) -> String {
    format!(
        "project {project}: tables have only the columns grants name, typed string: {}",
        some_names(names)
    )
}
pub fn function_assumed(project: &str, names: &[String]) -> String {
    format!(
        "project {project}: functions have an unknown class and no resources: {}",
        some_names(names)
    )
}
pub fn not_inferred_objects(project: &str, names: &[String]) -> String {
    format!(
        "project {project}: grants on objects odpsh cannot create from a capture (left out): {}",
        some_names(names)
    )
}
pub fn policy_lines(project: &str, holder: &str, lines: &[String]) -> String {
    format!(
        "project {project}: the policy of {holder} (shown, not rebuilt): {}",
        some_names(lines)
    )
}
pub fn policies(project: &str, holders: &[String], admins: &[String]) -> String {
    let admin = if admins.is_empty() {
        String::new()
    } else {
        format!(
            " (of the admin type, as their policies name management actions: {})",
            some_names(admins)
        )
    };
    format!(
        "project {project}: the policies of {}{admin}",
        some_names(holders)
    )
}
pub fn trusted_placeholder(name: &str, by: &str) -> String {
    format!("project {name} exists (trusted by {by}; nothing else about it is captured)")
}
pub fn failed(at: &str, statement: &str, message: &str) -> String {
    format!("{at}: {statement} failed on the real side: {message}")
}
pub fn residual(project: &str, names: &[String]) -> String {
    format!(
        "project {project}: residual members (RAM user or role deleted while a member): {}",
        some_names(names)
    )
}
pub fn nothing_captured() -> String {
    "no project: the captures show none (run the statements of odpsh capture-script)".into()
}
