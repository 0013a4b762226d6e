//! Properties over generated input: the parser never panics on any text, printing a parsed
//! statement and parsing it again gives the same statement, and a statement that fails leaves
//! the world exactly as it was (while any sequence of statements never panics).

use odpsh::engine::{self, Session};
use odpsh::syntax::{Statement, parse_piece, parse_statement, split};
use odpsh::world::{PrincipalId, World};
use proptest::prelude::*;

/// Names drawn from a small pool, so that generated statements often meet existing things.
fn user() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("hanmeimei".to_string()),
        Just("lilei".to_string()),
        Just("bob".to_string()),
        "[a-z][a-z0-9._-]{0,6}",
    ]
}

fn role() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("admin".to_string()),
        Just("super_administrator".to_string()),
        Just("role_project_dev".to_string()),
        Just("role_project_guest".to_string()),
        Just("worker".to_string()),
        "[a-zA-Z][a-zA-Z0-9_]{0,6}",
    ]
}

fn principal() -> impl Strategy<Value = String> {
    prop_oneof![
        user().prop_map(|u| format!("RAM$MainCount:{u}")),
        user().prop_map(|u| format!("RAM${u}")),
        Just("ALIYUN$MainCount".to_string()),
        Just("ALIYUN$5527380164285788".to_string()),
        "[0-9]{1,5}".prop_map(|d| format!("p4_2652900{d}")),
        user().prop_map(|u| format!("LDAP${u}")),
        user().prop_map(|u| format!("`RAM$MainCount:role/{u}`")),
    ]
}

fn roles() -> impl Strategy<Value = String> {
    prop::collection::vec(role(), 1..4).prop_map(|r| r.join(", "))
}

/// A plausible statement or console command, as a user would type it.
fn statement_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("list users;".to_string()),
        Just("list roles;".to_string()),
        Just("whoami;".to_string()),
        principal().prop_map(|p| format!("add user {p};")),
        principal().prop_map(|p| format!("remove user {p};")),
        role().prop_map(|r| format!("create role {r};")),
        role().prop_map(|r| format!("drop role {r};")),
        role().prop_map(|r| format!("describe role {r};")),
        (roles(), principal()).prop_map(|(r, p)| format!("grant {r} to {p};")),
        (roles(), principal()).prop_map(|(r, p)| format!("revoke {r} from user {p};")),
        user().prop_map(|u| format!("aliyun ram CreateUser --UserName {u}\n")),
        user().prop_map(|u| format!("aliyun ram DeleteUser --UserName {u}\n")),
        user().prop_map(|u| format!("aliyun console DeleteUser --UserName {u}\n")),
        user().prop_map(|u| format!("aliyun ram CreateAccessKey --UserName {u}\n")),
        user().prop_map(|u| format!(
            "aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AdministratorAccess --UserName {u}\n"
        )),
        user().prop_map(|u| format!("aliyun ram CreateLoginProfile --UserName {u} --Password Aa1!aaaa\n")),
        (user(), role()).prop_map(|(u, r)| format!(
            "aliyun dataworks-public CreateProjectMember --ProjectId 10000 --UserId {u} --RoleCode {r}\n"
        )),
        Just("use MaxCompute;".to_string()),
        Just("setproject odps.sql.allow.fullscan=true;".to_string()),
        "[a-z]{1,8}".prop_map(|p| format!("use {p};")),
        "login LTAI[a-zA-Z0-9]{4} [a-z]{3};",
    ]
}

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
