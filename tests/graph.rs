//! `odpsh graph` through the real binary on a state file: the seed story (seed 004) before
//! and after the wrong deletion, pinned in DOT, Mermaid and JSON under `tests/graph/`
//! (`UPDATE_TRANSCRIPTS=1 cargo test --test graph` rewrites them; review the diff); the SVG
//! parsed as XML; `--focus`, `--project`, `--diff` and the refusals.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_odpsh");
const DIR: &str = "tests/graph";

fn odpsh(home: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("ODPSH_HOME", home)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run odpsh")
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A temporary home with `world.bin` after the seed story's scripts.
fn story(after: bool) -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().expect("temp dir");
    let state = home.path().join("world.bin");
    let mut scripts = vec!["seed_before.odps"];
    if after {
        scripts.push("seed_after.odps");
    }
    for script in scripts {
        let path = Path::new(DIR).join(script);
        let out = odpsh(
            home.path(),
            &[
                "--state",
                state.to_str().expect("utf-8 path"),
                "-f",
                path.to_str().expect("utf-8 path"),
            ],
        );
        assert!(out.status.success(), "{script}: {out:?}");
    }
    (home, state)
}

fn graph(home: &Path, state: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["--state", state.to_str().expect("utf-8 path"), "graph"];
    args.extend_from_slice(extra);
    odpsh(home, &args)
}

/// Compares `actual` with `tests/graph/<name>`, or writes it with `UPDATE_TRANSCRIPTS=1`.
fn pinned(name: &str, actual: &str) {
    let path = Path::new(DIR).join(name);
    if std::env::var_os("UPDATE_TRANSCRIPTS").is_some() {
        std::fs::write(&path, actual).expect("write expected");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{name} missing: run with UPDATE_TRANSCRIPTS=1"));
    assert_eq!(
        actual, expected,
        "{name} differs (UPDATE_TRANSCRIPTS=1 rewrites it)"
    );
}

#[test]
fn the_seed_story_is_pinned_in_every_text_format() {
    for (after, stage) in [(false, "before"), (true, "after")] {
        let (home, state) = story(after);
        for (format, ext) in [("dot", "dot"), ("mermaid", "mmd"), ("json", "json")] {
            let out = graph(home.path(), &state, &["--format", format]);
            assert!(out.status.success(), "{format}: {out:?}");
            pinned(&format!("seed_{stage}.{ext}"), &text(&out));
        }
        // DOT is the default.
        let out = graph(home.path(), &state, &[]);
        pinned(&format!("seed_{stage}.dot"), &text(&out));
        let json: serde_json::Value =
            serde_json::from_str(&text(&graph(home.path(), &state, &["--format", "json"])))
                .expect("JSON");
        let residual: Vec<&str> = json["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .filter(|n| n["risk"] == "residual")
            .filter_map(|n| n["label"].as_str())
            .collect();
        if after {
            assert_eq!(residual.len(), 1);
            assert!(residual[0].starts_with("p4_"), "{residual:?}");
        } else {
            assert!(residual.is_empty());
        }
    }
}

#[test]
fn the_svg_is_xml_and_shows_the_residual_member() {
    let (home, state) = story(true);
    let out = graph(home.path(), &state, &["--format", "svg"]);
    assert!(out.status.success(), "{out:?}");
    let svg = text(&out);
    let mut reader = quick_xml::Reader::from_str(&svg);
    let mut residual_group = false;
    let mut texts = String::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e)) => {
                if let Ok(Some(class)) = e.try_get_attribute("class") {
                    residual_group |= class.value.as_ref() == b"node member residual";
                }
            }
            Ok(quick_xml::events::Event::Text(t)) => {
                texts.push_str(&String::from_utf8_lossy(t.as_ref()));
            }
            Ok(_) => {}
            Err(e) => panic!("the SVG is not XML at {}: {e}", reader.buffer_position()),
        }
    }
    assert!(residual_group, "no residual node group");
    assert!(texts.contains("p4_"), "no p4_ label in the picture");
    assert!(texts.contains("RAM user deleted"));
}

#[test]
fn focus_answers_who_can_read_a_table() {
    let (home, state) = story(false);
    let out = graph(
        home.path(),
        &state,
        &["--focus", "sales", "--format", "json"],
    );
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_str(&text(&out)).expect("JSON");
    let labels: Vec<&str> = json["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|n| n["label"].as_str())
        .collect();
    assert!(labels.contains(&"RAM$MainCount:hanmeimei"), "{labels:?}");
    assert!(labels.contains(&"sales"));
    assert!(labels.contains(&"role_project_dev"));
    let out = graph(home.path(), &state, &["--focus", "nobody"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "odpsh: nothing named 'nobody' (a principal, role or table) in the graph\n"
    );
    let out = graph(home.path(), &state, &["--project", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "odpsh: no project named 'nope'\n"
    );
}

#[test]
fn diff_colours_what_the_deletion_changed() {
    let (home, before) = story(false);
    let (_after_home, after) = story(true);
    let out = odpsh(
        home.path(),
        &[
            "--fresh",
            "graph",
            "--format",
            "json",
            "--diff",
            before.to_str().expect("utf-8"),
            after.to_str().expect("utf-8"),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_str(&text(&out)).expect("JSON");
    let change = |kind: &str| -> Vec<String> {
        json["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .filter(|n| n["change"] == kind)
            .map(|n| n["id"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(change("removed").len(), 1, "the RAM user");
    assert!(change("removed")[0].starts_with("ram_user:"));
    assert_eq!(change("changed").len(), 1, "the member turned residual");
    assert!(change("added").is_empty());
    let dot = odpsh(
        home.path(),
        &[
            "--fresh",
            "graph",
            "--diff",
            before.to_str().expect("utf-8"),
            after.to_str().expect("utf-8"),
        ],
    );
    assert!(text(&dot).contains("[removed]"));
    let missing = odpsh(
        home.path(),
        &[
            "--fresh",
            "graph",
            "--diff",
            "/nonexistent/a",
            "/nonexistent/b",
        ],
    );
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn graph_formats_belong_to_graph() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = odpsh(
        home.path(),
        &["--fresh", "--format", "svg", "-e", "whoami;"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "odpsh: --format svg is for odpsh graph only\n"
    );
    let out = odpsh(home.path(), &["--fresh", "graph", "--format", "text"]);
    assert_eq!(out.status.code(), Some(2));
    let out = odpsh(home.path(), &["--fresh", "graph"]);
    assert!(out.status.success());
    assert!(text(&out).starts_with("digraph odpsh {\n"));
}

/// The README's pictures are what the commands it names draw (`UPDATE_TRANSCRIPTS=1`
/// redraws them).
#[test]
fn the_readme_pictures_are_what_the_commands_draw() {
    let (home, before) = story(false);
    let (_after_home, after) = story(true);
    let svg = graph(home.path(), &after, &["--format", "svg"]);
    assert!(svg.status.success(), "{svg:?}");
    let diff = odpsh(
        home.path(),
        &[
            "--fresh",
            "graph",
            "--format",
            "svg",
            "--diff",
            before.to_str().expect("utf-8"),
            after.to_str().expect("utf-8"),
        ],
    );
    assert!(diff.status.success(), "{diff:?}");
    for (name, out) in [("seed-story.svg", &svg), ("seed-story-diff.svg", &diff)] {
        let path = Path::new("docs").join(name);
        if std::env::var_os("UPDATE_TRANSCRIPTS").is_some() {
            std::fs::write(&path, &out.stdout).expect("write the picture");
            continue;
        }
        let committed = std::fs::read_to_string(&path).expect("the committed picture");
        assert_eq!(
            text(out),
            committed,
            "{name} (UPDATE_TRANSCRIPTS=1 redraws it)"
        );
    }
}
