//! Moving world files forward, one schema version at a time, on their JSON.

use serde_json::{Value, json};

/// Migrates `world` from schema version `from` to `from + 1`.
pub fn step(from: u64, world: &mut Value) -> Result<(), String> {
    match from {
        1 => v1_to_v2(world),
        2 => v2_to_v3(world),
        3 => v3_to_v4(world),
        4 => v4_to_v5(world),
        5 => v5_to_v6(world),
        6 => v6_to_v7(world),
        7 => v7_to_v8(world),
        _ => Err(format!("no migration from schema version {from}")),
    }
}

/// The world's accounts, to change.
fn accounts(world: &mut Value) -> Result<&mut serde_json::Map<String, Value>, String> {
    world
        .get_mut("accounts")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| "the world has no accounts".to_string())
}

fn object<'a>(
    v: &'a mut Value,
    what: &str,
) -> Result<&'a mut serde_json::Map<String, Value>, String> {
    v.as_object_mut()
        .ok_or_else(|| format!("{what} is not an object"))
}

/// Version 2 adds AccessKeys, log-on profiles and policies to RAM users, the main account's
/// keys, alias, security preference and custom policies to accounts, and the bound DataWorks
/// workspace and the `setproject` properties to projects.
fn v1_to_v2(world: &mut Value) -> Result<(), String> {
    let accounts = accounts(world)?;
    for account in accounts.values_mut() {
        let a = object(account, "an account")?;
        a.entry("alias").or_insert(Value::Null);
        a.entry("allow_user_to_manage_access_keys")
            .or_insert(json!(false));
        a.entry("access_keys").or_insert(json!([]));
        a.entry("custom_policies").or_insert(json!([]));
        let users = a
            .get_mut("ram_users")
            .and_then(Value::as_array_mut)
            .ok_or("an account has no ram_users list")?;
        for user in users {
            let u = object(user, "a RAM user")?;
            u.entry("comments").or_insert(json!(""));
            u.entry("access_keys").or_insert(json!([]));
            u.entry("login_profile").or_insert(Value::Null);
            u.entry("policies").or_insert(json!([]));
        }
    }
    let projects = world
        .get_mut("projects")
        .and_then(Value::as_object_mut)
        .ok_or("the world has no projects")?;
    for (i, project) in projects.values_mut().enumerate() {
        let p = object(project, "a project")?;
        // Version 1 projects carried the DataWorks roles: they are DataWorks workspaces.
        p.entry("properties").or_insert(json!({}));
        p.entry("workspace")
            .or_insert(json!({ "id": 10_000 + i as u64, "members": {} }));
    }
    object(world, "the world")?.insert("schema_version".into(), json!(2));
    Ok(())
}

/// Version 3 gives every project its objects (none), its ACL (empty) and its security
/// configuration (the service's default flags, no trusted projects, the ALIYUN and RAM account
/// providers).
fn v2_to_v3(world: &mut Value) -> Result<(), String> {
    let projects = world
        .get_mut("projects")
        .and_then(Value::as_object_mut)
        .ok_or("the world has no projects")?;
    for project in projects.values_mut() {
        let p = object(project, "a project")?;
        p.entry("objects").or_insert(json!({
            "tables": {}, "resources": {}, "functions": {}, "instances": {}
        }));
        p.entry("acl").or_insert(json!({}));
        p.entry("security").or_insert(json!({
            "flags": {
                "check_permission_using_acl": true,
                "check_permission_using_policy": true,
                "object_creator_has_access_permission": true,
                "object_creator_has_grant_permission": true,
                "label_security": false,
                "project_protection": false
            },
            "trusted_projects": [],
            "account_providers": ["ALIYUN", "RAM"]
        }));
    }
    object(world, "the world")?.insert("schema_version".into(), json!(3));
    Ok(())
}

/// Version 4 gives every project its labels (none).
fn v3_to_v4(world: &mut Value) -> Result<(), String> {
    let projects = world
        .get_mut("projects")
        .and_then(Value::as_object_mut)
        .ok_or("the world has no projects")?;
    for project in projects.values_mut() {
        object(project, "a project")?
            .entry("labels")
            .or_insert(json!({ "clearances": [], "tables": [], "grants": [] }));
    }
    object(world, "the world")?.insert("schema_version".into(), json!(4));
    Ok(())
}

/// Version 5 gives every project its policies (none).
fn v4_to_v5(world: &mut Value) -> Result<(), String> {
    let projects = world
        .get_mut("projects")
        .and_then(Value::as_object_mut)
        .ok_or("the world has no projects")?;
    for project in projects.values_mut() {
        object(project, "a project")?
            .entry("policies")
            .or_insert(json!({ "project": null, "roles": {}, "admin_roles": [] }));
    }
    object(world, "the world")?.insert("schema_version".into(), json!(5));
    Ok(())
}

/// Version 6 gives every account its RAM directory (no groups, no MFA devices, the service's
/// default password policy and security preference), every RAM user its contact fields (none),
/// and turns each custom policy's document into its version `v1`, the default.
fn v5_to_v6(world: &mut Value) -> Result<(), String> {
    let directory = serde_json::to_value(crate::world::ram_directory::RamDirectory::default())
        .map_err(|e| e.to_string())?;
    let contact = serde_json::to_value(crate::world::account::Contact::default())
        .map_err(|e| e.to_string())?;
    let accounts = accounts(world)?;
    for account in accounts.values_mut() {
        let a = object(account, "an account")?;
        a.entry("directory").or_insert_with(|| directory.clone());
        if let Some(users) = a.get_mut("ram_users").and_then(Value::as_array_mut) {
            for user in users {
                object(user, "a RAM user")?
                    .entry("contact")
                    .or_insert_with(|| contact.clone());
            }
        }
        if let Some(policies) = a.get_mut("custom_policies").and_then(Value::as_array_mut) {
            for policy in policies {
                let p = object(policy, "a custom policy")?;
                if let Some(document) = p.remove("document") {
                    let created = p.get("created").cloned().unwrap_or(json!(0));
                    p.insert(
                        "versions".into(),
                        json!([{ "id": 1, "document": document, "created": created }]),
                    );
                    p.insert("default_version".into(), json!(1));
                    p.entry("updated").or_insert(created);
                }
            }
        }
    }
    object(world, "the world")?.insert("schema_version".into(), json!(6));
    Ok(())
}

/// Version 8 gives every account's RAM directory its roles and STS credentials (none), and
/// marks AccessKeys brought in by `odpsh import` (a key without the mark is not imported, which
/// is what reading it gives).
fn v7_to_v8(world: &mut Value) -> Result<(), String> {
    let accounts = accounts(world)?;
    for account in accounts.values_mut() {
        let a = object(account, "an account")?;
        let directory = a
            .get_mut("directory")
            .ok_or("an account has no RAM directory")?;
        let d = object(directory, "a RAM directory")?;
        d.entry("roles").or_insert(json!([]));
        d.entry("sts_credentials").or_insert(json!([]));
    }
    object(world, "the world")?.insert("schema_version".into(), json!(8));
    Ok(())
}

/// Version 7 adds packages and the outflow controls (download control, the exception policy)
/// to projects; a project without them has none, which is what reading it gives.
fn v6_to_v7(world: &mut Value) -> Result<(), String> {
    object(world, "the world")?.insert("schema_version".into(), json!(7));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_1_gains_the_credential_fields() {
        let mut v = json!({
            "schema_version": 1,
            "projects": {"p": {"name": "p"}},
            "accounts": {"1": {"id": 1, "login": "M", "real_name_verified": true,
                "ram_users": [{"uid": 7, "name": "a", "display_name": "a", "created": 1, "updated": 1}]}}
        });
        step(1, &mut v).unwrap();
        assert_eq!(v["schema_version"], 2);
        assert_eq!(v["accounts"]["1"]["access_keys"], json!([]));
        assert_eq!(
            v["accounts"]["1"]["allow_user_to_manage_access_keys"],
            json!(false)
        );
        assert_eq!(v["accounts"]["1"]["ram_users"][0]["policies"], json!([]));
        assert_eq!(
            v["accounts"]["1"]["ram_users"][0]["login_profile"],
            Value::Null
        );
        assert_eq!(v["projects"]["p"]["workspace"]["id"], 10_000);
        assert!(step(8, &mut v).is_err());
    }

    #[test]
    fn version_2_projects_gain_objects_acl_and_security_settings() {
        let mut v = json!({"schema_version": 2, "projects": {"p": {"name": "p"}}});
        step(2, &mut v).unwrap();
        assert_eq!(v["schema_version"], 3);
        assert_eq!(v["projects"]["p"]["acl"], json!({}));
        assert_eq!(v["projects"]["p"]["objects"]["tables"], json!({}));
        assert_eq!(
            v["projects"]["p"]["security"]["account_providers"],
            json!(["ALIYUN", "RAM"])
        );
        let p: crate::world::Project = serde_json::from_value(json!({
            "name": "p", "owner": 1, "workspace": null, "properties": {}, "roles": {},
            "members": {}, "objects": v["projects"]["p"]["objects"],
            "acl": {}, "security": v["projects"]["p"]["security"]
        }))
        .unwrap();
        assert_eq!(
            p.security,
            crate::world::security::SecurityConfig::default()
        );
        let mut bad = json!({"schema_version": 2});
        assert!(step(2, &mut bad).is_err());
    }

    #[test]
    fn version_4_custom_policies_become_their_first_version() {
        let mut v = json!({
            "schema_version": 4,
            "projects": {},
            "accounts": {"1": {"id": 1, "login": "M", "custom_policies": [
                {"name": "ReadLogs", "description": "", "document": "{}", "created": 9}
            ], "ram_users": [{"uid": 7}]}}
        });
        step(4, &mut v).unwrap();
        assert_eq!(v["schema_version"], 5);
        step(5, &mut v).unwrap();
        assert_eq!(v["schema_version"], 6);
        let policy = &v["accounts"]["1"]["custom_policies"][0];
        assert_eq!(
            policy["versions"],
            json!([{"id": 1, "document": "{}", "created": 9}])
        );
        assert_eq!(policy["default_version"], 1);
        assert_eq!(policy["updated"], 9);
        assert_eq!(
            v["accounts"]["1"]["directory"]["password_policy"]["minimum_password_length"],
            8
        );
        assert_eq!(v["accounts"]["1"]["ram_users"][0]["contact"]["email"], "");
    }

    #[test]
    fn a_version_2_world_file_loads_as_the_same_world() {
        let world = crate::world::World::default_world();
        let mut v = serde_json::to_value(&world).unwrap();
        v["schema_version"] = json!(2);
        for project in v["projects"].as_object_mut().unwrap().values_mut() {
            let p = project.as_object_mut().unwrap();
            for field in ["objects", "acl", "security"] {
                p.remove(field);
            }
        }
        let path = std::path::Path::new("v2.json");
        let (loaded, from) = crate::store::decode_versioned(path, &v.to_string()).unwrap();
        assert_eq!(from, Some(2));
        assert_eq!(loaded, world);
    }
}
