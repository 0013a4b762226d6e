//! Properties over generated input: the parser never panics on any text, printing a parsed
//! statement and parsing it again gives the same statement, and a statement that fails leaves
//! the world exactly as it was (while any sequence of statements never panics). The generated
//! statements cover users and roles, objects, ACL grants and the security settings.

use odpsh::engine::{self, Session};
use odpsh::syntax::{Statement, parse_piece, parse_statement, split};
use odpsh::world::{PrincipalId, World};
use proptest::prelude::*;

#[path = "strategies/mod.rs"]
mod strategies;

use strategies::statement_text;

fn fresh() -> (World, Session) {
    let world = World::default_world();
    let session = Session::new(PrincipalId::Account(world.home), "MaxCompute");
    (world, session)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_splits_and_parses_without_panicking(text in "\\PC{0,200}") {
        for piece in split(&text) {
            let _ = parse_piece(&piece);
        }
    }

    #[test]
    fn any_line_of_statement_characters_parses_without_panicking(
        text in "[a-zA-Z0-9_$:`'\";, ()=\\-\\n/@.]{0,120}"
    ) {
        for piece in split(&text) {
            let _ = parse_piece(&piece);
        }
    }

    #[test]
    fn a_parsed_statement_prints_back_as_text_that_parses_to_it(text in statement_text()) {
        let pieces = split(&text);
        prop_assert_eq!(pieces.len(), 1);
        if let Ok(statement) = parse_piece(&pieces[0])
            && !matches!(statement, Statement::Console(_))
        {
            let printed = statement.to_string();
            prop_assert_eq!(parse_statement(&printed), Ok(statement), "printed as {}", printed);
        }
    }

    #[test]
    fn a_failed_statement_leaves_the_world_as_it_was(
        script in prop::collection::vec(statement_text(), 1..40)
    ) {
        let (mut world, mut session) = fresh();
        for text in &script {
            for piece in split(text) {
                let Ok(statement) = parse_piece(&piece) else { continue };
                let before = world.clone();
                let outcome = engine::execute(&mut world, &mut session, &statement);
                if outcome.is_err() {
                    prop_assert_eq!(&world, &before, "{} changed the world and failed", text);
                }
                if statement.is_read_only() {
                    prop_assert_eq!(&world, &before, "{} is read-only but changed the world", text);
                }
            }
        }
    }
}
