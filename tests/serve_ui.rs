//! `odpsh serve --ui` over plain HTTP: off without `--ui`; 403 without the token or the main
//! account's key; the token in the query sets the page's cookie; the version changes when a
//! shell changes the world's file; the panel lists grants as `show grants` prints them; nothing
//! served carries a secret.

mod common;

use base64::Engine;
use common::serve::Served;
use common::ui::{ServedUi, http, seed_world, shell};

#[test]
fn without_ui_there_is_no_page() {
    let home = tempfile::tempdir().expect("temp dir");
    let state = home.path().join("world.bin");
    let served = Served::start(&["--state", state.to_str().expect("utf-8")], home.path());
    let answer = http(served.addr, "GET", "/ui", &[], None).expect("answer");
    assert_ne!(answer.status, 200);
    assert!(!answer.text().contains("<html"));
}

#[test]
fn the_page_needs_the_token_or_the_owner_key() {
    let home = tempfile::tempdir().expect("temp dir");
    let state = home.path().join("world.bin");
    let (key, secret) = seed_world(&state);
    let ui = ServedUi::start(&state);
    for path in [
        "/ui",
        "/ui/graph.svg",
        "/ui/version",
        "/ui/grants?node=x",
        "/ui/app.js",
    ] {
        assert_eq!(
            http(ui.addr, "GET", path, &[], None)
                .expect("answer")
                .status,
            403,
            "{path}"
        );
    }
    let wrong = http(ui.addr, "GET", "/ui?token=0000", &[], None).expect("answer");
    assert_eq!(wrong.status, 403);
    let page = http(
        ui.addr,
        "GET",
        &format!("/ui?token={}", ui.token),
        &[],
        None,
    )
    .expect("page");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<script src=\"/ui/app.js\"></script>"));
    let cookie = page.header("set-cookie").expect("a cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().expect("name=value");
    let by_cookie = http(ui.addr, "GET", "/ui/version", &[("Cookie", pair)], None).expect("v");
    assert_eq!(by_cookie.status, 200);
    let bearer = format!("Bearer {}", ui.token);
    let by_bearer = http(
        ui.addr,
        "GET",
        "/ui/graph.svg",
        &[("Authorization", &bearer)],
        None,
    )
    .expect("svg");
    assert_eq!(by_bearer.status, 200);
    assert_eq!(by_bearer.header("content-type"), Some("image/svg+xml"));
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}"))
    );
    let by_key = http(
        ui.addr,
        "GET",
        "/ui/version",
        &[("Authorization", &basic)],
        None,
    )
    .expect("v");
    assert_eq!(by_key.status, 200);
    let bad = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:wrong"))
    );
    let refused = http(
        ui.addr,
        "GET",
        "/ui/version",
        &[("Authorization", &bad)],
        None,
    )
    .expect("v");
    assert_eq!(refused.status, 403);
    let post = http(
        ui.addr,
        "POST",
        "/ui/version",
        &[("Authorization", &bearer)],
        Some("{}"),
    );
    assert_eq!(post.expect("answer").status, 405);
}

#[test]
fn the_version_follows_the_file_and_nothing_served_is_secret() {
    let home = tempfile::tempdir().expect("temp dir");
    let state = home.path().join("world.bin");
    let (_, secret) = seed_world(&state);
    let ui = ServedUi::start(&state);
    let bearer = format!("Bearer {}", ui.token);
    let auth = [("Authorization", bearer.as_str())];
    let get = |path: &str| http(ui.addr, "GET", path, &auth, None).expect("answer");
    let before = get("/ui/version").text();
    assert_eq!(
        before,
        get("/ui/version").text(),
        "stable while nothing changes"
    );
    let member = "member%3Amaxcompute%3Ap4_26529006289714283";
    let panel: serde_json::Value =
        serde_json::from_str(&get(&format!("/ui/grants?node={member}")).text()).expect("JSON");
    assert_eq!(
        panel["listings"][0]["title"],
        "odps@ MaxCompute>show grants for RAM$MainCount:hanmeimei;"
    );
    let listed = panel["listings"][0]["text"].as_str().expect("text");
    let printed = shell(&state, "show grants for RAM$MainCount:hanmeimei;");
    assert_eq!(listed, printed, "the panel lists what show grants prints");
    shell(&state, "aliyun ram DeleteUser --UserName hanmeimei");
    let after = get("/ui/version").text();
    assert_ne!(before, after, "a shell's change is seen");
    let svg = get("/ui/graph.svg").text();
    assert!(svg.contains("class=\"node member residual\""));
    for path in [
        "/ui/graph.svg",
        "/ui/graph.json",
        &format!("/ui/grants?node={member}"),
    ] {
        assert!(!get(path).text().contains(&secret), "{path} shows a secret");
    }
}
