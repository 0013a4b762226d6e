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
pub const PROJECT_STATEMENTS: [&str; 7] = [
    "whoami;",
    "list users;",
    "list roles;",
    "show SecurityConfiguration;",
    "list trustedprojects;",
    "list accountproviders;",
    "setproject;",
];

/// Why the statements skip `show grants for` a residual member.
pub const RESIDUAL_NOTE: &str =
    "a residual member: show grants fails for it (lack of account provider)";

/// The per-user RAM listings.
pub const USER_LISTINGS: [&str; 3] = ["ListAccessKeys", "ListPoliciesForUser", "ListGroupsForUser"];

/// The shell script for the real side, capturing `projects` (at least one).
pub fn shell_script(projects: &[String]) -> String {
    let mut s = String::new();
    s.push_str(
        "#!/bin/sh\n\
# Capture of MaxCompute projects for odpsh import (written by odpsh capture-script).\n\
# Run where odpscmd (odps_config.ini) and the aliyun CLI (aliyun configure) already work:\n\
#   sh capture.sh [DIR]        (default DIR: capture)\n\
# It asks for no secret and writes none: AccessKey listings show ids only.\n\
# Then: odpsh import DIR/*.txt\n\
set -u\n\
out=${1:-capture}\n\
mkdir -p \"$out\"\n\
# The statement after an odpscmd prompt, then what odpscmd prints for it.\n\
odps() { printf 'odps@ %s>%s\\n' \"$1\" \"$2\"; odpscmd --project=\"$1\" -e \"$2\" 2>&1; }\n\
# An aliyun command after a shell prompt, then its JSON.\n\
cli() { printf '$ aliyun %s\\n' \"$*\"; aliyun \"$@\" 2>&1; }\n\
# The names a listing prints, one a line (none for OK).\n\
names() { odpscmd --project=\"$1\" -e \"$2\" 2>/dev/null | grep -v '^OK$' | tr -d '\\r'; }\n\
{\n\
  cli sts GetCallerIdentity\n\
  cli ram ListUsers --MaxItems 1000\n\
  cli ram ListAccessKeys\n\
  for u in $(aliyun ram ListUsers --MaxItems 1000 | sed -n 's/.*\"UserName\": *\"\\([^\"]*\\)\".*/\\1/p'); do\n",
    );
    for listing in USER_LISTINGS {
        s.push_str(&format!("    cli ram {listing} --UserName \"$u\"\n"));
    }
    s.push_str("  done\n} > \"$out/ram.txt\"\n");
    let list: Vec<&str> = projects.iter().map(String::as_str).collect();
    s.push_str(&format!("for p in {}; do\n  {{\n", list.join(" ")));
    for statement in PROJECT_STATEMENTS {
        s.push_str(&format!("    odps \"$p\" '{statement}'\n"));
    }
    s.push_str(
        "    for r in $(names \"$p\" 'list roles;'); do odps \"$p\" \"describe role $r;\"; done\n\
    for m in $(names \"$p\" 'list users;'); do odps \"$p\" \"show grants for $m;\"; done\n\
    me=$(odpscmd --project=\"$p\" -e 'whoami;' 2>/dev/null | sed -n 's/^Name: *//p' | tr -d '\\r')\n\
    odps \"$p\" \"show grants for $me;\"\n\
  } > \"$out/$p.txt\"\n\
done\n\
echo \"captured into $out: odpsh import $out/*.txt\"\n",
    );
    s
}

/// The statements of the capture for a world odpsh holds, with its roles and members filled
/// in: what the script runs, in its order, for `odpsh --echo -f` (projects: those named, else
/// every project of the world).
pub fn statements(world: &World, projects: &[String]) -> String {
    let mut s = String::from("aliyun ram ListUsers --MaxItems 1000\naliyun ram ListAccessKeys\n");
    if let Some(account) = world.account(world.home) {
        let mut users: Vec<&str> = account.users().map(|u| u.name()).collect();
        users.sort_unstable();
        for u in users {
            for listing in USER_LISTINGS {
                s.push_str(&format!("aliyun ram {listing} --UserName {u}\n"));
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
            s.push_str(&format!("describe role {role};\n"));
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
            if m.starts_with("p4_") {
                s.push_str(&format!("-- {m}: {RESIDUAL_NOTE}\n"));
            } else {
                s.push_str(&format!("show grants for {m};\n"));
            }
        }
    }
    s
}
