//! What every statement family answers about its statements, in its own module: the questions
//! the shell, `check` and `odpsh serve` ask of a statement without running it. A family is one
//! unit across the layers (DESIGN.md, "Families"): its grammar section, its syntax module (the
//! statements' AST, their canonical text, their parsers and these answers), its engine module
//! and its world state. Only the families' modules and the one dispatcher in `ast.rs` match
//! their statements.

use super::ast::PrincipalName;

/// Someone a statement can change (membership, grants, console access, policies, the RAM user
/// itself), named as the statement names it; `check` resolves the names against the world.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Affected<'a> {
    /// A principal named in a MaxCompute statement.
    Principal(&'a PrincipalName),
    /// A RAM user of the caller's account, by name (`--UserName`).
    RamUserNamed(&'a str),
    /// A RAM user by its UserId (`--UserId` of DataWorks).
    RamUserId(&'a str),
    /// The caller itself (a console call about the caller's own user).
    Caller,
}

/// The questions every family answers for its statements.
pub trait Family {
    /// Whether the service takes it as a security query (odpscmd's AuthorizationCommand and
    /// `whoami`, sent to `/projects/<p>/authorization`); `odpsh serve` accepts only these.
    fn is_security_query(&self) -> bool;

    /// Whether it changes nothing anywhere (a script that ran only these saves nothing).
    fn is_read_only(&self) -> bool;

    /// Whether the interactive shell asks `Confirm to "…" (yes/no)?` before it runs (`drop`,
    /// `delete` and `remove` statements, as odpscmd does).
    fn asks_confirmation(&self) -> bool {
        false
    }

    /// Whether it carries a secret (an AccessKey secret, a password): such text is shown only
    /// masked (`syntax::secrets`).
    fn carries_secret(&self) -> bool {
        false
    }

    /// Whom it can change, for `check`.
    fn affects(&self) -> Vec<Affected<'_>> {
        Vec::new()
    }
}
