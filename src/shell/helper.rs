//! The line editor's helper: `;`-aware completeness, and completion of keywords, role names and
//! member names.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use crate::engine::Session;
use crate::engine::names::{account_of, display};
use crate::store::{Fingerprint, Store};
use crate::syntax::{Api, is_complete};
use crate::teach::sight::Sight;
use crate::world::World;

/// Statement words the shell completes everywhere.
pub const KEYWORDS: &[&str] = &[
    "accountprovider",
    "accountproviders",
    "acl",
    "add",
    "aliyun",
    "archive",
    "clear",
    "create",
    "desc",
    "describe",
    "do",
    "drop",
    "exists",
    "expired",
    "explain",
    "file",
    "for",
    "from",
    "function",
    "functions",
    "grant",
    "grants",
    "insert",
    "instance",
    "instances",
    "into",
    "jar",
    "label",
    "labels",
    "limit",
    "list",
    "login",
    "matrix",
    "may",
    "offboard",
    "overwrite",
    "principals",
    "privilegeproperties",
    "project",
    "py",
    "quit",
    "remove",
    "resource",
    "resources",
    "revoke",
    "role",
    "roles",
    "run",
    "select",
    "set",
    "setproject",
    "show",
    "table",
    "tables",
    "to",
    "trustedproject",
    "trustedprojects",
    "type",
    "use",
    "user",
    "users",
    "using",
    "what",
    "who",
    "whoami",
    "SecurityConfiguration",
    "ALIYUN$",
    "RAM$",
];

/// Every word completion offers before the world's names: the statement words, and the console
/// commands' products, actions and `--Parameter`s from the console grammar.
fn fixed_words() -> Vec<String> {
    let mut words: Vec<String> = KEYWORDS.iter().map(|k| k.to_string()).collect();
    for api in Api::all() {
        words.push(api.product().cli_name().to_string());
        words.push(api.name().to_string());
        words.extend(api.params().iter().map(|(p, _)| format!("--{}", p.name())));
    }
    words.sort();
    words.dedup();
    words
}

/// Names worth completing, taken from the world after each statement.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Vocabulary {
    pub names: Vec<String>,
}

/// At most this many member and user names are offered (large worlds stay responsive).
const NAME_LIMIT: usize = 20_000;

impl Vocabulary {
    /// Role names of the current project, its members, and the account's RAM users: each only
    /// when the acting identity may list them (`list roles`, `list users`, `aliyun ram
    /// ListUsers`), so completion tells nobody more than the statements would.
    pub fn of(world: &World, session: &Session) -> Self {
        let sight = Sight::of(world, session);
        let mut names: Vec<String> = Vec::new();
        if let Some(project) = world.project(&session.project) {
            if sight.roles(project) {
                names.extend(project.role_names().map(str::to_string));
            }
            if sight.members(project) {
                names.extend(
                    project
                        .members()
                        .take(NAME_LIMIT)
                        .map(|id| display(world, id)),
                );
            }
        }
        let account = account_of(world, session.actor).and_then(|a| world.account(a));
        if let Some(account) = account.filter(|_| sight.ram_users()) {
            // The first users in memory, not all of them sorted: this runs after every
            // statement, and a world may hold a million users.
            names.extend(
                account
                    .users()
                    .take(NAME_LIMIT)
                    .map(|u| format!("RAM${}:{}", account.login, u.name())),
            );
        }
        names.sort_unstable();
        names.dedup();
        Vocabulary { names }
    }

    /// Completions for the word that ends the text `before`: where it starts, and candidates.
    pub fn complete(&self, before: &str) -> (usize, Vec<String>) {
        // The word starts after the last separator: the separator's byte index plus its own
        // length, since a space may be several bytes (U+3000, U+00A0).
        let start = before
            .char_indices()
            .rev()
            .find(|&(_, c)| c.is_whitespace() || matches!(c, ',' | ';' | '(' | '`'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let prefix = before[start..].to_ascii_lowercase();
        if prefix.is_empty() {
            return (start, Vec::new());
        }
        let mut found: Vec<String> = fixed_words()
            .into_iter()
            .chain(self.names.iter().cloned())
            .filter(|c| c.to_ascii_lowercase().starts_with(&prefix) && c.len() > prefix.len())
            .collect();
        found.sort();
        found.dedup();
        (start, found)
    }
}

/// Where completion reads the world's names again when another process saved it since.
pub struct LiveWorld {
    pub store: Store,
    pub session: Session,
    /// The version of the file the vocabulary was taken from (`None`: no file).
    pub seen: Option<Fingerprint>,
}

/// The rustyline helper of the interactive shell.
#[derive(Default)]
pub struct ShellHelper {
    pub vocabulary: Rc<RefCell<Vocabulary>>,
    /// While a confirmation is asked, any line is complete.
    pub confirming: Cell<bool>,
    /// The saved world, for names other processes added while this shell was idle.
    pub live: RefCell<Option<LiveWorld>>,
}

impl ShellHelper {
    /// Takes the names from the saved world again if another process changed it. Reading needs
    /// no lock (a save replaces the file whole); a file that cannot be read changes nothing.
    fn refresh_if_changed(&self) {
        let mut live = self.live.borrow_mut();
        let Some(live) = live.as_mut() else {
            return;
        };
        if let Ok(Some((world, seen))) = live.store.load_if_changed(live.seen) {
            *self.vocabulary.borrow_mut() = Vocabulary::of(&world, &live.session);
            live.seen = seen;
        }
    }
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        if self.confirming.get() {
            return Ok((pos, Vec::new()));
        }
        // rustyline gives a char boundary; anything else completes nothing rather than panics.
        let Some(before) = line.get(..pos) else {
            return Ok((pos, Vec::new()));
        };
        self.refresh_if_changed();
        let (start, words) = self.vocabulary.borrow().complete(before);
        // A single candidate completes the word and moves on past it, as shells do; a
        // provider prefix (`RAM$`) waits for the name that follows it.
        let unique = words.len() == 1;
        let pairs = words
            .into_iter()
            .map(|w| {
                let replacement = if unique && !w.ends_with('$') {
                    format!("{w} ")
                } else {
                    w.clone()
                };
                Pair {
                    display: w,
                    replacement,
                }
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;
}

impl Highlighter for ShellHelper {}

impl Validator for ShellHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        if self.confirming.get() || is_complete(ctx.input()) {
            Ok(ValidationResult::Valid(None))
        } else {
            Ok(ValidationResult::Incomplete)
        }
    }
}

impl Helper for ShellHelper {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::{DEFAULT_ACCOUNT_ID, DEFAULT_PROJECT, PrincipalId};

    #[test]
    fn completes_keywords_roles_and_users() {
        let world = World::default_world();
        let session = Session::new(PrincipalId::Account(DEFAULT_ACCOUNT_ID), DEFAULT_PROJECT);
        let v = Vocabulary::of(&world, &session);
        assert_eq!(
            v.complete("gr"),
            (0, vec!["grant".to_string(), "grants".to_string()])
        );
        assert_eq!(
            v.complete("wh"),
            (
                0,
                vec!["what".to_string(), "who".to_string(), "whoami".to_string()]
            )
        );
        assert_eq!(v.complete("offb"), (0, vec!["offboard".to_string()]));
        assert_eq!(
            v.complete("grant role_project_d"),
            (
                6,
                vec![
                    "role_project_deploy".to_string(),
                    "role_project_dev".to_string()
                ]
            )
        );
        assert_eq!(
            v.complete("revoke admin, super"),
            (14, vec!["super_administrator".to_string()])
        );
        assert_eq!(v.complete("list "), (5, vec![]));
        assert_eq!(
            v.complete("aliyun ram CreateAcc"),
            (11, vec!["CreateAccessKey".to_string()])
        );
        assert_eq!(
            v.complete("aliyun ram GetUser --User"),
            (
                19,
                vec![
                    "--UserAccessKeyId".to_string(),
                    "--UserId".to_string(),
                    "--UserName".to_string(),
                ]
            )
        );
    }

    /// Finding 6 of issue 12, for completion: a guest is offered no names it may not list.
    #[test]
    fn completion_offers_a_guest_no_names_it_may_not_list() {
        let mut world = World::default_world();
        let owner = PrincipalId::Account(DEFAULT_ACCOUNT_ID);
        let mut session = Session::new(owner, DEFAULT_PROJECT);
        for text in [
            "aliyun ram CreateUser --UserName guest",
            "aliyun ram CreateUser --UserName hidden",
            "add user RAM$MainCount:guest",
            "add user RAM$MainCount:hidden",
            "grant role_project_guest to RAM$MainCount:guest",
            "create role secret_team",
        ] {
            let piece = &crate::syntax::split(text)[0];
            let statement = crate::syntax::parse_piece(piece).unwrap();
            crate::engine::execute(&mut world, &mut session, &statement).unwrap();
        }
        let owner_sees = Vocabulary::of(&world, &session);
        assert!(owner_sees.names.contains(&"secret_team".to_string()));
        assert!(
            owner_sees
                .names
                .contains(&"RAM$MainCount:hidden".to_string())
        );
        let (_, guest) = world
            .account(DEFAULT_ACCOUNT_ID)
            .and_then(|a| a.user_named("guest").map(|u| (a, u.uid)))
            .unwrap();
        let guest_sees = Vocabulary::of(
            &world,
            &Session::new(PrincipalId::RamUser(guest), DEFAULT_PROJECT),
        );
        assert_eq!(guest_sees.names, Vec::<String>::new());
        assert_eq!(guest_sees.complete("grant secret_"), (6, vec![]));
        // Keywords are still offered.
        assert_eq!(guest_sees.complete("whoa"), (0, vec!["whoami".to_string()]));
    }

    /// Finding 1 of issue 12: a space of several bytes before the word made Tab panic.
    #[test]
    fn tab_after_a_multibyte_space_does_not_panic() {
        let world = World::default_world();
        let session = Session::new(PrincipalId::Account(DEFAULT_ACCOUNT_ID), DEFAULT_PROJECT);
        let v = Vocabulary::of(&world, &session);
        // Ideographic, no-break, en quad, em space, narrow no-break, line separator, ogham.
        for space in [
            '\u{3000}', '\u{a0}', '\u{2000}', '\u{2003}', '\u{202f}', '\u{2028}', '\u{1680}',
        ] {
            let line = format!("list{space}user");
            let start = "list".len() + space.len_utf8();
            assert_eq!(
                v.complete(&line),
                (start, vec!["users".to_string()]),
                "{line:?}"
            );
            let line = format!("grant{space}role_project_gu");
            assert_eq!(
                v.complete(&line).1,
                vec!["role_project_guest".to_string()],
                "{line:?}"
            );
        }
        // Through the line editor's entry point, at the end and inside a multi-byte char.
        let helper = ShellHelper::default();
        *helper.vocabulary.borrow_mut() = v;
        let history = rustyline::history::DefaultHistory::new();
        let ctx = Context::new(&history);
        let line = "list\u{3000}user";
        let (start, pairs) = helper.complete(line, line.len(), &ctx).unwrap();
        assert_eq!(start, "list\u{3000}".len());
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].replacement, "users ");
        let (_, pairs) = helper.complete(line, "list".len() + 1, &ctx).unwrap();
        assert!(pairs.is_empty());
    }

    proptest::proptest! {
        /// The completer never panics, whatever the line and wherever the cursor.
        #[test]
        fn completion_never_panics(line in "\\PC{0,24}", cut in 0usize..32) {
            let world = World::default_world();
            let session = Session::new(PrincipalId::Account(DEFAULT_ACCOUNT_ID), DEFAULT_PROJECT);
            let helper = ShellHelper::default();
            *helper.vocabulary.borrow_mut() = Vocabulary::of(&world, &session);
            let history = rustyline::history::DefaultHistory::new();
            let ctx = Context::new(&history);
            let boundaries: Vec<usize> =
                line.char_indices().map(|(i, _)| i).chain([line.len()]).collect();
            let pos = boundaries[cut % boundaries.len()];
            let (start, _) = helper.complete(&line, pos, &ctx).unwrap();
            proptest::prop_assert!(start <= pos && line.is_char_boundary(start));
        }
    }
}
