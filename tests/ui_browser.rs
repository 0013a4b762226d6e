//! The page of `odpsh serve --ui` in a real headless browser: Debian's Chromium driven through
//! ChromeDriver's W3C WebDriver endpoint (plain HTTP on loopback). It loads the page, deletes
//! a RAM user that is still a member through a separate shell on the same world file, and
//! waits for the residual `p4_` node to appear without a reload; then selects it and reads the
//! side panel, and saves a screenshot at `target/ui-screenshot.png`.
//!
//! Without chromium and chromedriver the test says so and passes, unless
//! `ODPSH_REQUIRE_BROWSER=1` (set by `.ci/run`, which installs them) makes it fail.

mod common;

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use common::ui::{ServedUi, http, seed_world, shell};
use serde_json::{Value, json};

/// Debian's browser and its driver (`ODPSH_CHROMIUM` and `ODPSH_CHROMEDRIVER` name others).
fn chromium() -> String {
    std::env::var("ODPSH_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

fn chromedriver() -> String {
    std::env::var("ODPSH_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into())
}

/// Whether the browser is here; false (with the reason printed) when the test should skip.
fn browser_present() -> bool {
    let (chromium, chromedriver) = (chromium(), chromedriver());
    let present = Path::new(&chromium).exists() && Path::new(&chromedriver).exists();
    if !present {
        let required = std::env::var("ODPSH_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "ODPSH_REQUIRE_BROWSER=1 but {chromium} or {chromedriver} is missing (apt-get install -y chromium chromium-driver)"
        );
        eprintln!(
            "SKIPPED ui_browser: {chromium} or {chromedriver} is not installed (apt-get install -y chromium chromium-driver; ODPSH_REQUIRE_BROWSER=1 makes this a failure)"
        );
    }
    present
}

struct Driver {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Driver {
    fn start() -> Driver {
        let port = free_port();
        let child = Command::new(chromedriver())
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = Driver {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(a) = http(driver.addr, "GET", "/status", &[], None)
                && a.text().contains("\"ready\":true")
            {
                return driver;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not become ready"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string());
        let answer =
            http(self.addr, method, path, &[], body.as_deref()).expect("chromedriver answers");
        let value: Value = serde_json::from_slice(&answer.body).expect("WebDriver JSON");
        assert!(
            answer.status == 200,
            "{method} {path}: {} {value}",
            answer.status
        );
        value["value"].clone()
    }
}

struct Session<'d> {
    driver: &'d Driver,
    id: String,
}

impl Session<'_> {
    fn new<'d>(driver: &'d Driver, profile: &Path) -> Session<'d> {
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1400,900",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([format!("--user-data-dir={}", profile.display())])
        .collect::<Vec<_>>();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium(), "args": args}
        }}});
        let value = driver.call("POST", "/session", Some(capabilities));
        let id = value["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        Session { driver, id }
    }

    fn go(&self, url: &str) {
        self.driver.call(
            "POST",
            &format!("/session/{}/url", self.id),
            Some(json!({ "url": url })),
        );
    }

    fn script(&self, script: &str) -> Value {
        self.driver.call(
            "POST",
            &format!("/session/{}/execute/sync", self.id),
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// Runs `script` until it returns true, for at most `secs` seconds.
    fn wait_for(&self, script: &str, secs: u64, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while self.script(script) != Value::Bool(true) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn screenshot(&self, to: &Path) {
        let value = self
            .driver
            .call("GET", &format!("/session/{}/screenshot", self.id), None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(value.as_str().expect("base64 PNG"))
            .expect("PNG bytes");
        std::fs::write(to, png).expect("write the screenshot");
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = http(
            self.driver.addr,
            "DELETE",
            &format!("/session/{}", self.id),
            &[],
            None,
        );
    }
}

/// `target/ui-screenshot.png` (beside the tests' scratch directory).
fn screenshot_path() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("ui-screenshot.png")
}

#[test]
fn the_residual_member_appears_in_the_page_without_a_reload() {
    if !browser_present() {
        return;
    }
    let home = tempfile::tempdir().expect("temp dir");
    let state = home.path().join("world.bin");
    let (_, secret) = seed_world(&state);
    let ui = ServedUi::start(&state);
    let driver = Driver::start();
    let session = Session::new(&driver, &home.path().join("profile"));
    session.go(&ui.url);
    session.wait_for(
        "return document.querySelectorAll('#graph g.node').length > 0",
        30,
        "the graph to be drawn",
    );
    assert_eq!(
        session.script("return document.querySelectorAll('#graph g.node.residual').length"),
        json!(0)
    );
    // A mark the page keeps only as long as it is not reloaded.
    session.script("window.odpshNotReloaded = true; return true");
    shell(&state, "aliyun ram DeleteUser --UserName hanmeimei");
    session.wait_for(
        "return !!document.querySelector('#graph g.node.residual[data-id^=\"member:maxcompute:p4_\"]')",
        30,
        "the residual p4_ member to appear",
    );
    assert_eq!(
        session.script("return window.odpshNotReloaded === true"),
        json!(true),
        "the page was reloaded"
    );
    let label = session.script(
        "return [...document.querySelectorAll('#graph text')].map(t => t.textContent).join(' ')",
    );
    assert!(label.as_str().is_some_and(|t| t.contains("p4_")), "{label}");
    // Selecting it lists its grants as show grants prints them.
    session.script(
        "document.querySelector('#graph g.node.residual rect').dispatchEvent(new MouseEvent('click', {bubbles: true})); return true",
    );
    session.wait_for(
        "return document.getElementById('listings').textContent.includes('the grants of p4_')",
        15,
        "the side panel",
    );
    let panel = session.script("return document.getElementById('listings').textContent");
    assert!(
        panel
            .as_str()
            .is_some_and(|t| t.contains("projects/MaxCompute/tables/sales: Select")),
        "{panel}"
    );
    let html = session.script("return document.documentElement.outerHTML");
    assert!(
        !html.as_str().unwrap_or_default().contains(&secret),
        "the page shows a secret"
    );
    session.screenshot(&screenshot_path());
}
