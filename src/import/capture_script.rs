//! `odpsh capture-script`: what to run on the real side so that `odpsh import` can rebuild the
//! project. odpscmd does not print the statements it runs from a file, so the script prints each
//! one after an odpscmd prompt itself, then runs it with `odpscmd -e`: the saved output reads as
//! a session transcript. The `aliyun` commands are printed after a shell prompt, their JSON
//! after them. Nothing asks for a secret and nothing writes one: odpscmd and the aliyun CLI use
//! the configuration they already have, and `ListAccessKeys` shows no secrets.
//!
//! For a world odpsh already holds, [`statements`] lists the same statements with the roles and
//! users filled in, to run with `odpsh --echo -f` (the round trip's capture).

use crate::engine::names::display_all;
use crate::world::World;

/// The odpscmd statements about one project that need no names.
pub const PROJECT_STATEMENTS: [&str; 9] = [
    "whoami;",
    "list users;",
    "list roles;",
    "show tables;",
    "show SecurityConfiguration;",
    "get policy;",
    "list trustedprojects;",
    "list accountproviders;",
    "setproject;",
];

/// Why the statements skip `show grants for` a residual member.
pub const RESIDUAL_NOTE: &str =
    "a residual member: show grants fails for it (lack of account provider)";

/// The per-user RAM listings.
pub const USER_LISTINGS: [&str; 4] = [
    "ListAccessKeys",
    "ListPoliciesForUser",
    "ListGroupsForUser",
    "GetLoginProfile",
];

/// The per-role RAM listings (`GetRole` for the trust policy a listing leaves out).
pub const ROLE_LISTINGS: [&str; 2] = ["GetRole", "ListPoliciesForRole"];

/// The account's own policies, and every version of one (system policies are odpsh's own).
pub const CUSTOM_POLICIES: &str = "ListPolicies --PolicyType Custom";
pub const POLICY_VERSIONS: &str = "ListPolicyVersions --PolicyType Custom";

/// The per-group RAM listing (which users are in a group, their `ListGroupsForUser` shows).
pub const GROUP_LISTING: &str = "ListPoliciesForGroup";

/// A loop over the account's RAM users, roles or groups: `var` over the `key` values a
/// listing (`ListUsers`, `ListRoles`, `ListGroups`) prints.
fn names_loop(var: &str, action: &str, key: &str) -> String {
    format!(
        "  for {var} in $(aliyun ram {action} --MaxItems 1000 | sed -n 's/.*\"{key}\": *\"\\([^\"]*\\)\".*/\\1/p'); do"
    )
}

/// The script's opening: what it is, how to run it, and its helpers.
const HEAD: &[&str] = &[
    "#!/bin/sh",
    "# Capture of MaxCompute projects for odpsh import (written by odpsh capture-script).",
    "# Run where odpscmd (odps_config.ini) and the aliyun CLI (aliyun configure) already work:",
    "#   sh capture.sh [DIR]        (default DIR: capture)",
    "# It asks for no secret and writes none: AccessKey listings show ids only.",
    "# Then: odpsh import DIR/*.txt",
    "set -u",
    "out=${1:-capture}",
    "mkdir -p \"$out\"",
    "# The statement after an odpscmd prompt, then what odpscmd prints for it.",
    "odps() { printf 'odps@ %s>%s\\n' \"$1\" \"$2\"; odpscmd --project=\"$1\" -e \"$2\" 2>&1; }",
    "# An aliyun command after a shell prompt, then its JSON.",
    "cli() { printf '$ aliyun %s\\n' \"$*\"; aliyun \"$@\" 2>&1; }",
    "# The names a listing prints, one a line (none for OK).",
    "names() { odpscmd --project=\"$1\" -e \"$2\" 2>/dev/null | grep -v '^OK$' | tr -d '\\r'; }",
    "{",
    "  cli sts GetCallerIdentity",
    "  cli ram ListUsers --MaxItems 1000",
    "  cli ram ListAccessKeys",
    "  cli ram ListVirtualMFADevices",
];

/// After the project statements that need no names: those that do (a RAM role as a member is
/// named in backquotes, as odpscmd needs it).
const TAIL: &[&str] = &[
    "    for r in $(names \"$p\" 'list roles;'); do",
    "      odps \"$p\" \"describe role $r;\"",
    "      odps \"$p\" \"get policy on role $r;\"",
    "    done",
    "    for t in $(names \"$p\" 'show tables;' | sed 's/^.*://'); do",
    "      odps \"$p\" \"desc $t;\"",
    "      odps \"$p\" \"show label grants on table $t;\"",
    "    done",
    "    for m in $(names \"$p\" 'list users;'); do",
    "      case \"$m\" in",
    "        p4_*|v4_*) printf '%s %s: %s\\n' -- \"$m\" \"$residual\"; continue;;",
    "        *:role/*) m=\"\\`$m\\`\";;",
    "      esac",
    "      odps \"$p\" \"show grants for $m;\"",
    "      odps \"$p\" \"show label grants for user $m;\"",
    "    done",
    "    me=$(odpscmd --project=\"$p\" -e 'whoami;' 2>/dev/null | sed -n 's/^Name: *//p' | tr -d '\\r')",
    "    odps \"$p\" \"show grants for $me;\"",
    "  } > \"$out/$p.txt\"",
    "done",
    "echo \"captured into $out: odpsh import $out/*.txt\"",
];

/// The shell script for the real side, capturing `projects`.
pub fn shell_script(projects: &[String]) -> String {
    let mut lines: Vec<String> = HEAD.iter().map(|l| l.to_string()).collect();
    lines.push(names_loop("u", "ListUsers", "UserName"));
    for listing in USER_LISTINGS {
        lines.push(format!("    cli ram {listing} --UserName \"$u\""));
    }
    lines.push("  done".into());
    lines.push("  cli ram ListRoles --MaxItems 1000".into());
    lines.push(names_loop("r", "ListRoles", "RoleName"));
    for listing in ROLE_LISTINGS {
        lines.push(format!("    cli ram {listing} --RoleName \"$r\""));
    }
    lines.push("  done".into());
    lines.push("  cli ram ListGroups --MaxItems 1000".into());
    lines.push(names_loop("g", "ListGroups", "GroupName"));
    lines.push(format!("    cli ram {GROUP_LISTING} --GroupName \"$g\""));
    lines.push("  done".into());
    lines.push(format!("  cli ram {CUSTOM_POLICIES} --MaxItems 1000"));
    lines.push(names_loop("n", CUSTOM_POLICIES, "PolicyName"));
    lines.push(format!("    cli ram {POLICY_VERSIONS} --PolicyName \"$n\""));
    lines.push("  done".into());
    lines.push("} > \"$out/ram.txt\"".into());
    let list: Vec<&str> = projects.iter().map(String::as_str).collect();
    lines.push(format!("residual='{RESIDUAL_NOTE}'"));
    lines.push(format!("for p in {}; do", list.join(" ")));
    lines.push("  {".into());
    for statement in PROJECT_STATEMENTS {
        lines.push(format!("    odps \"$p\" '{statement}'"));
    }
    lines.extend(TAIL.iter().map(|l| l.to_string()));
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// The statements of the capture for a world odpsh holds, with its roles and members filled
/// in: what the script runs, in its order, for `odpsh --echo -f` (projects: those named, else
/// every project of the world).
pub fn statements(world: &World, projects: &[String]) -> String {
    let mut s = String::from(
        "aliyun ram ListUsers --MaxItems 1000\naliyun ram ListAccessKeys\naliyun ram ListVirtualMFADevices\n",
    );
    if let Some(account) = world.account(world.home) {
        let mut users: Vec<&str> = account.users().map(|u| u.name()).collect();
        users.sort_unstable();
        for u in users {
            for listing in USER_LISTINGS {
                s.push_str(&format!("aliyun ram {listing} --UserName {u}\n"));
            }
        }
        s.push_str("aliyun ram ListRoles --MaxItems 1000\n");
        let mut roles: Vec<&str> = account
            .directory
            .roles
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        roles.sort_unstable();
        for r in roles {
            for listing in ROLE_LISTINGS {
                s.push_str(&format!("aliyun ram {listing} --RoleName {r}\n"));
            }
        }
        s.push_str("aliyun ram ListGroups --MaxItems 1000\n");
        let mut groups: Vec<&str> = account
            .directory
            .groups
            .iter()
            .map(|g| g.name.as_str())
            .collect();
        groups.sort_unstable();
        for g in groups {
            s.push_str(&format!("aliyun ram {GROUP_LISTING} --GroupName {g}\n"));
        }
        s.push_str(&format!("aliyun ram {CUSTOM_POLICIES} --MaxItems 1000\n"));
        let mut policies: Vec<&str> = account
            .custom_policies
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        policies.sort_unstable();
        for p in policies {
            s.push_str(&format!("aliyun ram {POLICY_VERSIONS} --PolicyName {p}\n"));
        }
    }
    let chosen: Vec<&crate::world::Project> = if projects.is_empty() {
        world.projects.values().collect()
    } else {
        projects.iter().filter_map(|p| world.project(p)).collect()
    };
    for project in chosen {
        s.push_str(&format!("use {};\n", project.name));
        for statement in PROJECT_STATEMENTS {
            s.push_str(statement);
            s.push('\n');
        }
        for role in project.role_names() {
            s.push_str(&format!(
                "describe role {role};\nget policy on role {role};\n"
            ));
        }
        let mut tables: Vec<&str> = project.objects.tables().map(|t| t.name.as_str()).collect();
        tables.sort_unstable();
        for t in tables {
            s.push_str(&format!("desc {t};\nshow label grants on table {t};\n"));
        }
        let mut members: Vec<_> = project.members().collect();
        members.sort_unstable();
        let me =
            crate::engine::names::display(world, crate::world::PrincipalId::Account(world.home));
        s.push_str(&format!("show grants for {me};\n"));
        let mut names = display_all(world, &members);
        names.sort();
        for m in names {
            // A residual member has no account provider: its grants cannot be shown.
            if m.starts_with("p4_") || m.starts_with("v4_") {
                s.push_str(&format!("-- {m}: {RESIDUAL_NOTE}\n"));
            } else {
                let named = if m.contains(":role/") {
                    format!("`{m}`")
                } else {
                    m
                };
                s.push_str(&format!(
                    "show grants for {named};\nshow label grants for user {named};\n"
                ));
            }
        }
    }
    s
}
