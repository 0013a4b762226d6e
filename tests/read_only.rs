//! Statements marked read-only are not saved (scripts and the interactive shell skip the save,
//! and the shell's next statement may reload the file): so they must change nothing. Every
//! kind of statement and console command, read-only or not, against a world with something
//! in it.

use odpsh::engine::{self, Session};
use odpsh::syntax::{parse_piece, split};
use odpsh::world::{PrincipalId, World};

const SCRIPT: &str = "\
aliyun ram CreateUser --UserName hanmeimei
aliyun ram CreateAccessKey --UserName hanmeimei
aliyun ram CreateLoginProfile --UserName hanmeimei --Password Passw0rd!23
aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunRAMReadOnlyAccess --UserName hanmeimei
aliyun ram CreateAccessKey
create role lab_role;
add user RAM$MainCount:hanmeimei;
grant lab_role to RAM$MainCount:hanmeimei;
aliyun ram GetUser --UserName hanmeimei
aliyun ram ListUsers
aliyun ram GetLoginProfile --UserName hanmeimei
aliyun ram ListAccessKeys --UserName hanmeimei
aliyun ram ListPoliciesForUser --UserName hanmeimei
aliyun ram ListPolicies
aliyun ram GetSecurityPreference
aliyun ram GetAccountAlias
aliyun ims GetDefaultDomain
aliyun dataworks-public ListProjectMembers --ProjectId 10000
aliyun console HandOver --UserName hanmeimei
list users;
list roles;
describe role lab_role;
whoami;
setproject;
show matrix;
show matrix for table;
use MaxCompute;
use nosuch;
login LTAI00000000000000000000 wrong;
quit;
";

#[test]
fn a_read_only_statement_changes_nothing() {
    let mut world = World::default_world();
    let mut session = Session::new(PrincipalId::Account(world.home), "MaxCompute");
    let mut read_only = 0;
    for piece in split(SCRIPT) {
        let statement = parse_piece(&piece).unwrap_or_else(|e| panic!("{}: {e:?}", piece.body));
        let before = world.clone();
        let outcome = engine::execute(&mut world, &mut session, &statement);
        if statement.is_read_only() {
            read_only += 1;
            assert_eq!(world, before, "{} changed the world", piece.body);
        } else {
            assert!(outcome.is_ok(), "{}: {outcome:?}", piece.body);
        }
    }
    assert_eq!(read_only, 22);
}
