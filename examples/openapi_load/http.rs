//! One kept-alive HTTP/1.1 connection on loopback that sends request bytes as they are and reads
//! the answer (by `Content-Length`, or chunked); it reconnects when the server closed the
//! connection (moto's server answers HTTP/1.0 or `Connection: close` at times).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// An answer: its status and body.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

pub struct Connection {
    addr: SocketAddr,
    stream: Option<BufReader<TcpStream>>,
}

fn invalid(text: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, text)
}

impl Connection {
    pub fn new(addr: SocketAddr) -> Self {
        assert!(addr.ip().is_loopback(), "the load goes to loopback only");
        Connection { addr, stream: None }
    }

    fn open(&mut self) -> std::io::Result<&mut BufReader<TcpStream>> {
        if self.stream.is_none() {
            let stream = TcpStream::connect_timeout(&self.addr, Duration::from_secs(10))?;
            stream.set_nodelay(true)?;
            stream.set_read_timeout(Some(Duration::from_secs(60)))?;
            self.stream = Some(BufReader::new(stream));
        }
        self.stream
            .as_mut()
            .ok_or_else(|| invalid("no connection".into()))
    }

    /// Sends `request` (a whole HTTP/1.1 request) and reads its answer; once more on a new
    /// connection if the kept-alive one was closed before it answered.
    pub fn send(&mut self, request: &[u8]) -> std::io::Result<Answer> {
        let fresh = self.stream.is_none();
        match self.send_once(request) {
            Err(_) if !fresh => {
                self.stream = None;
                self.send_once(request)
            }
            other => other,
        }
    }

    fn send_once(&mut self, request: &[u8]) -> std::io::Result<Answer> {
        let conn = self.open()?;
        conn.get_mut().write_all(request)?;
        let mut line = String::new();
        if conn.read_line(&mut line)? == 0 {
            self.stream = None;
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let http10 = line.starts_with("HTTP/1.0");
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| invalid(format!("bad status line {line:?}")))?;
        let (mut length, mut chunked, mut close) = (None, false, http10);
        loop {
            line.clear();
            conn.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let Some((name, value)) = l.split_once(':') else {
                continue;
            };
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
            match name.as_str() {
                "content-length" => length = value.parse::<usize>().ok(),
                "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                "connection" => close = value.eq_ignore_ascii_case("close"),
                _ => {}
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                conn.read_line(&mut line)?;
                let size = usize::from_str_radix(line.trim(), 16)
                    .map_err(|_| invalid(format!("bad chunk size {line:?}")))?;
                let mut chunk = vec![0; size + 2];
                conn.read_exact(&mut chunk)?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else if let Some(n) = length {
            body.resize(n, 0);
            conn.read_exact(&mut body)?;
        } else {
            conn.read_to_end(&mut body)?;
            close = true;
        }
        if close {
            self.stream = None;
        }
        Ok(Answer {
            status,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }
}
