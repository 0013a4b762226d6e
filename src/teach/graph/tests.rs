use super::*;
use crate::teach::test_support::{RICH_USER, world_after};

/// Seed 004's story up to the wrong deletion.
const SEED_BEFORE: &str = "\
aliyun ram CreateUser --UserName hanmeimei --DisplayName HanMeimei
aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AdministratorAccess --UserName hanmeimei
add user RAM$MainCount:hanmeimei;
grant role_project_dev to RAM$MainCount:hanmeimei;
create table sales (id bigint);
grant Select on table sales to user RAM$MainCount:hanmeimei;
";

fn ids(graph: &Graph, kind: NodeKind) -> Vec<&str> {
    graph
        .nodes
        .iter()
        .filter(|n| n.kind == kind)
        .map(|n| n.id.as_str())
        .collect()
}

fn risky(graph: &Graph, risk: Risk) -> Vec<&str> {
    graph
        .nodes
        .iter()
        .filter(|n| n.risk == Some(risk))
        .map(|n| n.label.as_str())
        .collect()
}

#[test]
fn the_seed_story_draws_the_member_and_its_grants() {
    let (world, _) = world_after(SEED_BEFORE);
    let graph = build(&world, None).unwrap();
    assert_eq!(
        ids(&graph, NodeKind::Member),
        ["member:maxcompute:p4_26529006289714283"]
    );
    let member = graph
        .node("member:maxcompute:p4_26529006289714283")
        .unwrap();
    assert_eq!(member.label, "RAM$MainCount:hanmeimei");
    assert_eq!(member.risk, None);
    assert_eq!(risky(&graph, Risk::HighRisk), ["AdministratorAccess"]);
    assert!(risky(&graph, Risk::Residual).is_empty());
    let has = |from: &str, to: &str, kind| {
        graph
            .edges
            .iter()
            .any(|e| e.from == from && e.to == to && e.kind == kind)
    };
    assert!(has(
        "ram_user:26529006289714283",
        "member:maxcompute:p4_26529006289714283",
        EdgeKind::IsMember
    ));
    assert!(has(
        "member:maxcompute:p4_26529006289714283",
        "role:maxcompute:role_project_dev",
        EdgeKind::Holds
    ));
    assert!(has(
        "grant:maxcompute:user/p4_26529006289714283:tables/sales:forever",
        "object:maxcompute:tables/sales",
        EdgeKind::On
    ));
}

#[test]
fn a_deleted_member_is_residual_and_reached_by_no_user() {
    let (world, _) = world_after(&format!(
        "{SEED_BEFORE}aliyun ram DetachPolicyFromUser --PolicyType System --PolicyName AdministratorAccess --UserName hanmeimei\n\
         aliyun ram DeleteUser --UserName hanmeimei\n"
    ));
    let graph = build(&world, None).unwrap();
    assert_eq!(risky(&graph, Risk::Residual), ["p4_26529006289714283"]);
    assert!(ids(&graph, NodeKind::RamUser).is_empty());
    assert!(
        !graph
            .edges
            .iter()
            .any(|e| e.to == "member:maxcompute:p4_26529006289714283"
                && e.kind == EdgeKind::IsMember)
    );
}

#[test]
fn an_active_key_of_a_user_in_no_project_stands_out() {
    let (world, _) = world_after(
        "aliyun ram CreateUser --UserName bob\naliyun ram CreateAccessKey --UserName bob\n",
    );
    let graph = build(&world, None).unwrap();
    assert_eq!(risky(&graph, Risk::KeyLeftActive).len(), 1);
    let (world, _) = world_after(
        "aliyun ram CreateUser --UserName bob\naliyun ram CreateAccessKey --UserName bob\nadd user RAM$bob;\n",
    );
    assert!(risky(&build(&world, None).unwrap(), Risk::KeyLeftActive).is_empty());
}

#[test]
fn denies_stand_out_and_reach_the_objects_they_match() {
    let (world, _) = world_after(
        "create role analyst;\ncreate table sales (id bigint);\ncreate table tb_x (id bigint);\n\
         grant Select on table tb_* to role analyst privilegeproperties(\"policy\"=\"true\", \"allow\"=\"false\");\n",
    );
    let graph = build(&world, None).unwrap();
    let deny: Vec<&Node> = graph
        .nodes
        .iter()
        .filter(|n| n.risk == Some(Risk::Deny))
        .collect();
    assert_eq!(deny.len(), 1);
    let on: Vec<&str> = graph
        .edges
        .iter()
        .filter(|e| e.from == deny[0].id)
        .map(|e| e.to.as_str())
        .collect();
    assert_eq!(on, ["object:maxcompute:tables/tb_x"]);
    assert!(
        graph
            .edges
            .iter()
            .any(|e| e.from == deny[0].id && e.risk == Some(Risk::Deny))
    );
}

#[test]
fn focus_keeps_what_reaches_or_is_reached() {
    let (world, _) = world_after(RICH_USER);
    let graph = build(&world, None).unwrap();
    let sales = focus(&graph, "sales").unwrap();
    let kinds: std::collections::BTreeSet<NodeKind> = sales.nodes.iter().map(|n| n.kind).collect();
    assert!(kinds.contains(&NodeKind::RamUser) && kinds.contains(&NodeKind::Grant));
    // Keys and RAM policies neither reach the table nor are reached from it.
    assert!(!kinds.contains(&NodeKind::AccessKey));
    assert!(!kinds.contains(&NodeKind::RamPolicy));
    for e in &sales.edges {
        assert!(sales.node(&e.from).is_some() && sales.node(&e.to).is_some());
    }
    let user = focus(&graph, "hanmeimei").unwrap();
    assert!(user.nodes.iter().any(|n| n.kind == NodeKind::AccessKey));
    assert!(user.node("object:maxcompute:tables/sales").is_some());
    assert_eq!(
        focus(&graph, "nobody"),
        Err(GraphError::NoSuchNode("nobody".into()))
    );
}

#[test]
fn the_graph_is_the_same_every_time_and_sorted() {
    let (world, _) = world_after(RICH_USER);
    let a = build(&world, None).unwrap();
    let b = build(&world.clone(), None).unwrap();
    assert_eq!(a, b);
    let mut sorted = a.clone();
    sorted.sort();
    assert_eq!(a, sorted);
    let mut seen = std::collections::BTreeSet::new();
    assert!(
        a.nodes.iter().all(|n| seen.insert(n.id.clone())),
        "ids are unique"
    );
    assert_eq!(
        build(&world, Some("nope")),
        Err(GraphError::NoSuchProject("nope".into()))
    );
    let one = build(&world, Some("team_a")).unwrap();
    assert!(one.node("project:maxcompute").is_none());
}

#[test]
fn diff_marks_what_changed() {
    let (before, _) = world_after(SEED_BEFORE);
    let mut after = before.clone();
    let mut session = crate::teach::test_support::fresh().1;
    crate::teach::test_support::run(
        &mut after,
        &mut session,
        "aliyun ram DetachPolicyFromUser --PolicyType System --PolicyName AdministratorAccess --UserName hanmeimei\n\
         aliyun ram DeleteUser --UserName hanmeimei\n",
    );
    let d = diff(
        &build(&before, None).unwrap(),
        &build(&after, None).unwrap(),
    );
    let change = |id: &str| d.node(id).and_then(|n| n.change);
    assert_eq!(change("ram_user:26529006289714283"), Some(Change::Removed));
    assert_eq!(
        change("member:maxcompute:p4_26529006289714283"),
        Some(Change::Changed)
    );
    assert_eq!(change("project:maxcompute"), None);
    assert!(d.edges.iter().any(|e| e.change == Some(Change::Removed)));
}

#[test]
fn grants_that_expire_are_apart_from_those_that_do_not() {
    let (world, _) = world_after(
        "create role analyst;\ncreate table sales (id bigint);\n\
         grant Describe on table sales to role analyst;\n\
         grant Select on table sales to role analyst privilegeproperties(\"expires\"=\"7\");\n",
    );
    let graph = build(&world, None).unwrap();
    let grants: Vec<(&str, Option<u64>)> = graph
        .nodes
        .iter()
        .filter_map(|n| n.grant.as_ref().map(|g| (n.label.as_str(), g.expires)))
        .collect();
    assert_eq!(grants.len(), 2, "{grants:?}");
    assert!(grants.contains(&("Describe", None)));
    assert!(grants.iter().any(|(l, e)| *l == "Select" && e.is_some()));
}

/// Issue 19: a RAM role member is reached from its role, and the RAM user that may assume it
/// reaches the role; once the role is deleted, the member is a `v4_` residual.
#[test]
fn a_role_member_is_reached_through_sts_and_its_deletion_leaves_a_residual() {
    const ROLE: &str = "\
aliyun ram CreateUser --UserName scheduler
aliyun ram AttachPolicyToUser --PolicyType System --PolicyName AliyunSTSAssumeRoleAccess --UserName scheduler
aliyun ram CreateRole --RoleName etl --AssumeRolePolicyDocument '{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"RAM\":[\"acs:ram::5527380164285788:user/scheduler\"]}}],\"Version\":\"1\"}'
add user `RAM$MainCount:role/etl`;
grant role_project_dev to `RAM$MainCount:role/etl`;
";
    let (world, _) = world_after(ROLE);
    let graph = build(&world, None).unwrap();
    let [role] = ids(&graph, NodeKind::RamRole)[..] else {
        panic!("one role: {:?}", ids(&graph, NodeKind::RamRole));
    };
    let role = role.to_string();
    let member = format!("member:maxcompute:v4_{}", &role["ram_role:".len()..]);
    let has = |g: &Graph, from: &str, to: &str, kind| {
        g.edges
            .iter()
            .any(|e| e.from == from && e.to == to && e.kind == kind)
    };
    assert!(has(&graph, &role, &member, EdgeKind::IsMember));
    assert!(has(
        &graph,
        "ram_user:26529006289714283",
        &role,
        EdgeKind::MayAssume
    ));
    let (world, _) = world_after(&format!("{ROLE}aliyun ram DeleteRole --RoleName etl\n"));
    let graph = build(&world, None).unwrap();
    assert!(ids(&graph, NodeKind::RamRole).is_empty());
    let residual = graph.node(&member).unwrap();
    assert_eq!(residual.risk, Some(Risk::Residual));
    assert!(residual.label.starts_with("v4_"));
}
