//! Authorization semantics through `execute`: residual principals in every view, grants kept
//! by id across removal, renames and role re-creation, and properties: a statement that fails
//! leaves the world exactly as it was, and a principal nobody let in gains nothing.

use proptest::prelude::*;

use super::test_support::Fixture;
use super::*;

fn lines(output: Output) -> String {
    let rendered = crate::render::output(&output);
    format!("{}{}", rendered.stderr, rendered.stdout)
}

/// The default world with a developer and a guest, and a table `t` created by the developer.
fn setup() -> Fixture {
    let mut f = Fixture::new();
    for name in ["dev", "guest", "outsider"] {
        f.ok(&format!("aliyun ram CreateUser --UserName {name}"));
    }
    f.ok("add user RAM$dev;");
    f.ok("add user RAM$guest;");
    f.ok("grant role_project_dev to RAM$dev;");
    f.ok("grant role_project_guest to RAM$guest;");
    f.act_as("dev");
    f.ok("create table t (id bigint, phone string);");
    f.session.actor = PrincipalId::Account(crate::world::DEFAULT_ACCOUNT_ID);
    f
}

#[test]
fn a_deleted_ram_user_shows_as_p4_in_every_view() {
    let mut f = setup();
    f.ok("create role analyst;");
    f.ok("grant Select on table t to user RAM$guest;");
    f.ok("grant analyst to RAM$guest;");
    let guest = format!("p4_{}", f.uid_of("guest"));
    let dev = format!("p4_{}", f.uid_of("dev"));
    f.ok("aliyun console DeleteUser --UserName guest");
    f.ok("aliyun console DeleteUser --UserName dev");
    let acl = lines(f.ok("show acl for t;"));
    assert!(
        acl.contains(&format!("AG\tobject_creator/{dev}: All")),
        "{acl}"
    );
    assert!(
        acl.contains(&format!("A\tuser/{guest}(acs:odps:*:")),
        "{acl}"
    );
    assert!(lines(f.ok("show tables;")).contains(&format!("{dev}:t")));
    assert!(lines(f.ok("describe role analyst;")).contains(&guest));
    assert_eq!(
        lines(f.ok("show principals analyst;")),
        format!("{guest}\n")
    );
    assert_eq!(
        f.failed(&format!("show grants for {guest};")),
        "lack of account provider"
    );
}

#[test]
fn grants_follow_the_principal_not_its_name() {
    let mut f = setup();
    f.ok("grant Select on table t to user RAM$guest;");
    f.ok("aliyun ram UpdateUser --UserName guest --NewUserName visitor");
    let shown = lines(f.ok("show grants for RAM$visitor;"));
    assert!(
        shown.contains("[user/RAM$MainCount:visitor]\nA\tprojects/MaxCompute/tables/t: Select\n"),
        "{shown}"
    );
    f.ok("revoke role_project_guest from RAM$visitor;");
    f.ok("remove user RAM$visitor;");
    assert!(lines(f.ok("show grants for RAM$visitor;")).contains("tables/t: Select"));
    f.act_as("visitor");
    assert!(
        f.failed("desc t;")
            .contains("You don't exist in project MaxCompute")
    );
}

#[test]
fn a_dropped_role_leaves_its_grants_to_the_next_role_of_its_name() {
    let mut f = setup();
    f.ok("create role r;");
    f.ok("grant Describe on table t to role r;");
    f.ok("drop role r;");
    assert_eq!(
        f.failed("show grants for role r;"),
        "Role does not exist: r"
    );
    f.ok("create role R;");
    assert!(lines(f.ok("show grants for role r;")).contains("tables/t: Describe"));
}

#[test]
fn dropping_a_table_revokes_its_grants_and_the_creator_loses_it() {
    let mut f = setup();
    f.ok("grant Select on table t (phone) to user RAM$guest;");
    f.act_as("dev");
    assert!(lines(f.ok("show grants;")).contains("AG\tprojects/MaxCompute/tables/t: All"));
    f.ok("drop table t;");
    assert!(!lines(f.ok("show grants;")).contains("tables/t"));
    f.ok("create table t (phone string);");
    f.session.actor = PrincipalId::Account(crate::world::DEFAULT_ACCOUNT_ID);
    assert!(!lines(f.ok("show acl for t;")).contains("user/"));
}

#[test]
fn the_guest_reads_metadata_and_the_developer_creates_tables() {
    let mut f = setup();
    f.act_as("guest");
    assert!(lines(f.ok("show tables;")).contains(":t"));
    f.ok("desc t;");
    let refused = f.failed("create table g (id bigint);");
    assert!(refused.contains("'odps:CreateInstance'"), "{refused}");
    assert!(refused.contains("[permission matrix row 21: "), "{refused}");
    f.act_as("dev");
    f.ok("create table d (id bigint);");
    f.act_as("outsider");
    assert_eq!(
        f.failed("show tables;"),
        "ODPS-0420095: Access Denied - You don't exist in project MaxCompute."
    );
}

const ACTORS: [&str; 4] = ["owner", "dev", "guest", "outsider"];

const STATEMENTS: &[&str] = &[
    "create table t (id bigint, phone string);",
    "create table t2 (id bigint);",
    "create table t2 (id bigint, id bigint);",
    "drop table t2;",
    "drop table if exists t2;",
    "select * from t;",
    "select phone from t2;",
    "insert into table t2 select id from t;",
    "desc t2;",
    "show tables;",
    "grant Select on table t2 to user RAM$guest;",
    "grant Select on table t (phone) to role r;",
    "grant Describe on table t to role r privilegeproperties(\"expires\"=\"0\");",
    "grant Describe on table t to role r privilegeproperties(\"expires\"=\"x\");",
    "revoke Select on table t2 from user RAM$guest;",
    "grant Select on table t to user RAM$outsider;",
    "clear expired grants;",
    "create role r;",
    "drop role r;",
    "grant r to RAM$guest;",
    "revoke r from RAM$guest;",
    "remove user RAM$guest;",
    "add user RAM$guest;",
    "add jar a.jar;",
    "add jar a.jar -f;",
    "drop resource a.jar;",
    "create function f as 'C' using 'a.jar';",
    "drop function f;",
    "set ProjectProtection=true;",
    "set CheckPermissionUsingAcl=false;",
    "set CheckPermissionUsingAcl=true;",
    "set ObjectCreatorHasAccessPermission=false;",
    "set LabelSecurity=maybe;",
    "add trustedproject MaxCompute;",
    "remove trustedproject nosuch;",
    "remove accountprovider ram;",
    "add accountprovider ram;",
    "remove accountprovider aliyun;",
    "show grants for RAM$guest;",
    "show acl for t;",
    "desc instance nosuch;",
    "aliyun ram CreateAccessKey",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_failed_statement_changes_nothing(
        steps in proptest::collection::vec((0..ACTORS.len(), 0..STATEMENTS.len()), 1..40)
    ) {
        let mut f = setup();
        for (actor, statement) in steps {
            match ACTORS[actor] {
                "owner" => {
                    f.session.actor = PrincipalId::Account(crate::world::DEFAULT_ACCOUNT_ID);
                }
                name => f.act_as(name),
            }
            let before = f.world.clone();
            if f.run(STATEMENTS[statement]).is_err() {
                prop_assert_eq!(&f.world, &before, "{} as {}", STATEMENTS[statement], ACTORS[actor]);
            }
        }
        // Nothing in the pool lets the outsider in, so no path may give it anything.
        f.act_as("outsider");
        for probe in ["select * from t;", "desc t;", "show grants;", "add jar b.jar;"] {
            prop_assert!(f.run(probe).is_err(), "{} succeeded for the outsider", probe);
        }
    }
}
