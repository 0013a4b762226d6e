//! Properties of RAM roles and STS (issue 19), over generated worlds:
//! - a temporary credential never outlives its Expiration: it signs at every second before the
//!   `Expiration` AssumeRole answered, and at none from it on, whatever duration was asked for
//!   and however far the clock moves;
//! - a role's permissions never exceed its attached policies: whatever the RAM user who assumed
//!   it may do (here it holds AdministratorAccess), the credential may make a RAM call only when
//!   one of the role's own policies allows it.

use odpsh::engine::{self, Credentials, Failure, Session};
use odpsh::syntax::{Input, parse_input, split};
use odpsh::world::clock::iso8601;
use odpsh::world::{DEFAULT_PROJECT, PrincipalId, World};
use proptest::prelude::*;

/// System policies a role may be given, and the RAM calls each allows of the probes below.
const POLICIES: [&str; 4] = [
    "AliyunRAMReadOnlyAccess",
    "AliyunRAMFullAccess",
    "AliyunMaxComputeReadOnlyAccess",
    "AliyunDataWorksFullAccess",
];

/// RAM calls the credential tries, and which of the policies allow each.
const PROBES: [(&str, &[&str]); 4] = [
    (
        "aliyun ram ListUsers",
        &["AliyunRAMReadOnlyAccess", "AliyunRAMFullAccess"],
    ),
    (
        "aliyun ram GetUser --UserName scheduler",
        &["AliyunRAMReadOnlyAccess", "AliyunRAMFullAccess"],
    ),
    (
        "aliyun ram CreateGroup --GroupName g9",
        &["AliyunRAMFullAccess"],
    ),
    (
        "aliyun ram ListRoles",
        &["AliyunRAMReadOnlyAccess", "AliyunRAMFullAccess"],
    ),
];

/// Runs statements; the JSON of the last one's output, or why one failed.
fn run(
    world: &mut World,
    session: &mut Session,
    source: &str,
) -> Result<serde_json::Value, String> {
    let mut last = serde_json::Value::Null;
    for piece in split(source) {
        let Ok(Input::Statement(s)) = parse_input(&piece) else {
            return Err(format!("does not parse: {piece:?}"));
        };
        match engine::execute(world, session, &s) {
            Ok(engine::Output::Json(v)) => last = v,
            Ok(_) => last = serde_json::Value::Null,
            Err(Failure::Ram { error, .. }) => return Err(error.code().as_str().to_string()),
            Err(other) => return Err(format!("{other:?}")),
        }
    }
    Ok(last)
}

/// A world with a RAM user `scheduler` (AdministratorAccess and AliyunSTSAssumeRoleAccess) and
/// a role `etl` it may assume, holding `policies`; the session of the main account, and one of
/// scheduler's key.
fn setup(policies: &[usize], max_session: u64) -> (World, Session, Credentials) {
    let mut world = World::default_world();
    let mut main = Session::new(PrincipalId::Account(world.home), DEFAULT_PROJECT);
    let account = world.home;
    let mut script = format!(
        "aliyun ram CreateUser --UserName scheduler\n\
         aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AdministratorAccess --UserName scheduler\n\
         aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunSTSAssumeRoleAccess --UserName scheduler\n\
         aliyun ram CreateRole --RoleName etl --MaxSessionDuration {max_session} --AssumeRolePolicyDocument '{{\"Statement\":[{{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{{\"RAM\":[\"acs:ram::{account}:user/scheduler\"]}}}}],\"Version\":\"1\"}}'\n"
    );
    for p in policies {
        script.push_str(&format!(
            "aliyun ram AttachPolicyToRole --PolicyType System --PolicyName {} --RoleName etl\n",
            POLICIES[*p]
        ));
    }
    run(&mut world, &mut main, &script).expect("setup runs");
    let key = run(
        &mut world,
        &mut main,
        "aliyun ram CreateAccessKey --UserName scheduler",
    )
    .expect("a key for scheduler");
    let credentials = Credentials {
        access_key_id: key["AccessKey"]["AccessKeyId"]
            .as_str()
            .unwrap()
            .to_string(),
        secret: key["AccessKey"]["AccessKeySecret"]
            .as_str()
            .unwrap()
            .to_string(),
        security_token: None,
    };
    (world, main, credentials)
}

/// scheduler assumes etl for `duration` seconds (or the default); the STS credential and its
/// Expiration as answered.
fn assume(
    world: &mut World,
    scheduler: &Credentials,
    duration: Option<u64>,
) -> Result<(Credentials, String), String> {
    let mut session = Session::new(PrincipalId::Account(world.home), DEFAULT_PROJECT);
    session.credentials = Some(scheduler.clone());
    let arn = format!("acs:ram::{}:role/etl", world.home);
    let mut call = format!("aliyun sts AssumeRole --RoleArn {arn} --RoleSessionName nightly");
    if let Some(d) = duration {
        call.push_str(&format!(" --DurationSeconds {d}"));
    }
    let answer = run(world, &mut session, &call)?;
    let c = &answer["Credentials"];
    let text = |k: &str| c[k].as_str().unwrap_or_default().to_string();
    Ok((
        Credentials {
            access_key_id: text("AccessKeyId"),
            secret: text("AccessKeySecret"),
            security_token: Some(text("SecurityToken")),
        },
        text("Expiration"),
    ))
}

fn signs(world: &World, credentials: &Credentials) -> bool {
    engine::identity::authenticate(world, credentials).is_ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_token_never_outlives_its_expiration(
        max_session in prop_oneof![Just(3600u64), 3600u64..=43_200],
        duration in proptest::option::of(900u64..=43_200),
        steps in proptest::collection::vec(1u64..=2_000, 1..12),
    ) {
        let (mut world, _, scheduler) = setup(&[0], max_session);
        let answered = assume(&mut world, &scheduler, duration);
        let asked = duration.unwrap_or(3600);
        if asked > max_session {
            let refused = answered.err();
            prop_assert_eq!(refused.as_deref(), Some("InvalidParameter.DurationSeconds"));
            return Ok(());
        }
        let (credential, expiration) = answered.expect("AssumeRole within the role's longest session");
        prop_assert!(credential.access_key_id.starts_with("STS."));
        prop_assert_eq!(expiration, iso8601(world.clock.now + asked));
        let expires = world.clock.now + asked;
        for step in steps {
            // Every second up to the expiration signs; from it on, none does.
            world.clock.now += step;
            prop_assert_eq!(signs(&world, &credential), world.clock.now < expires);
        }
        world.clock.now = expires - 1;
        prop_assert!(signs(&world, &credential));
        world.clock.now = expires;
        prop_assert!(!signs(&world, &credential));
    }

    #[test]
    fn a_roles_permissions_never_exceed_its_attached_policies(
        policies in proptest::sample::subsequence(vec![0usize, 1, 2, 3], 0..=4),
    ) {
        let (mut world, _, scheduler) = setup(&policies, 3600);
        let (credential, _) = assume(&mut world, &scheduler, None).expect("AssumeRole");
        let held: Vec<&str> = policies.iter().map(|p| POLICIES[*p]).collect();
        for (call, allowed_by) in PROBES {
            let before = world.clone();
            let mut session = Session::new(PrincipalId::Account(world.home), DEFAULT_PROJECT);
            session.credentials = Some(credential.clone());
            let outcome = run(&mut world, &mut session, call);
            let may = allowed_by.iter().any(|p| held.contains(p));
            prop_assert_eq!(outcome.is_ok(), may, "{} with {:?}: {:?}", call, held, outcome);
            if !may {
                let refused = outcome.err();
                prop_assert_eq!(refused.as_deref(), Some("NoPermission"));
                prop_assert!(world == before, "a refused call changed the world");
            }
            world = before;
        }
    }
}
