//! The IAM-shaped workload, the same for both servers: per user, create the user, create an
//! AccessKey for it, attach a policy, detach it, delete the key, delete the user (six calls,
//! each answered 200 or counted as an error). Users are shared out among kept-alive
//! connections, one thread each; every connection stops at the deadline.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use super::http::Connection;
use super::sign::{self, Api, Key};

/// The calls of one user's life per API: (action, its parameters but the user and the key).
fn steps(api: Api) -> [(&'static str, &'static [(&'static str, &'static str)]); 6] {
    match api {
        Api::Ram => [
            ("CreateUser", &[]),
            ("CreateAccessKey", &[]),
            (
                "AttachPolicyToUser",
                &[
                    ("PolicyType", "System"),
                    ("PolicyName", "AliyunDataWorksFullAccess"),
                ],
            ),
            (
                "DetachPolicyFromUser",
                &[
                    ("PolicyType", "System"),
                    ("PolicyName", "AliyunDataWorksFullAccess"),
                ],
            ),
            ("DeleteAccessKey", &[]),
            ("DeleteUser", &[]),
        ],
        Api::Iam => [
            ("CreateUser", &[]),
            ("CreateAccessKey", &[]),
            (
                "AttachUserPolicy",
                &[("PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess")],
            ),
            (
                "DetachUserPolicy",
                &[("PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess")],
            ),
            ("DeleteAccessKey", &[]),
            ("DeleteUser", &[]),
        ],
    }
}

/// The new key's id in a CreateAccessKey answer (RAM's JSON, IAM's XML).
fn key_id(api: Api, body: &str) -> Option<String> {
    match api {
        Api::Ram => serde_json::from_str::<serde_json::Value>(body)
            .ok()?
            .pointer("/AccessKey/AccessKeyId")?
            .as_str()
            .map(str::to_string),
        Api::Iam => {
            let start = body.find("<AccessKeyId>")? + "<AccessKeyId>".len();
            let end = body[start..].find("</AccessKeyId>")? + start;
            Some(body[start..end].to_string())
        }
    }
}

/// The parameter that names the key to delete.
fn key_parameter(api: Api) -> &'static str {
    match api {
        Api::Ram => "UserAccessKeyId",
        Api::Iam => "AccessKeyId",
    }
}

/// How much load to send.
#[derive(Debug, Clone)]
pub struct Plan {
    pub connections: usize,
    pub users: usize,
    pub max_time: Duration,
    /// Names users `<prefix><n>`, so that runs on one server do not collide.
    pub prefix: String,
}

/// What happened.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub calls: usize,
    pub errors: usize,
    pub first_error: Option<String>,
    pub elapsed: Duration,
}

impl Report {
    pub fn per_second(&self) -> f64 {
        self.calls as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

fn user_life(
    api: Api,
    conn: &mut Connection,
    host: &str,
    key: &Key,
    user: &str,
    report: &mut Report,
) {
    let mut access_key: Option<String> = None;
    for (action, fixed) in steps(api) {
        let mut pairs: Vec<(&str, &str)> = vec![("UserName", user)];
        pairs.extend_from_slice(fixed);
        if action == "DeleteAccessKey" {
            match &access_key {
                Some(id) => pairs.push((key_parameter(api), id)),
                None => {
                    report.errors += 1;
                    continue;
                }
            }
        }
        report.calls += 1;
        let request = sign::request(api, host, key, action, &pairs);
        match conn.send(&request) {
            Ok(answer) if answer.status == 200 => {
                if action == "CreateAccessKey" {
                    access_key = key_id(api, &answer.body);
                }
            }
            other => {
                report.errors += 1;
                report
                    .first_error
                    .get_or_insert_with(|| format!("{action} {user}: {other:?}"));
            }
        }
    }
}

/// Runs the plan against `addr` and reports.
pub fn run(api: Api, addr: SocketAddr, key: &Key, plan: &Plan) -> Report {
    let started = Instant::now();
    let deadline = started + plan.max_time;
    let connections = plan.connections.max(1);
    let host = addr.to_string();
    let reports: Vec<Report> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..connections)
            .map(|w| {
                let host = &host;
                scope.spawn(move || {
                    let mut conn = Connection::new(addr);
                    let mut report = Report::default();
                    for n in (w..plan.users).step_by(connections) {
                        if Instant::now() >= deadline {
                            break;
                        }
                        let user = format!("{}{n}", plan.prefix);
                        user_life(api, &mut conn, host, key, &user, &mut report);
                    }
                    report
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut total = Report {
        elapsed: started.elapsed(),
        ..Report::default()
    };
    for r in reports {
        total.calls += r.calls;
        total.errors += r.errors;
        if total.first_error.is_none() {
            total.first_error = r.first_error;
        }
    }
    total
}
