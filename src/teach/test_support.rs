//! Worlds for the teach layer's tests, made by running statements through the real engine.

use crate::engine::{self, Session};
use crate::syntax::{Input, parse_input, split};
use crate::world::{PrincipalId, World};

/// The default world and the main account's session in its project.
pub fn fresh() -> (World, Session) {
    let world = World::default_world();
    let session = Session::new(
        PrincipalId::Account(world.home),
        crate::world::DEFAULT_PROJECT,
    );
    (world, session)
}

/// Runs every statement of `script`; panics when one fails (a test's setup must work).
pub fn run(world: &mut World, session: &mut Session, script: &str) {
    for piece in split(script) {
        let input = parse_input(&piece).unwrap_or_else(|e| panic!("{}: {e}", piece.body));
        let Input::Statement(statement) = input else {
            panic!("{}: not an engine statement", piece.body);
        };
        if let Err(f) = engine::execute(world, session, &statement) {
            panic!("{}: {f:?}", piece.body);
        }
    }
}

/// The default world after `script`.
pub fn world_after(script: &str) -> (World, Session) {
    let (mut world, mut session) = fresh();
    run(&mut world, &mut session, script);
    (world, session)
}

/// A RAM user with everything off-boarding has to undo: two projects (the second a DataWorks
/// workspace), roles in both, ACL grants (on a table, on one of its columns, on the project),
/// an active and an inactive AccessKey, console access, and two policies (one scoped to a
/// resource group).
pub const RICH_USER: &str = "\
aliyun ram CreateAccessKey
aliyun dataworks-public CreateProject --ProjectName team_a
aliyun ram CreateUser --UserName hanmeimei
aliyun ram CreateAccessKey --UserName hanmeimei
aliyun ram CreateAccessKey --UserName hanmeimei
aliyun ram UpdateAccessKey --UserName hanmeimei --UserAccessKeyId LTAI12IhN76kuP20ubBPivro --Status Inactive
aliyun ram CreateLoginProfile --UserName hanmeimei --Password S3cure!pw
aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunDataWorksFullAccess --UserName hanmeimei
aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunMaxComputeReadOnlyAccess --UserName hanmeimei --ResourceGroupId rg-aek2
create role worker;
add user RAM$MainCount:hanmeimei;
grant role_project_dev, worker to RAM$MainCount:hanmeimei;
aliyun dataworks-public CreateProjectMember --ProjectId 10001 --UserId 26529002128667957 --RoleCode role_project_admin
create table sales (id bigint, region string);
grant Select on table sales to user RAM$MainCount:hanmeimei;
grant Describe on table sales (region) to user RAM$hanmeimei;
grant List, CreateTable on project MaxCompute to user RAM$hanmeimei;
";
