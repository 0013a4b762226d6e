//! Every fix an explanation proposes is run before it is shown: on a scratch copy of the world
//! as the failure left it, in order, each line as the principal its comment names (the owner
//! or the main account for "run by the owner …", "run in <p> by its owner …", "as the main
//! account"; otherwise the identity that failed). A line that fails there is not shown. Where
//! the fixes are meant to let the failed statement through, the statement is run after them,
//! and when it still fails no line that changes the world is shown.

use crate::engine::{self, Session};
use crate::syntax::{Input, parse_input, split};
use crate::world::{PrincipalId, World};

use super::Context;

/// What checking the fixes found.
pub(super) struct Verified {
    /// The lines that ran, in their order (templates are kept as they are: there is nothing
    /// to run until the reader fills them in).
    pub lines: Vec<String>,
    /// Whether the failed statement succeeds after them (asked only when the fixes are meant
    /// to let it through).
    pub enables: Option<bool>,
}

/// Runs `lines` on a scratch copy of the failure's world; with `retry`, the failed statement
/// after them.
pub(super) fn verified(ctx: &Context<'_>, lines: Vec<String>, retry: bool) -> Verified {
    if !lines.iter().any(|l| !super::is_template(l)) {
        return Verified {
            lines,
            enables: None,
        };
    }
    let mut world = ctx.world.clone();
    let mut session = ctx.session.clone();
    let mut kept = Vec::new();
    let mut changed = Vec::new();
    for line in lines {
        if super::is_template(&line) {
            kept.push(line);
            continue;
        }
        if let Some(read_only) = run_line(ctx, &mut world, &mut session, &line) {
            changed.push(!read_only);
            kept.push(line);
        }
    }
    let enables = (retry && ctx.statement().is_some()).then(|| {
        let mut again = ctx.session.clone();
        again.project = session.project.clone();
        ctx.statement()
            .is_some_and(|s| engine::execute(&mut world, &mut again, s).is_ok())
    });
    if enables == Some(false) {
        // They would not let it through: only the lines that look are worth showing.
        let mut flags = changed.into_iter();
        kept.retain(|l| super::is_template(l) || flags.next().is_some_and(|c| !c));
    }
    Verified {
        lines: kept,
        enables,
    }
}

/// Who runs a line: the project owner (the main account) when its comment says so, else the
/// identity that failed; and the project it names with "run in <p>".
pub(super) fn runner(world: &World, comment: &str, session: &Session) -> Session {
    let mut runner = session.clone();
    let lowered = comment.to_ascii_lowercase();
    if let Some(rest) = lowered.split("run in ").nth(1)
        && let Some(project) = rest.split_whitespace().next()
    {
        runner.project = project.to_string();
    }
    if lowered.contains("owner") || lowered.contains("main account") {
        let owner = world
            .project(&runner.project)
            .map(|p| PrincipalId::Account(p.owner))
            .unwrap_or(PrincipalId::Account(world.home));
        runner.actor = owner;
        // The main account acts as itself, as the shell started without -u/-p does.
        runner.credentials = None;
    }
    runner
}

/// Runs the statements of `source` as `session`: whether they all ran, and all were read-only.
pub(super) fn run_as(world: &mut World, session: &mut Session, source: &str) -> Option<bool> {
    let mut read_only = true;
    for piece in split(source) {
        let input = parse_input(&piece).ok()?;
        read_only &= input.is_read_only();
        let Input::Statement(statement) = input else {
            // A lesson (explain;, who may …): it changes nothing.
            continue;
        };
        engine::execute(world, session, &statement).ok()?;
    }
    Some(read_only)
}

/// Runs one proposed line (its statements; its comment names the runner): whether it ran, and
/// whether it was read-only. The failed statement itself, shown masked, runs as typed.
fn run_line(
    ctx: &Context<'_>,
    world: &mut World,
    session: &mut Session,
    line: &str,
) -> Option<bool> {
    let (text, comment) = line.split_once("   --").unwrap_or((line, ""));
    let source = if text.trim_end() == crate::syntax::masked(ctx.typed.trim_end()) {
        ctx.typed
    } else {
        line
    };
    let mut as_whom = runner(world, comment, session);
    let by_the_actor = as_whom.actor == session.actor;
    let read_only = run_as(world, &mut as_whom, source)?;
    if by_the_actor {
        // `use` and `login` by the identity that failed carry on to the next line.
        *session = as_whom;
    }
    Some(read_only)
}
