//! Generated statements, shared by the property tests (`properties.rs`, `import_round_trip.rs`):
//! users and roles, objects, ACL grants and the security settings, with names drawn from small
//! pools so that statements often meet what earlier ones made.
#![allow(dead_code)]

use proptest::prelude::*;

/// Names drawn from a small pool, so that generated statements often meet existing things.
pub fn user() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("hanmeimei".to_string()),
        Just("lilei".to_string()),
        Just("bob".to_string()),
        "[a-z][a-z0-9._-]{0,6}",
    ]
}

pub fn role() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("admin".to_string()),
        Just("super_administrator".to_string()),
        Just("role_project_dev".to_string()),
        Just("role_project_guest".to_string()),
        Just("worker".to_string()),
        "[a-zA-Z][a-zA-Z0-9_]{0,6}",
    ]
}

/// RAM role names: letters, digits, `.` and `-` (and, now and then, one RAM refuses).
pub fn ram_role() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("etl".to_string()),
        Just("etl-nightly".to_string()),
        Just("loader.v2".to_string()),
        "[a-z][a-z0-9.-]{0,5}",
        Just("bad_name".to_string()),
    ]
}

/// RAM group names (the user-name rules).
pub fn ram_group() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("data_team".to_string()),
        Just("ops".to_string()),
        "[a-z][a-z0-9._-]{0,5}",
    ]
}

/// A trust policy that lets the default account's root assume a role.
pub const ROOT_TRUST: &str = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"RAM":["acs:ram::5527380164285788:root"]}}],"Version":"1"}"#;

/// Custom RAM policy documents: reading MaxCompute's tables, and everything.
pub const ODPS_READ: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["odps:Select"],"Resource":["acs:odps:*:*:projects/MaxCompute/tables/*"]}]}"#;
pub const ODPS_ALL: &str =
    r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["odps:*"],"Resource":["*"]}]}"#;

/// A trust policy that lets a cloud service assume a role.
pub const SERVICE_TRUST: &str = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["dataworks.aliyuncs.com"]}}],"Version":"1"}"#;

pub fn trust_policy() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just(ROOT_TRUST), Just(SERVICE_TRUST)]
}

pub fn principal() -> impl Strategy<Value = String> {
    prop_oneof![
        user().prop_map(|u| format!("RAM$MainCount:{u}")),
        user().prop_map(|u| format!("RAM${u}")),
        Just("ALIYUN$MainCount".to_string()),
        Just("ALIYUN$5527380164285788".to_string()),
        "[0-9]{1,5}".prop_map(|d| format!("p4_2652900{d}")),
        user().prop_map(|u| format!("LDAP${u}")),
        ram_role().prop_map(|r| format!("`RAM$MainCount:role/{r}`")),
        ram_role().prop_map(|r| format!("`RAM$5527380164285788:role/{r}`")),
        "[0-9]{1,5}".prop_map(|d| format!("v4_3000000{d}")),
    ]
}

pub fn roles() -> impl Strategy<Value = String> {
    prop::collection::vec(role(), 1..4).prop_map(|r| r.join(", "))
}

/// A plausible statement or console command, as a user would type it.
pub fn statement_text() -> impl Strategy<Value = String> {
    prop_oneof![3 => user_and_role_text(), 2 => object_and_grant_text()]
}

pub fn table() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("sales".to_string()),
        Just("customers".to_string()),
        "[a-z][a-z0-9_]{0,5}",
    ]
}

pub fn privileges() -> impl Strategy<Value = String> {
    let privilege = prop_oneof![
        Just("Select"),
        Just("Describe"),
        Just("All"),
        Just("Drop"),
        Just("CreateTable"),
        Just("CreateInstance"),
        Just("List"),
        Just("Read"),
        Just("Execute"),
    ];
    prop::collection::vec(privilege, 1..3).prop_map(|p| p.join(", "))
}

pub fn object() -> impl Strategy<Value = String> {
    prop_oneof![
        table().prop_map(|t| format!("table {t}")),
        table().prop_map(|t| format!("table {t} (id)")),
        Just("project MaxCompute".to_string()),
        Just("resource udf.jar".to_string()),
        Just("function my_upper".to_string()),
        "[a-z0-9]{1,6}".prop_map(|i| format!("instance {i}")),
    ]
}

pub fn grantee() -> impl Strategy<Value = String> {
    prop_oneof![
        principal().prop_map(|p| format!("user {p}")),
        role().prop_map(|r| format!("role {r}")),
    ]
}

/// Objects, ACL grants and the project's security settings.
pub fn object_and_grant_text() -> impl Strategy<Value = String> {
    prop_oneof![
        table()
            .prop_map(|t| format!("create table {t} (id bigint, name string comment 'it\\'s');")),
        table().prop_map(|t| format!("drop table if exists {t};")),
        table().prop_map(|t| format!("desc {t};")),
        (table(), table()).prop_map(|(a, b)| format!("insert into table {a} select * from {b};")),
        table().prop_map(|t| format!("select id from {t} limit 3;")),
        Just("show tables;".to_string()),
        Just("add jar /tmp/udf.jar -f;".to_string()),
        Just("create function my_upper as 'com.example.Upper' using 'udf.jar';".to_string()),
        Just("drop resource udf.jar;".to_string()),
        (privileges(), object(), grantee(), 0..3u8).prop_map(|(p, o, g, days)| format!(
            "grant {p} on {o} to {g} privilegeproperties(\"expires\"=\"{days}\");"
        )),
        (privileges(), object(), grantee())
            .prop_map(|(p, o, g)| format!("grant {p} on {o} to {g};")),
        (privileges(), object(), grantee())
            .prop_map(|(p, o, g)| format!("revoke {p} on {o} from {g};")),
        (
            privileges(),
            prop_oneof![
                Just("table sales"),
                Just("table tb_*"),
                Just("project MaxCompute")
            ],
            role(),
            prop_oneof![Just("true"), Just("false")]
        )
            .prop_map(|(p, o, r, allow)| format!(
                "grant {p} on {o} to role {r} privilegeproperties(\"policy\"=\"true\", \"allow\"=\"{allow}\");"
            )),
        (privileges(), role()).prop_map(|(p, r)| format!(
            "revoke {p} on table tb_* from role {r} privilegeproperties(\"policy\"=\"true\", \"allow\"=\"false\");"
        )),
        role().prop_map(|r| format!("create role {r} privilegeproperties(\"type\"=\"admin\");")),
        Just("set LabelSecurity=true;".to_string()),
        (0..4u8, table(), prop_oneof![Just(""), Just(" (id)"), Just(" (name)")])
            .prop_map(|(l, t, c)| format!("set label {l} to table {t}{c};")),
        (0..4u8, principal()).prop_map(|(l, p)| format!("set label {l} to user {p};")),
        (0..4u8, table(), prop_oneof![Just(""), Just(" (name)")], grantee(), 0..40u8)
            .prop_map(|(l, t, c, g, days)| format!(
                "grant label {l} on table {t}{c} to {g} with exp {days};"
            )),
        (table(), grantee()).prop_map(|(t, g)| format!("revoke label on table {t} from {g};")),
        principal().prop_map(|p| format!("show grants for {p};")),
        role().prop_map(|r| format!("show grants for role {r} on type table;")),
        table().prop_map(|t| format!("show acl for {t};")),
        Just("clear expired grants;".to_string()),
        (
            prop_oneof![
                Just("ProjectProtection"),
                Just("CheckPermissionUsingAcl"),
                Just("ObjectCreatorHasAccessPermission"),
                Just("odps.sql.allow.fullscan"),
            ],
            prop_oneof![Just("true"), Just("FALSE"), Just("maybe")],
        )
            .prop_map(|(k, v)| format!("set {k}={v};")),
        "[a-z]{1,8}".prop_map(|p| format!("add trustedproject {p};")),
        Just("remove accountprovider ram;".to_string()),
        Just("add accountprovider ram;".to_string()),
    ]
}

/// Users, roles, the session and console commands.
pub fn user_and_role_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("list users;".to_string()),
        Just("list roles;".to_string()),
        Just("whoami;".to_string()),
        principal().prop_map(|p| format!("add user {p};")),
        principal().prop_map(|p| format!("remove user {p};")),
        role().prop_map(|r| format!("create role {r};")),
        role().prop_map(|r| format!("drop role {r};")),
        role().prop_map(|r| format!("describe role {r};")),
        (roles(), principal()).prop_map(|(r, p)| format!("grant {r} to {p};")),
        (roles(), principal()).prop_map(|(r, p)| format!("revoke {r} from user {p};")),
        user().prop_map(|u| format!("aliyun ram CreateUser --UserName {u}\n")),
        user().prop_map(|u| format!("aliyun ram DeleteUser --UserName {u}\n")),
        user().prop_map(|u| format!("aliyun console DeleteUser --UserName {u}\n")),
        user().prop_map(|u| format!("aliyun ram CreateAccessKey --UserName {u}\n")),
        user().prop_map(|u| format!(
            "aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AdministratorAccess --UserName {u}\n"
        )),
        user().prop_map(|u| format!("aliyun ram CreateLoginProfile --UserName {u} --Password Aa1!aaaa\n")),
        (user(), role()).prop_map(|(u, r)| format!(
            "aliyun dataworks-public CreateProjectMember --ProjectId 10000 --UserId {u} --RoleCode {r}\n"
        )),
        (ram_role(), trust_policy()).prop_map(|(r, t)| format!(
            "aliyun ram CreateRole --RoleName {r} --AssumeRolePolicyDocument '{t}'\n"
        )),
        (ram_role(), "[a-z ]{0,8}", trust_policy()).prop_map(|(r, d, t)| format!(
            "aliyun ram CreateRole --RoleName {r} --Description \"{d}\" --MaxSessionDuration 7200 --AssumeRolePolicyDocument '{t}'\n"
        )),
        ram_role().prop_map(|r| format!("aliyun ram DeleteRole --RoleName {r}\n")),
        ram_role().prop_map(|r| format!(
            "aliyun ram UpdateRole --RoleName {r} --NewDescription \"updated\"\n"
        )),
        (ram_role(), prop_oneof![Just("AliyunMaxComputeReadOnlyAccess"), Just("AdministratorAccess")])
            .prop_map(|(r, p)| format!(
                "aliyun ram AttachPolicyToRole --PolicyType System --PolicyName {p} --RoleName {r}\n"
            )),
        ram_role().prop_map(|r| format!(
            "aliyun ram DetachPolicyFromRole --PolicyType System --PolicyName AliyunMaxComputeReadOnlyAccess --RoleName {r}\n"
        )),
        (ram_group(), "[a-z ]{0,8}").prop_map(|(g, c)| format!(
            "aliyun ram CreateGroup --GroupName {g} --Comments \"{c}\"\n"
        )),
        ram_group().prop_map(|g| format!("aliyun ram DeleteGroup --GroupName {g}\n")),
        (ram_group(), user()).prop_map(|(g, u)| format!(
            "aliyun ram AddUserToGroup --GroupName {g} --UserName {u}\n"
        )),
        (ram_group(), user()).prop_map(|(g, u)| format!(
            "aliyun ram RemoveUserFromGroup --GroupName {g} --UserName {u}\n"
        )),
        ram_group().prop_map(|g| format!(
            "aliyun ram UpdateGroup --GroupName {g} --NewComments \"renamed\"\n"
        )),
        (ram_group(), prop_oneof![Just("AliyunMaxComputeReadOnlyAccess"), Just("AdministratorAccess")])
            .prop_map(|(g, p)| format!(
                "aliyun ram AttachPolicyToGroup --PolicyType System --PolicyName {p} --GroupName {g}\n"
            )),
        ram_group().prop_map(|g| format!(
            "aliyun ram DetachPolicyFromGroup --PolicyType System --PolicyName AliyunMaxComputeReadOnlyAccess --GroupName {g}\n"
        )),
        (prop_oneof![Just("odps-read"), Just("ops-all")], "[a-z ]{0,6}").prop_map(|(p, d)| format!(
            "aliyun ram CreatePolicy --PolicyName {p} --Description \"{d}\" --PolicyDocument '{ODPS_READ}'\n"
        )),
        prop_oneof![Just("odps-read"), Just("ops-all")].prop_map(|p| format!(
            "aliyun ram CreatePolicyVersion --PolicyName {p} --PolicyDocument '{ODPS_ALL}' --SetAsDefault true\n"
        )),
        prop_oneof![Just("odps-read"), Just("ops-all")].prop_map(|p| format!(
            "aliyun ram DeletePolicyVersion --PolicyName {p} --VersionId v1\n"
        )),
        prop_oneof![Just("odps-read"), Just("ops-all")]
            .prop_map(|p| format!("aliyun ram DeletePolicy --PolicyName {p}\n")),
        (prop_oneof![Just("odps-read"), Just("ops-all")], user()).prop_map(|(p, u)| format!(
            "aliyun ram AttachPolicyToUser --PolicyType Custom --PolicyName {p} --UserName {u}\n"
        )),
        user().prop_map(|u| format!("aliyun ram DeleteLoginProfile --UserName {u}\n")),
        user().prop_map(|u| format!(
            "aliyun ram UpdateLoginProfile --UserName {u} --MFABindRequired true --PasswordResetRequired true\n"
        )),
        user().prop_map(|u| format!(
            "aliyun ram CreateVirtualMFADevice --VirtualMFADeviceName {u}-phone\n"
        )),
        (user(), user()).prop_map(|(d, u)| format!(
            "aliyun ram BindMFADevice --SerialNumber acs:ram::5527380164285788:mfa/{d}-phone --UserName {u} --AuthenticationCode1 123456 --AuthenticationCode2 654321\n"
        )),
        user().prop_map(|u| format!("aliyun ram UnbindMFADevice --UserName {u}\n")),
        user().prop_map(|d| format!(
            "aliyun ram DeleteVirtualMFADevice --SerialNumber acs:ram::5527380164285788:mfa/{d}-phone\n"
        )),
        Just("use MaxCompute;".to_string()),
        Just("setproject odps.sql.allow.fullscan=true;".to_string()),
        "[a-z]{1,8}".prop_map(|p| format!("use {p};")),
        "login LTAI[a-zA-Z0-9]{4} [a-z]{3};",
    ]
}
