//! The line editor's helper: `;`-aware completeness, and completion in context (see
//! [`super::completion`]), from names kept up to date with the saved world.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use crate::engine::Session;
use crate::store::{Fingerprint, Store};
use crate::syntax::is_complete;

pub use super::completion::Vocabulary;

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
        let input = ctx.input();
        if self.confirming.get() || is_complete(input) || super::texts::lone_word(input).is_some() {
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
    use crate::world::{DEFAULT_ACCOUNT_ID, DEFAULT_PROJECT, PrincipalId, World};

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
