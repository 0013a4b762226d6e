//! `odpsh diff A B`: the change set between two worlds, as the statements that take A to B.
//!
//! Worlds are compared by name, as statements name things: RAM users by log-on name, members and
//! grantees by the principal name each world shows (a residual member by its `p4_<uid>`),
//! roles, objects and projects by name. So a user deleted and created again under the same name
//! is the same user, and the output of `diff A B`, run on A, gives a world whose diff with B is
//! empty.
//!
//! The order never leaves a residual member: in every project first revoke (ACL, then roles),
//! then remove members, then drop roles and tables; then RAM removals (groups, policies, keys,
//! users; RAM roles' policies, then RAM roles); then RAM creations (RAM roles with their trust
//! policies among them); then in every project create (tables, roles), add members, grant
//! roles, grant ACL and change settings. A RAM role as a member is named in backquotes, as
//! MaxCompute writes it; a deleted one's `v4_<RoleId>` is a residual like `p4_<uid>`. What no statement can do (create a project, bring a
//! residual member back, choose an AccessKey's id) is a comment line of its own.

mod project;
mod ram;
mod ram_console;
mod ram_groups;
mod ram_policies;
pub mod texts;
mod view;

use serde_json::{Value, json};

use crate::world::World;

/// One step of a change set: what it changes, and the statement that does it (none when no
/// statement can).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub comment: String,
    pub statement: Option<String>,
}

/// The statements that take one world to another, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    pub changes: Vec<Change>,
}

impl ChangeSet {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub(crate) fn push(&mut self, comment: String, statement: String) {
        self.changes.push(Change {
            comment,
            statement: Some(statement),
        });
    }

    pub(crate) fn note(&mut self, comment: String) {
        self.changes.push(Change {
            comment,
            statement: None,
        });
    }

    /// Each change as `-- <what it changes>` and then its statement: a script odpsh (and
    /// odpscmd, for the project statements) runs.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for c in &self.changes {
            out.push_str("-- ");
            out.push_str(&c.comment);
            out.push('\n');
            if let Some(s) = &c.statement {
                out.push_str(s);
                out.push('\n');
            }
        }
        out
    }

    /// `{"equal": bool, "changes": [{"comment", "statement"}]}`.
    pub fn json(&self) -> Value {
        let changes: Vec<Value> = self
            .changes
            .iter()
            .map(|c| json!({ "comment": c.comment, "statement": c.statement }))
            .collect();
        json!({ "equal": self.is_empty(), "changes": changes })
    }
}

/// The change set that takes `a` to `b`.
pub fn diff(a: &World, b: &World) -> ChangeSet {
    let mut set = ChangeSet::default();
    if let (Some(x), Some(y)) = (a.account(a.home), b.account(b.home))
        && !x.login.eq_ignore_ascii_case(&y.login)
    {
        set.note(texts::account_differs(&x.login, &y.login));
    }
    let pairs = project::pairs(a, b, &mut set);
    for (pa, pb) in &pairs {
        project::exception_note(pa, pb, &mut set);
        project::policy_notes(pa, pb, &mut set);
    }
    let views: Vec<(view::ProjectView, view::ProjectView)> = pairs
        .iter()
        .map(|(pa, pb)| {
            let (ma, mb) = view::differing_members(a, pa, b, pb);
            (view::project(a, pa, ma), view::project(b, pb, mb))
        })
        .collect();
    for (va, vb) in &views {
        project::removals(va, vb, &mut set);
    }
    let ra = view::ram(a, b);
    let rb = view::ram(b, a);
    ram::removals(&ra, &rb, &mut set);
    ram::creations(&ra, &rb, &mut set);
    for (va, vb) in &views {
        project::creations(va, vb, &mut set);
    }
    set
}
