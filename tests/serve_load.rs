//! A bounded load from this process on `odpsh serve` (another process) over loopback: signed
//! queries on several connections, half of them changes; no error, and every acknowledged
//! change is in the saved world. No timing is asserted (the figure comes from
//! `examples/load.rs`).

mod common;

use std::time::Duration;

use common::serve::{Served, odpsh_json};
use odpsh::server::load::{self, Plan};
use odpsh::store::Store;

#[test]
fn no_error_and_no_lost_change_under_concurrent_load() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("world.json");
    let key = odpsh_json(&state, "aliyun ram CreateAccessKey");
    let key = &key["result"]["AccessKey"];
    let served = Served::start(&["--state", state.to_str().unwrap()], dir.path());
    let plan = Plan {
        connections: 16,
        requests: 3_000,
        max_time: Duration::from_secs(120),
        project: "MaxCompute".into(),
    };
    let report = load::run(
        served.addr,
        key["AccessKeyId"].as_str().unwrap(),
        key["AccessKeySecret"].as_str().unwrap(),
        &plan,
    );
    drop(served);
    println!(
        "{} queries, {:.0}/s (debug build), {} errors",
        report.sent,
        report.per_second(),
        report.errors
    );
    assert_eq!(report.errors, 0, "{:?}", report.first_error);
    assert_eq!(
        report.sent, plan.requests,
        "the load stopped at its time bound"
    );
    assert!(report.created.len() >= plan.requests / 2);
    let world = Store::new(state).load().unwrap();
    assert_eq!(report.lost(&world, "MaxCompute"), Vec::<String>::new());
}
