//! A bounded load on `odpsh serve` from another process: several kept-alive loopback
//! connections send signed security queries, half of them changes (`create role`), half reads;
//! every change is then looked for in the saved world. Used by `examples/load.rs` (the figure)
//! and by `tests/serve_load.rs` (correctness only, no timing asserted).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use super::client::{Call, Client};
use crate::world::World;

/// How much load to send.
#[derive(Debug, Clone)]
pub struct Plan {
    pub connections: usize,
    /// Requests in all, shared among the connections.
    pub requests: usize,
    /// Each connection stops at this deadline even if it has requests left.
    pub max_time: Duration,
    pub project: String,
}

/// What happened.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub sent: usize,
    pub errors: usize,
    /// The first unexpected answer, for the message.
    pub first_error: Option<String>,
    pub elapsed: Duration,
    /// The roles the accepted `create role` statements made.
    pub created: Vec<String>,
}

impl Report {
    pub fn per_second(&self) -> f64 {
        self.sent as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The created roles missing from `world` (none means no change was lost).
    pub fn lost(&self, world: &World, project: &str) -> Vec<String> {
        let Some(p) = world.project(project) else {
            return self.created.clone();
        };
        self.created
            .iter()
            .filter(|r| !p.has_role(r))
            .cloned()
            .collect()
    }
}

const READS: [&str; 3] = ["list users", "whoami", "describe role role_project_dev"];

/// Sends the plan's requests, signed with the key, and reports.
pub fn run(addr: SocketAddr, access_key_id: &str, secret: &str, plan: &Plan) -> Report {
    let started = Instant::now();
    let deadline = started + plan.max_time;
    let connections = plan.connections.max(1);
    let reports: Vec<Report> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..connections)
            .map(|w| {
                let share =
                    plan.requests / connections + usize::from(w < plan.requests % connections);
                let project = plan.project.clone();
                scope.spawn(move || {
                    let mut client = Client::new(addr, access_key_id, secret);
                    let mut report = Report::default();
                    for i in 0..share {
                        if Instant::now() >= deadline {
                            break;
                        }
                        let write = i % 2 == 0;
                        let role = format!("load_{w}_{i}");
                        let query = if write {
                            format!("create role {role}")
                        } else {
                            READS[(i / 2) % READS.len()].to_string()
                        };
                        report.sent += 1;
                        match client.send(&Call::security_query(&project, &query, true)) {
                            Ok(answer) if answer.status == 200 => {
                                if write {
                                    report.created.push(role);
                                }
                            }
                            other => {
                                report.errors += 1;
                                report
                                    .first_error
                                    .get_or_insert_with(|| format!("{query}: {other:?}"));
                            }
                        }
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
        total.sent += r.sent;
        total.errors += r.errors;
        total.created.extend(r.created);
        if total.first_error.is_none() {
            total.first_error = r.first_error;
        }
    }
    total
}
