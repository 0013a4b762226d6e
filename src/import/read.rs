//! Capture files → facts: each block's statement recognised, its output read by the parser of
//! its kind. Every line no parser understands is an error; all of them are reported.

use super::command::{Command, RamAction, recognise};
use super::error::{CaptureError, CaptureErrors};
use super::facts::{Facts, Principal, Principals, ProjectFacts};
use super::odps_outputs::{self as odps, Reader, Subject};
use super::ram_json;
use super::texts;
use super::transcript::{Block, blocks};

/// A capture file: its name (as errors cite it) and its text.
pub struct CaptureFile<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// A statement that failed on the real side: its output starts `FAILED:` or `ERROR:`.
fn failure(block: &Block<'_>) -> Option<String> {
    let first = block.output.iter().find(|l| !l.text.trim().is_empty())?;
    let t = first.text.trim();
    (t.starts_with("FAILED:") || t.starts_with("ERROR:")).then(|| t.to_string())
}

/// The user a failed `GetLoginProfile` is about, when it failed because the user has no
/// console log-on (which is what it says of such a user, not a failure of the capture).
fn without_login_profile<'c>(command: &'c Command, block: &Block<'_>) -> Option<&'c str> {
    let Command::Ram {
        action: RamAction::GetLoginProfile,
        name: Some(user),
    } = command
    else {
        return None;
    };
    let code = crate::engine::code::Code::LoginProfileNotExist.as_str();
    block
        .output
        .iter()
        .any(|l| l.text.trim().strip_prefix("ErrorCode:").map(str::trim) == Some(code))
        .then_some(user.as_str())
}

/// Reads every file into one set of facts.
pub fn read_captures(files: &[CaptureFile<'_>]) -> Result<Facts, CaptureErrors> {
    let mut facts = Facts::default();
    let mut errors = Vec::new();
    for file in files {
        match blocks(file.name, file.text) {
            Ok(blocks) if blocks.is_empty() => {
                errors.push(CaptureError::new(
                    file.name,
                    1,
                    texts::EXPECTED_SOME_STATEMENT,
                ));
            }
            Ok(blocks) => read_file(file.name, &blocks, &mut facts, &mut errors),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(facts)
    } else {
        Err(CaptureErrors(errors))
    }
}

fn read_file(name: &str, blocks: &[Block<'_>], facts: &mut Facts, errors: &mut Vec<CaptureError>) {
    // The project statements without a project in their prompt are about: `use`, or whoami's.
    let mut current: Option<String> = None;
    for block in blocks {
        let mut r = Reader {
            file: name,
            errors: Vec::new(),
        };
        let Some(statement) = block.statement else {
            // A bare JSON document.
            if let Some(done) = ram_json::usual_list_users(name, block.line, &block.output, facts) {
                r.errors.extend(done.err());
                errors.extend(r.errors);
                continue;
            }
            match ram_json::document(name, block.line, &block.output) {
                Ok(v) => match ram_json::bare_action(&v) {
                    Some(action) => {
                        if let Err(e) = ram_json::read(name, block.line, action, None, &v, facts) {
                            r.errors.push(e);
                        }
                    }
                    None => r.expected(block.line, texts::EXPECTED_BARE_JSON),
                },
                Err(e) => r.errors.push(e),
            }
            errors.extend(r.errors);
            continue;
        };
        let Some(command) = recognise(statement) else {
            r.expected(block.line, texts::EXPECTED_STATEMENT);
            errors.extend(r.errors);
            continue;
        };
        if !block.project.is_empty() {
            current = Some(block.project.to_string());
        }
        if let Some(message) = failure(block) {
            if let Some(user) = without_login_profile(&command, block) {
                ram_json::no_login_profile(facts, user);
                continue;
            }
            facts.failed.push((
                format!("{name}:{}", block.line),
                statement.to_string(),
                message,
            ));
            continue;
        }
        read_block(&mut r, block, &command, &mut current, facts);
        errors.extend(r.errors);
    }
}

fn read_block(
    r: &mut Reader<'_>,
    block: &Block<'_>,
    command: &Command,
    current: &mut Option<String>,
    facts: &mut Facts,
) {
    let out = &block.output;
    match command {
        Command::Ram {
            action: RamAction::ListUsers,
            ..
        } => {
            if let Err(e) = ram_json::list_users(r.file, block.line, out, facts) {
                r.errors.push(e);
            }
            return;
        }
        Command::Ram { action, name } => {
            let name = name.as_deref();
            match ram_json::document(r.file, block.line, out)
                .and_then(|v| ram_json::read(r.file, block.line, *action, name, &v, facts))
            {
                Ok(()) => {}
                Err(e) => r.errors.push(e),
            }
            return;
        }
        Command::CallerIdentity => {
            match ram_json::document(r.file, block.line, out)
                .and_then(|v| ram_json::caller_identity(r.file, block.line, &v))
            {
                Ok(id) => facts.account_id = Some(id),
                Err(e) => r.errors.push(e),
            }
            return;
        }
        Command::Whoami => {
            let (name, endpoint, project) = odps::whoami(r, out);
            facts.caller = name.or(facts.caller.take());
            facts.endpoint = endpoint.or(facts.endpoint.take());
            if let Some(p) = project {
                if current.is_none() {
                    *current = Some(p.clone());
                }
                facts.project(&p);
            }
            return;
        }
        Command::Use(p) => {
            *current = Some(p.clone());
            facts.project(p);
            return;
        }
        _ => {}
    }
    let Some(project) = current.clone() else {
        r.expected(block.line, texts::EXPECTED_PROJECT_PROMPT);
        return;
    };
    let (p, names) = facts.project_and_principals(&project);
    match command {
        Command::ListUsers => odps::list_users(r, out, p, names),
        Command::ListRoles => odps::list_roles(r, out, p),
        Command::DescribeRole(role) => {
            odps::grant_report(r, out, &Subject::Role(role.clone()), p, names);
            p.role_members.entry(role.clone()).or_default();
        }
        Command::ShowGrantsFor(who) => grants_for(r, block, who, p, names),
        Command::ShowAcl(kind, name) => {
            let object = odps::acl_object(*kind, name);
            odps::grant_report(r, out, &Subject::Object(object), p, names);
        }
        Command::ShowSecurity => odps::security(r, out, p),
        Command::ShowTables => super::table_outputs::show_tables(r, out, p, names),
        Command::DescTable(t) => super::table_outputs::desc_table(r, out, t, p, names),
        Command::LabelGrantsOn(t) => super::table_outputs::label_grants_on(r, out, t, p, names),
        Command::LabelGrantsFor(who) => {
            let who = names.intern(who.clone());
            super::table_outputs::label_grants_for(r, out, who, p);
        }
        Command::GetPolicy(role) => {
            super::policy_outputs::policy(r, block.line, out, role.as_deref(), p)
        }
        Command::ListTrusted => odps::trusted(r, out, p),
        Command::ListProviders => odps::providers(r, out, p),
        Command::SetProject => odps::properties(r, out, p),
        Command::Whoami | Command::Use(_) | Command::Ram { .. } | Command::CallerIdentity => {}
    }
}

fn grants_for(
    r: &mut Reader<'_>,
    block: &Block<'_>,
    who: &Principal,
    p: &mut ProjectFacts,
    names: &mut Principals,
) {
    let who = names.intern(who.clone());
    odps::grant_report(r, &block.output, &Subject::User(who), p, names);
}
