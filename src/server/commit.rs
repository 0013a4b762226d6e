//! Group commit: one thread owns the world and answers requests in the order they arrive. It
//! takes every request waiting in the queue as one batch and runs the batch inside one store
//! transaction (lock, reload if another process changed the file, apply each request, save once
//! if any changed the world, unlock), and only then sends the batch's replies. So a change is
//! answered only once it is on disk, a shell on the same file sees it at its next statement,
//! the server sees the shell's changes at its next batch, and no lock is held while idle.

use std::time::SystemTime;

use tokio::sync::{mpsc, oneshot};

use crate::store::Synced;
use crate::world::World;

use super::errors::ServerError;
use super::handler::{self, Context, Incoming, Reply};

/// The most requests one transaction applies.
pub const MAX_BATCH: usize = 512;

/// A request waiting for the commit thread, and where its reply goes.
pub struct Job {
    pub incoming: Incoming,
    pub request_id: String,
    pub reply: oneshot::Sender<Reply>,
}

/// The commit thread's state.
pub struct Committer {
    pub world: World,
    /// The world file; `None` with `--fresh` (the world lives in memory only).
    pub synced: Option<Synced>,
    pub context: Context,
}

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
            self.run_batch(&mut batch);
        }
    }

    fn fail_all(&self, batch: &mut Vec<Job>, e: &ServerError) {
        for job in batch.drain(..) {
            let _ = job
                .reply
                .send(Reply::error(e, &job.request_id, &self.context.host_id));
        }
    }

    /// Answers a batch; every job in it gets exactly one reply.
    pub fn run_batch(&mut self, batch: &mut Vec<Job>) {
        let now = SystemTime::now();
        let Committer {
            world,
            synced,
            context,
        } = self;
        let Some(synced) = synced.as_mut() else {
            for job in batch.drain(..) {
                let reply = handler::handle(world, context, &job.incoming, &job.request_id, now);
                let _ = job.reply.send(reply);
            }
            return;
        };
        let internal = |e: crate::store::StoreError| ServerError::Internal(e.to_string());
        let mut txn = match synced.begin() {
            Ok(txn) => txn,
            Err(e) => return self.fail_all(batch, &internal(e)),
        };
        match txn.reload() {
            Ok(Some(fresh)) => *world = fresh,
            Ok(None) => {}
            Err(e) => {
                drop(txn);
                return self.fail_all(batch, &internal(e));
            }
        }
        let mut replies = Vec::with_capacity(batch.len());
        let mut changed = false;
        for job in batch.drain(..) {
            let reply = handler::handle(world, context, &job.incoming, &job.request_id, now);
            changed |= reply.changed;
            replies.push((job, reply));
        }
        let saved = txn.commit(changed.then_some(&*world));
        for (job, reply) in replies {
            let reply = match &saved {
                // A change that could not be saved is not acknowledged; the next batch reloads
                // the file, so memory does not keep it either.
                Err(e) if reply.changed => {
                    Reply::error(&internal_ref(e), &job.request_id, &context.host_id)
                }
                _ => reply,
            };
            let _ = job.reply.send(reply);
        }
    }
}

fn internal_ref(e: &crate::store::StoreError) -> ServerError {
    ServerError::Internal(e.to_string())
}
