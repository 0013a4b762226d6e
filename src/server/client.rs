//! A small blocking ODPS REST client that signs like PyODPS, over one kept-alive HTTP/1.1
//! connection: for odpsh's own tests and load generator, not for general use.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, SystemTime};

use super::signature::{self, V4Scope};

/// The user agent the client sends (and signs, as `x-odps-user-agent`).
pub const USER_AGENT: &str = "odpsh-client/1";

/// One request to send. `target` is relative to `/api` and may carry a query string.
#[derive(Debug, Clone, Default)]
pub struct Call {
    pub method: String,
    pub target: String,
    pub body: Vec<u8>,
    pub content_type: Option<String>,
    /// Send this `Date` instead of the current time.
    pub date: Option<String>,
    /// Send this `Authorization` instead of signing; `Some("")` sends none.
    pub authorization: Option<String>,
    /// Sign with V4 for this region instead of V2.
    pub region: Option<String>,
    /// Sign with V4 in exactly this scope (overrides `region`).
    pub v4_scope: Option<V4Scope>,
    /// Send (and sign) this `Content-MD5`.
    pub content_md5: Option<String>,
}

impl Call {
    pub fn get(target: &str) -> Self {
        Call {
            method: "GET".into(),
            target: target.into(),
            ..Call::default()
        }
    }

    /// POST `/projects/<p>/authorization` with the body PyODPS sends.
    pub fn security_query(project: &str, query: &str, json: bool) -> Self {
        let body = super::xml::Doc::new();
        let mut body = body;
        body.open("Authorization")
            .leaf("Query", query)
            .leaf("ResponseInJsonFormat", if json { "true" } else { "false" })
            .close("Authorization");
        Call {
            method: "POST".into(),
            target: format!("/projects/{project}/authorization?curr_project={project}"),
            body: body.finish().into_bytes(),
            content_type: Some("application/xml".into()),
            ..Call::default()
        }
    }
}

/// A response: status, headers (names in lower case) and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The text of the first `<name>` element of the body (entities of the replies resolved).
    pub fn element(&self, name: &str) -> Option<String> {
        let open = format!("<{name}>");
        let start = self.body.find(&open)? + open.len();
        let end = self.body[start..].find(&format!("</{name}>"))? + start;
        Some(
            self.body[start..end]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        )
    }
}

/// A connection to `odpsh serve` acting with one AccessKey.
pub struct Client {
    addr: SocketAddr,
    stream: Option<BufReader<TcpStream>>,
    pub access_key_id: String,
    pub secret: String,
}

fn other(text: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, text)
}

impl Client {
    pub fn new(addr: SocketAddr, access_key_id: &str, secret: &str) -> Self {
        Client {
            addr,
            stream: None,
            access_key_id: access_key_id.into(),
            secret: secret.into(),
        }
    }

    fn connection(&mut self) -> std::io::Result<&mut BufReader<TcpStream>> {
        if self.stream.is_none() {
            let stream = TcpStream::connect_timeout(&self.addr, Duration::from_secs(10))?;
            stream.set_nodelay(true)?;
            stream.set_read_timeout(Some(Duration::from_secs(60)))?;
            self.stream = Some(BufReader::new(stream));
        }
        self.stream
            .as_mut()
            .ok_or_else(|| other("no connection".into()))
    }

    /// The request's head, signed unless the call says otherwise.
    pub fn head(&self, call: &Call) -> String {
        let date = call
            .date
            .clone()
            .unwrap_or_else(|| httpdate::fmt_http_date(SystemTime::now()));
        let mut headers: Vec<(String, String)> = vec![
            ("Date".into(), date),
            ("x-odps-user-agent".into(), USER_AGENT.into()),
        ];
        if let Some(ct) = &call.content_type {
            headers.push(("Content-Type".into(), ct.clone()));
        }
        if let Some(md5) = &call.content_md5 {
            headers.push(("Content-MD5".into(), md5.clone()));
        }
        let authorization = match &call.authorization {
            Some(given) => given.clone(),
            None => {
                let target = signature::target(&call.target);
                let canonical = signature::canonical_string(
                    &call.method,
                    headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                    &target,
                );
                let scope = call.v4_scope.clone().or_else(|| {
                    call.region.as_ref().map(|region| V4Scope {
                        date: signature::v4_day(SystemTime::now()),
                        region: region.clone(),
                        prefix: "aliyun_v4".into(),
                    })
                });
                let sig = signature::sign(&self.secret, scope.as_ref(), &canonical);
                match &scope {
                    None => format!("ODPS {}:{sig}", self.access_key_id),
                    Some(s) => format!(
                        "ODPS {}/{}/{}/odps/{}_request:{sig}",
                        self.access_key_id, s.date, s.region, s.prefix
                    ),
                }
            }
        };
        if !authorization.is_empty() {
            headers.push(("Authorization".into(), authorization));
        }
        let mut head = format!(
            "{} /api{} HTTP/1.1\r\nHost: {}\r\nUser-Agent: {USER_AGENT}\r\nContent-Length: {}\r\n",
            call.method,
            call.target,
            self.addr,
            call.body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        head
    }

    /// Sends a call and reads the answer; reconnects once if the kept-alive connection was
    /// closed by the server in between.
    pub fn send(&mut self, call: &Call) -> std::io::Result<Answer> {
        match self.send_once(call) {
            Ok(answer) => Ok(answer),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::UnexpectedEof) => {
                self.stream = None;
                self.send_once(call)
            }
            Err(e) => {
                self.stream = None;
                Err(e)
            }
        }
    }

    fn send_once(&mut self, call: &Call) -> std::io::Result<Answer> {
        let head = self.head(call);
        let conn = self.connection()?;
        let stream = conn.get_mut();
        stream.write_all(head.as_bytes())?;
        // The server may answer (413) before reading a large body; keep what it says.
        let _ = stream.write_all(&call.body);
        let mut line = String::new();
        if conn.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| other(format!("bad status line {line:?}")))?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            conn.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let length: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        conn.read_exact(&mut body)?;
        let answer = Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        };
        if answer
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"))
        {
            self.stream = None;
        }
        Ok(answer)
    }
}
