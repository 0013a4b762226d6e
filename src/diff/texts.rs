//! The comments `odpsh diff` writes above each statement, and its notes.

pub fn in_project(p: &str) -> String {
    format!("in project {p}")
}
pub fn revoke_acl(p: &str, who: &str, actions: &str, object: &str) -> String {
    format!("{p}: {who} loses {actions} on {object}")
}
pub fn grant_acl(p: &str, who: &str, actions: &str, object: &str, expiry: &str) -> String {
    format!("{p}: {who} gains {actions} on {object}{expiry}")
}
pub fn expiry_days(days: u64, at: &str) -> String {
    format!(" for {days} days (B's grant ends at {at})")
}
pub fn revoke_role(p: &str, who: &str, role: &str) -> String {
    format!("{p}: {who} no longer holds role {role}")
}
pub fn grant_role(p: &str, who: &str, role: &str) -> String {
    format!("{p}: {who} holds role {role}")
}
pub fn remove_member(p: &str, who: &str) -> String {
    format!("{p}: {who} is no longer a member")
}
pub fn add_member(p: &str, who: &str) -> String {
    format!("{p}: {who} becomes a member")
}
pub fn residual_stays(p: &str, who: &str) -> String {
    format!(
        "{p}: the residual member {who} cannot be removed by any statement (its RAM user or role is gone): open a ticket with MaxCompute support"
    )
}
pub fn residual_cannot_come(p: &str, who: &str) -> String {
    format!(
        "{p}: B has a residual member {who}: no statement makes one (it appears when a member's RAM user or role is deleted first)"
    )
}
pub fn drop_role(p: &str, role: &str) -> String {
    format!("{p}: role {role} goes")
}
pub fn create_role(p: &str, role: &str) -> String {
    format!("{p}: role {role} is created")
}
pub fn drop_table(p: &str, t: &str) -> String {
    format!("{p}: table {t} goes (with every grant on it)")
}
pub fn create_table(p: &str, t: &str) -> String {
    format!("{p}: table {t} is created (its creator is whoever runs this)")
}
pub fn other_object(p: &str, what: &str, only_in: &str) -> String {
    format!(
        "{p}: {what} exists only in {only_in}: no statement of this change set adds or removes it"
    )
}
pub fn flag(p: &str, flag: &str, on: bool) -> String {
    format!("{p}: {flag} becomes {on}")
}
pub fn property(p: &str, key: &str, value: &str) -> String {
    format!("{p}: property {key} becomes '{value}'")
}
pub fn trusted(p: &str, other: &str, add: bool) -> String {
    if add {
        format!("{p}: trusts project {other}")
    } else {
        format!("{p}: no longer trusts project {other}")
    }
}
pub fn provider(p: &str, provider: &str, add: bool) -> String {
    if add {
        format!("{p}: accepts {provider} accounts")
    } else {
        format!("{p}: no longer accepts {provider} accounts")
    }
}
pub fn project_only(p: &str, side: &str) -> String {
    format!(
        "project {p} exists only in {side}: projects are created and deleted in the console (or DataWorks), not by a statement"
    )
}
pub fn exception_differs(p: &str) -> String {
    format!(
        "{p}: the exception policy of project protection differs: set it with set ProjectProtection=true with exception <policy>"
    )
}
pub fn delete_user(u: &str) -> String {
    format!("RAM: user {u} is deleted (after leaving every project above)")
}
pub fn create_user(u: &str) -> String {
    format!("RAM: user {u} is created (with a new UserId)")
}
pub fn display_name(u: &str, name: &str) -> String {
    format!("RAM: user {u}'s display name becomes {name}")
}
pub fn detach(u: &str, policy: &str) -> String {
    format!("RAM: user {u} loses policy {policy}")
}
pub fn attach(u: &str, policy: &str) -> String {
    format!("RAM: user {u} gains policy {policy}")
}
pub fn delete_key(u: &str, key: &str) -> String {
    format!("RAM: {u}'s AccessKey {key} is deleted")
}
pub fn create_key(u: &str, key: &str) -> String {
    format!("RAM: {u} gets a new AccessKey (B's {key}: its id and secret cannot be chosen)")
}
pub fn key_status(u: &str, key: &str, status: &str) -> String {
    format!("RAM: {u}'s AccessKey {key} becomes {status}")
}
pub fn login_profile(u: &str) -> String {
    format!("RAM: {u}'s console log-on goes")
}
pub fn leave_group(u: &str, g: &str) -> String {
    format!("RAM: {u} leaves group {g}")
}
pub fn join_group(u: &str, g: &str) -> String {
    format!("RAM: {u} joins group {g}")
}
pub fn delete_group(g: &str) -> String {
    format!("RAM: group {g} is deleted")
}
pub fn create_group(g: &str) -> String {
    format!("RAM: group {g} is created")
}
pub fn account_differs(a: &str, b: &str) -> String {
    format!("the worlds are of different accounts ({a} and {b}): principals are compared by name")
}
pub fn detach_from_role(role: &str, policy: &str) -> String {
    format!("RAM role {role} loses policy {policy}")
}
pub fn delete_role(role: &str) -> String {
    format!("RAM role {role} goes")
}
pub fn create_ram_role(role: &str) -> String {
    format!("RAM role {role} is created, with B's trust policy")
}
pub fn trust_policy(role: &str) -> String {
    format!("RAM role {role} gets B's trust policy")
}
pub fn role_settings(role: &str, what: &[&str]) -> String {
    format!("RAM role {role} gets B's {}", what.join(" and "))
}
pub fn attach_to_role(role: &str, policy: &str) -> String {
    format!("RAM role {role} gains policy {policy}")
}
pub fn detach_from_group(g: &str, policy: &str) -> String {
    format!("RAM: group {g} loses policy {policy}")
}
pub fn attach_to_group(g: &str, policy: &str) -> String {
    format!("RAM: group {g} gains policy {policy}")
}
pub fn group_comments(g: &str) -> String {
    format!("RAM: group {g} gets B's comments")
}
pub fn unbind_device(u: &str, serial: &str) -> String {
    format!("RAM: {u}'s MFA device {serial} is unbound")
}
pub fn delete_device(serial: &str) -> String {
    format!("RAM: MFA device {serial} is deleted")
}
pub fn create_device(serial: &str) -> String {
    format!("RAM: MFA device {serial} is created (with a new seed)")
}
pub fn bind_device(u: &str, serial: &str) -> String {
    format!(
        "RAM: MFA device {serial} is bound to {u} in B: BindMFADevice --SerialNumber {serial} --UserName {u} needs two codes from an authenticator set up with the device's seed"
    )
}
pub fn create_login_profile(u: &str) -> String {
    format!(
        "RAM: {u} has a console log-on in B: CreateLoginProfile --UserName {u} needs a password, which no capture or world keeps"
    )
}
pub fn login_switches(u: &str) -> String {
    format!("RAM: {u}'s console log-on gets B's PasswordResetRequired and MFABindRequired")
}
pub fn project_policy_differs(p: &str, document: &str) -> String {
    format!(
        "{p}: the project policy differs: put policy <file>; with a file holding B's {document}"
    )
}
pub fn role_policy_differs(p: &str, role: &str, document: &str) -> String {
    format!(
        "{p}: role {role}'s policy differs: put policy <file> on role {role}; with a file holding B's {document}"
    )
}
pub fn role_type_differs(p: &str, role: &str, admin: bool) -> String {
    let kind = if admin { "admin" } else { "resource" };
    format!(
        "{p}: role {role} is of the {kind} type in B: a role's type is chosen when it is created (create role {role} privilegeproperties(\"type\"=\"{kind}\");)"
    )
}
pub fn delete_policy_version(policy: &str, version: u32) -> String {
    format!("RAM: custom policy {policy} loses version v{version}")
}
pub fn delete_policy(policy: &str) -> String {
    format!("RAM: custom policy {policy} is deleted (after everything above let go of it)")
}
pub fn create_policy(policy: &str) -> String {
    format!("RAM: custom policy {policy} is created, with B's default document")
}
pub fn policy_document(policy: &str) -> String {
    format!("RAM: custom policy {policy} gets B's default document, as a new default version")
}
pub fn policy_description(policy: &str, description: &str) -> String {
    format!(
        "RAM: custom policy {policy}'s description is \"{description}\" in B (RAM keeps a policy's description as it was created)"
    )
}
