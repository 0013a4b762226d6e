//! Group commit: one thread changes the world and answers requests in the order they arrive. It
//! takes every request waiting in the queue as one batch and runs the batch inside one store
//! transaction (lock, reload if another process changed the file, apply each request, save once
//! if any changed the world, unlock), and only then sends the batch's replies. So a change is
//! answered only once it is on disk, a shell on the same file sees it at its next statement,
//! the server sees the shell's changes at its next batch, and no lock is held while idle.
//!
//! Only authenticated requests reach the queue: connections check signatures against the world
//! in memory ([`SharedWorld`]), which this thread writes while it applies a batch and only reads
//! while it saves. When a key is unknown there and the file is no longer the version in memory,
//! a connection asks this thread to [`Job::Refresh`] the world, which reads the file without the
//! lock.

use std::sync::Arc;
use std::time::SystemTime;

use tokio::sync::{RwLock, mpsc, oneshot};

use crate::store::{Fingerprint, Synced};
use crate::world::World;

use super::errors::ServerError;
use super::handler::{self, Context, Incoming, Reply};
use super::openapi;

/// The most requests one transaction applies.
pub const MAX_BATCH: usize = 512;

/// The world in memory and the version of its file it is.
#[derive(Debug)]
pub struct InMemory {
    pub world: World,
    /// As [`Synced::seen`] says after the last batch or refresh (`None`: no file, or `--fresh`).
    pub seen: Option<Fingerprint>,
}

/// The world in memory, read by the connections to authenticate and changed by the commit
/// thread.
pub type SharedWorld = Arc<RwLock<InMemory>>;

/// Work for the commit thread.
pub enum Job {
    /// An authenticated request, and where its reply goes.
    Request {
        incoming: Box<Incoming>,
        request_id: String,
        reply: oneshot::Sender<Reply>,
    },
    /// An authenticated call to the OpenAPI endpoint at `/`, and where its reply goes.
    OpenApi {
        call: Box<openapi::Call>,
        request_id: String,
        reply: oneshot::Sender<Reply>,
    },
    /// An authenticated call to the MaxCompute OpenAPI under `/api/v1/`.
    MaxCompute {
        call: Box<openapi::maxcompute::Call>,
        request_id: String,
        reply: oneshot::Sender<Reply>,
    },
    /// Bring the world in memory up to the file's (no lock); answered once it is.
    Refresh(oneshot::Sender<()>),
}

/// What a request in a batch asks of the world.
enum Work {
    Rest(Box<Incoming>),
    OpenApi(Box<openapi::Call>),
    MaxCompute(Box<openapi::maxcompute::Call>),
}

impl Work {
    fn answer(&self, world: &mut World, context: &mut Context, id: &str, now: SystemTime) -> Reply {
        match self {
            Work::Rest(incoming) => handler::handle(world, context, incoming, id, now),
            Work::OpenApi(call) => {
                openapi::handle(world, &context.host_id, call, id, &mut context.tape)
            }
            Work::MaxCompute(call) => {
                openapi::maxcompute::handle(world, &context.host_id, call, id, &mut context.tape)
            }
        }
    }

    /// The reply to a request the batch could not answer, in its endpoint's form.
    fn failure(&self, e: &ServerError, id: &str, host_id: &str) -> Reply {
        match self {
            Work::Rest(_) => Reply::error(e, id, host_id),
            Work::OpenApi(call) => openapi::failure(call, e, id, host_id),
            Work::MaxCompute(_) => openapi::maxcompute::failure(e, id, host_id),
        }
    }
}

/// The commit thread's state.
pub struct Committer {
    pub world: SharedWorld,
    /// The world file; `None` with `--fresh` (the world lives in memory only).
    pub synced: Option<Synced>,
    pub context: Context,
}

type Pending = (Work, String, oneshot::Sender<Reply>);

impl Committer {
    /// Runs until every sender is gone.
    pub fn run(mut self, mut queue: mpsc::Receiver<Job>) {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        while let Some(job) = queue.blocking_recv() {
            batch.push(job);
            while batch.len() < MAX_BATCH {
                match queue.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            let mut requests = Vec::with_capacity(batch.len());
            let mut refreshes = Vec::new();
            for job in batch.drain(..) {
                match job {
                    Job::Request {
                        incoming,
                        request_id,
                        reply,
                    } => requests.push((Work::Rest(incoming), request_id, reply)),
                    Job::OpenApi {
                        call,
                        request_id,
                        reply,
                    } => requests.push((Work::OpenApi(call), request_id, reply)),
                    Job::MaxCompute {
                        call,
                        request_id,
                        reply,
                    } => requests.push((Work::MaxCompute(call), request_id, reply)),
                    Job::Refresh(done) => refreshes.push(done),
                }
            }
            if requests.is_empty() {
                self.refresh();
            } else {
                // A transaction reloads the world first: it refreshes too.
                self.run_batch(requests);
            }
            for done in refreshes {
                let _ = done.send(());
            }
        }
    }

    /// Reads the file without the lock if another process changed it. A file that cannot be
    /// read now is left for the next transaction, which reports it.
    fn refresh(&mut self) {
        if let Some(synced) = self.synced.as_mut()
            && let Ok(Some(newer)) = synced.newer()
        {
            let mut memory = self.world.blocking_write();
            let _ = synced.apply(newer, &mut memory.world);
            memory.seen = synced.seen();
        }
    }

    fn fail_all(&self, batch: Vec<Pending>, e: &ServerError) {
        for (work, request_id, reply) in batch {
            let _ = reply.send(work.failure(e, &request_id, &self.context.host_id));
        }
    }

    /// Answers a batch; every request in it gets exactly one reply.
    fn run_batch(&mut self, batch: Vec<Pending>) {
        let now = SystemTime::now();
        let Some(synced) = self.synced.as_mut() else {
            let mut memory = self.world.blocking_write();
            for (_, _, reply, answer) in apply(&mut memory.world, &mut self.context, batch, now) {
                let _ = reply.send(answer);
            }
            return;
        };
        let internal = |e: crate::store::StoreError| ServerError::Internal(e.to_string());
        let mut txn = match synced.begin() {
            Ok(txn) => txn,
            Err(e) => return self.fail_all(batch, &internal(e)),
        };
        let newer = match txn.newer() {
            Ok(newer) => newer,
            Err(e) => {
                drop(txn);
                return self.fail_all(batch, &internal(e));
            }
        };
        let mut memory = self.world.blocking_write();
        if let Some(newer) = newer
            && let Err(e) = txn.apply(newer, &mut memory.world)
        {
            drop(memory);
            drop(txn);
            return self.fail_all(batch, &internal(e));
        }
        self.context.tape.take();
        let replies = apply(&mut memory.world, &mut self.context, batch, now);
        // A key's recorded use is saved too, with the batch's changes.
        let changed = replies
            .iter()
            .any(|(_, _, _, answer)| answer.changed || answer.recorded);
        let entries = self.context.tape.take();
        // Connections authenticate against the world while it is saved.
        let memory = memory.downgrade();
        let saved = txn.commit(changed.then_some(&memory.world), entries);
        drop(memory);
        let seen = synced.seen();
        self.world.blocking_write().seen = seen;
        for (work, request_id, reply, answer) in replies {
            let answer = match &saved {
                // A change that could not be saved is not acknowledged; the next batch reloads
                // the file, so memory does not keep it either.
                Err(e) if answer.changed => work.failure(
                    &ServerError::Internal(e.to_string()),
                    &request_id,
                    &self.context.host_id,
                ),
                _ => answer,
            };
            let _ = reply.send(answer);
        }
    }
}

/// Answers each request of a batch against `world`, in order: (the request, its id, where the
/// reply goes, the reply).
fn apply(
    world: &mut World,
    context: &mut Context,
    batch: Vec<Pending>,
    now: SystemTime,
) -> Vec<(Work, String, oneshot::Sender<Reply>, Reply)> {
    batch
        .into_iter()
        .map(|(work, request_id, reply)| {
            let recorded = context.tape.statements_recorded();
            let answer = work.answer(world, context, &request_id, now);
            // A change the tape does not hold (a call that undoes its own statements when one
            // is refused, one run past the tape): the batch writes the world whole.
            if answer.changed && context.tape.statements_recorded() == recorded {
                context.tape.broken();
            }
            (work, request_id, reply, answer)
        })
        .collect()
}
