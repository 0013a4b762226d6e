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
use crate::world::{Account, World};

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

/// The account-wide RAM listings that name nothing (the main account's keys, the MFA devices).
pub const ACCOUNT_LISTINGS: [&str; 2] = ["ListAccessKeys", "ListVirtualMFADevices"];

/// A RAM listing of names, and what is listed of each name.
struct Family {
    /// The listing (`ListUsers`, `ListPolicies --PolicyType Custom`, …).
    listing: &'static str,
    /// The name's key in the listing's JSON, and its flag in the per-name listings.
    key: &'static str,
    /// The shell variable the script's loop over the names uses.
    var: &'static str,
    per_name: &'static [&'static str],
    /// The names a world holds, for `--statements`.
    names: fn(&Account) -> Vec<&str>,
}

/// Users (keys, policies, groups, console log-on), roles (`GetRole` for the trust policy a
/// listing leaves out), groups (which users are in one, their `ListGroupsForUser` shows) and
/// the account's own policies with every version (system policies are odpsh's own).
const FAMILIES: [Family; 4] = [
    Family {
        listing: "ListUsers",
        key: "UserName",
        var: "u",
        per_name: &[
            "ListAccessKeys",
            "ListPoliciesForUser",
            "ListGroupsForUser",
            "GetLoginProfile",
        ],
        names: |a| a.users().map(|u| u.name()).collect(),
    },
    Family {
        listing: "ListRoles",
        key: "RoleName",
        var: "r",
        per_name: &["GetRole", "ListPoliciesForRole"],
        names: |a| a.directory.roles.iter().map(|r| r.name.as_str()).collect(),
    },
    Family {
        listing: "ListGroups",
        key: "GroupName",
        var: "g",
        per_name: &["ListPoliciesForGroup"],
        names: |a| a.directory.groups.iter().map(|g| g.name.as_str()).collect(),
    },
    Family {
        listing: "ListPolicies --PolicyType Custom",
        key: "PolicyName",
        var: "n",
        per_name: &["ListPolicyVersions --PolicyType Custom"],
        names: |a| a.custom_policies.iter().map(|p| p.name.as_str()).collect(),
    },
];

/// The script's loop over a family's names: the names its listing prints, each's listings.
fn names_loop(f: &Family) -> Vec<String> {
    let (listing, key, var) = (f.listing, f.key, f.var);
    let mut lines = vec![
        format!("  cli ram {listing} --MaxItems 1000"),
        format!(
            "  for {var} in $(aliyun ram {listing} --MaxItems 1000 | sed -n 's/.*\"{key}\": *\"\\([^\"]*\\)\".*/\\1/p'); do"
        ),
    ];
    for each in f.per_name {
        lines.push(format!("    cli ram {each} --{key} \"${var}\""));
    }
    lines.push("  done".into());
    lines
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
    for listing in ACCOUNT_LISTINGS {
        lines.push(format!("  cli ram {listing}"));
    }
    for family in &FAMILIES {
        lines.extend(names_loop(family));
    }
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
    let mut s = String::new();
    for listing in ACCOUNT_LISTINGS {
        s.push_str(&format!("aliyun ram {listing}\n"));
    }
    if let Some(account) = world.account(world.home) {
        for f in &FAMILIES {
            s.push_str(&format!("aliyun ram {} --MaxItems 1000\n", f.listing));
            let mut names = (f.names)(account);
            names.sort_unstable();
            for name in names {
                for each in f.per_name {
                    s.push_str(&format!("aliyun ram {each} --{} {name}\n", f.key));
                }
            }
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
