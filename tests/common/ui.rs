//! `odpsh serve --ui` for the page's tests: starts it on a free loopback port, reads the two
//! banner lines (the endpoint, then the page's address with its token), stops it when dropped;
//! and a plain HTTP/1.1 request over a fresh connection.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::serve::BIN;

pub struct ServedUi {
    child: Child,
    pub addr: SocketAddr,
    /// `http://<addr>/ui?token=<token>`.
    pub url: String,
    pub token: String,
}

impl ServedUi {
    pub fn start(state: &Path) -> ServedUi {
        let mut child = Command::new(BIN)
            .arg("--state")
            .arg(state)
            .args(["serve", "--ui", "--bind", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start odpsh serve --ui");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let _endpoint = lines.next().expect("endpoint line").expect("read");
        let page = lines.next().expect("page line").expect("read");
        let url = page
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no page address in {page:?}"))
            .to_string();
        let rest = url.trim_start_matches("http://");
        let (addr, _) = rest.split_once('/').expect("a path");
        let token = url.rsplit_once("token=").expect("a token").1.to_string();
        ServedUi {
            child,
            addr: addr.parse().expect("address"),
            url,
            token,
        }
    }
}

impl Drop for ServedUi {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer: status, headers (lower-case names) and body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one request (`Connection: close`) and reads the whole answer.
pub fn http(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = body.unwrap_or("");
    if !body.is_empty() || method == "POST" {
        head.push_str("Content-Type: application/json\r\n");
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    // Read the head, then the body by its length (a server may keep the connection open).
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let split = loop {
        if let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Err(std::io::Error::other("no end of head"));
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: Option<usize> = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok());
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let mut body = raw[split + 4..].to_vec();
    loop {
        let done = match length {
            Some(n) => body.len() >= n,
            None if chunked => body.ends_with(b"0\r\n\r\n"),
            None => false,
        };
        if done {
            break;
        }
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&buf[..n]);
    }
    if chunked {
        body = dechunk(&body);
    }
    Ok(Answer {
        status,
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = String::from_utf8_lossy(&data[..end]);
        let Ok(n) = usize::from_str_radix(size.trim().split(';').next().unwrap_or(""), 16) else {
            return out;
        };
        if n == 0 || data.len() < end + 2 + n {
            return out;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + n]);
        data = &data[(end + 2 + n + 2).min(data.len())..];
    }
}

/// Runs statements on the world file as a separate shell would (`-e`, stopping at a failure);
/// panics when one fails.
pub fn shell(state: &Path, statements: &str) -> String {
    let out = Command::new(BIN)
        .arg("--state")
        .arg(state)
        .args(["-e", statements])
        .stdin(Stdio::null())
        .output()
        .expect("run odpsh");
    assert!(out.status.success(), "{statements}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The seed story up to the wrong deletion (a RAM user in the project with a role and a grant)
/// and a key of the main account, whose id and secret it returns.
pub fn seed_world(state: &Path) -> (String, String) {
    shell(
        state,
        "aliyun ram CreateUser --UserName hanmeimei --DisplayName HanMeimei\n\
         add user RAM$MainCount:hanmeimei;\n\
         grant role_project_dev to RAM$MainCount:hanmeimei;\n\
         create table sales (id bigint);\n\
         grant Select on table sales to user RAM$MainCount:hanmeimei;",
    );
    super::serve::create_key(state, None)
}
