//! `odpsh check FILE` and `odpsh offboard USER [--run [--yes]]`: the teach layer from the
//! command line, over the saved world (or the default one with `--fresh`).

use std::io::{BufRead, IsTerminal};
use std::path::Path;
use std::process::ExitCode;

use crate::engine::{self, Session};
use crate::render::{self, FAILED_PREFIX};
use crate::store::{self, Store, Synced};
use crate::syntax::parse_user_ref;
use crate::teach::offboard::{self, Plan};
use crate::teach::{TeachError, check::check_with};
use crate::world::World;

use super::console::Console;
use super::{Args, EXIT_FAILED, EXIT_USAGE, FormatArg, report_store_error, session_for, texts};

/// Checks that the starting project can be used (and sets the actor from `-u/-p`).
fn start(world: &mut World, session: &mut Session) -> Result<(), String> {
    let statement = crate::syntax::Statement::Session(crate::syntax::SessionStatement::Use(
        session.project.clone(),
    ));
    match engine::execute(world, session, &statement) {
        Ok(_) => Ok(()),
        Err(f) => Err(render::failure(&f).stderr),
    }
}

/// The saved world (read without the lock: a save replaces the file whole), or the default.
pub(super) fn load(console: &mut Console, store: Option<&Store>, args: &Args) -> Option<World> {
    match store {
        Some(s) => match s.load() {
            Ok(world) => Some(world),
            Err(e) => {
                report_store_error(console, &e, args);
                None
            }
        },
        None => Some(store::builtin_world()),
    }
}

/// `odpsh check FILE`: 0 when clean, 1 when it found failures or hazards, 2 for usage
/// problems.
pub fn run_check(args: &Args, store: Option<&Store>, file: &Path) -> ExitCode {
    let mut console = Console::standard();
    let source = match super::source::read(super::source::Origin::File(file), args.encoding) {
        Ok(text) => text,
        Err(e) => {
            console.line(&e.to_string());
            return console.finish(EXIT_USAGE);
        }
    };
    let Some(mut world) = load(&mut console, store, args) else {
        return console.finish(EXIT_USAGE);
    };
    let mut session = session_for(&world, args);
    if let Err(text) = start(&mut world, &mut session) {
        console.failure(&text);
        console.line(&texts::check_cannot_start(&file.display().to_string()));
        return console.finish(EXIT_FAILED);
    }
    let mut progress = super::progress::Progress::new(super::progress::Progress::wanted(
        args.format() == FormatArg::Text,
        false,
    ));
    let report = check_with(world, session, &source, &mut |done, total| {
        progress.at(done, total)
    });
    progress.finish();
    let name = file.display().to_string();
    let text = match args.format() {
        FormatArg::Text => render::teach_check::report_text(&name, &report),
        FormatArg::Json => {
            let value = render::teach_check::report_value(&name, &report);
            format!("{}\n", render::json::pretty_text(&value))
        }
        FormatArg::Ndjson => {
            let value = render::teach_check::report_value(&name, &report);
            format!("{}\n", render::json::compact_text(&value))
        }
    };
    console.out(&text);
    console.finish(if report.is_clean() { 0 } else { EXIT_FAILED })
}

/// A JSON value as `--format json` (pretty) or `ndjson` (one line) prints it.
fn json_text(args: &Args, value: &serde_json::Value) -> String {
    match args.format() {
        FormatArg::Ndjson => format!("{}\n", render::json::compact_text(value)),
        _ => format!("{}\n", render::json::pretty_text(value)),
    }
}

fn failed(console: &mut Console, e: &TeachError) -> ExitCode {
    console.failure(&format!("{FAILED_PREFIX}{e}\n"));
    console.finish(EXIT_FAILED)
}

/// The plan for `user` in `world`, checked by a dry run.
fn make_plan(
    world: &World,
    session: &Session,
    user: &crate::syntax::UserRef,
) -> Result<(Plan, Option<TeachError>), TeachError> {
    let target = offboard::resolve_target(world, session, user)?;
    let plan = offboard::plan(world, session, &target);
    let would_fail = offboard::dry_run(world, session, &plan).err();
    Ok((plan, would_fail))
}

/// Asks `Confirm to "<typed>" (yes/no)? ` on stderr until yes or no; the end of input is no.
fn confirm(console: &mut Console, typed: &str) -> bool {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    loop {
        console.err(&texts::confirm_prompt(typed));
        console.flush();
        match lines.next() {
            Some(Ok(line)) => match texts::confirm_answer(&line) {
                Some(answer) => return answer,
                None => continue,
            },
            _ => return false,
        }
    }
}

/// `odpsh offboard USER [--run [--yes]]`.
pub fn run_offboard(
    args: &Args,
    store: Option<Store>,
    user_text: &str,
    run: bool,
    yes: bool,
) -> ExitCode {
    let mut console = Console::standard();
    let console = &mut console;
    let user = match parse_user_ref(user_text) {
        Ok(u) => u,
        Err(e) => {
            console.line(&texts::not_a_user(user_text, &e.to_string()));
            return console.finish(EXIT_USAGE);
        }
    };
    let (mut synced, mut world) = match store {
        Some(s) => match Synced::load(s) {
            Ok((synced, world)) => (Some(synced), world),
            Err(e) => {
                report_store_error(console, &e, args);
                return console.finish(EXIT_USAGE);
            }
        },
        None => (None, store::builtin_world()),
    };
    let mut session = session_for(&world, args);
    if let Err(text) = start(&mut world, &mut session) {
        console.failure(&text);
        return console.finish(EXIT_FAILED);
    }
    let (plan, would_fail) = match make_plan(&world, &session, &user) {
        Ok(p) => p,
        Err(e) => return failed(console, &e),
    };
    if args.format() == FormatArg::Text {
        console.out(&render::teach::plan_text(&plan));
        if let Some(e) = &would_fail {
            console.err(&render::teach::plan_would_fail(
                e,
                &format!("odpsh offboard {user_text} --run"),
            ));
        }
    } else if !run {
        let answer = crate::teach::Answer::Plan {
            plan: plan.clone(),
            would_fail: would_fail.clone(),
        };
        console.out(&json_text(args, &render::teach::answer_value(&answer)));
    }
    if !run {
        return console.finish(0);
    }
    if !plan.is_whole() {
        return failed(console, &TeachError::PlanNotShown { user: plan.user });
    }
    if let Some(e) = would_fail {
        return failed(console, &e);
    }
    if !yes {
        if !std::io::stdin().is_terminal() {
            console.line(texts::OFFBOARD_NEEDS_YES);
            return console.finish(EXIT_USAGE);
        }
        if !confirm(console, &texts::offboard_typed(user_text)) {
            console.line(texts::NOTHING_WAS_RUN);
            return console.finish(0);
        }
    }
    // The plan is out before the lock is waited for and the plan runs.
    console.flush();
    let report = match synced.as_mut() {
        None => offboard::run(&mut world, &mut session, &plan),
        Some(synced) => {
            let waiting = texts::waiting_for_lock(synced.store().path());
            let begun = synced.begin_announced(|| {
                console.err(&waiting);
                console.flush();
            });
            let mut txn = match begun {
                Ok(t) => t,
                Err(e) => {
                    console.line(&e.to_string());
                    return console.finish(EXIT_USAGE);
                }
            };
            match txn.newer() {
                Ok(Some(newer)) => {
                    if let Err(e) = txn.apply(newer, &mut world) {
                        console.line(&e.to_string());
                        return console.finish(EXIT_USAGE);
                    }
                    let mut fresh_session = session_for(&world, args);
                    let same = start(&mut world, &mut fresh_session).is_ok()
                        && make_plan(&world, &fresh_session, &user)
                            .is_ok_and(|(p, fail)| p == plan && fail.is_none());
                    if !same {
                        return failed(console, &TeachError::PlanChanged);
                    }
                    session = fresh_session;
                }
                Ok(None) => {}
                Err(e) => {
                    console.line(&e.to_string());
                    return console.finish(EXIT_USAGE);
                }
            }
            let report = offboard::run(&mut world, &mut session, &plan);
            // The plan's statements ran past any tape: the world is written whole.
            if let Err(e) = txn.commit(Some(&world), None) {
                console.err(&texts::change_not_saved(&e.to_string()));
                return console.finish(EXIT_USAGE);
            }
            report
        }
    };
    let clean_run = report.traces.is_empty() && report.steps.iter().all(|(_, o)| o.is_ok());
    if args.format() == FormatArg::Text {
        console.emit(&render::teach::run_text(&report));
    } else {
        let answer = crate::teach::Answer::Ran(report.clone());
        console.out(&json_text(args, &render::teach::answer_value(&answer)));
    }
    console.finish(if clean_run { 0 } else { EXIT_FAILED })
}
