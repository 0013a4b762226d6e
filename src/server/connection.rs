//! One accepted connection's life: how long it may sit idle between requests, how long a
//! request's head may take to arrive, and the cap on connections held at once. hyper reads the
//! requests; this module watches the bytes underneath ([`Watched`]) and a watchdog drops the
//! connection when a deadline of its current [`Phase`] passes. At the cap, the connection idle
//! the longest is closed to make room (as web servers shed idle keep-alive connections); when
//! none is idle, the new connection gets the service's busy answer (503) and is closed.

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio::time::Instant;

/// The limits a connection lives under (`odpsh serve --header-read-timeout`, `--idle-timeout`,
/// `--max-connections`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// From the first byte of a request to the end of its head (and, for its body, from the
    /// start of the body to its end).
    pub header_read_timeout: Duration,
    /// Between the end of an answer (or the connection's start) and the first byte of the next
    /// request.
    pub idle_timeout: Duration,
    /// Connections held at once; one more is answered busy and closed.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            max_connections: 512,
        }
    }
}

/// Where a connection is between requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for a request since then.
    Idle(Instant),
    /// A request's head has been arriving since then.
    Head(Instant),
    /// A request is being answered (its body is read under its own deadline).
    Busy,
    /// Closed to make room for another connection.
    Evicted,
}

/// The phase of one connection, shared by its reader, its service and its watchdog.
#[derive(Debug)]
pub struct Watch {
    phase: Mutex<Phase>,
    /// Wakes the watchdog when the phase changes (its deadline with it).
    changed: Notify,
}

impl Watch {
    pub fn new() -> Arc<Watch> {
        Arc::new(Watch {
            phase: Mutex::new(Phase::Idle(Instant::now())),
            changed: Notify::new(),
        })
    }

    /// Moves to the phase `f` gives; an evicted connection stays evicted.
    fn set(&self, f: impl FnOnce(Phase) -> Phase) {
        let mut phase = self.phase.lock().unwrap_or_else(PoisonError::into_inner);
        if *phase == Phase::Evicted {
            return;
        }
        let next = f(*phase);
        if next != *phase {
            *phase = next;
            drop(phase);
            self.changed.notify_one();
        }
    }

    fn get(&self) -> Phase {
        *self.phase.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Since when the connection has waited for a request, if it is waiting.
    fn idle_since(&self) -> Option<Instant> {
        match self.get() {
            Phase::Idle(since) => Some(since),
            _ => None,
        }
    }

    /// Closes the connection if it is still idle; whether it was.
    fn evict(&self) -> bool {
        let mut evicted = false;
        self.set(|p| match p {
            Phase::Idle(_) => {
                evicted = true;
                Phase::Evicted
            }
            other => other,
        });
        evicted
    }

    /// A request's head is complete: it is being answered.
    pub fn busy(&self) {
        self.set(|_| Phase::Busy);
    }

    /// The answer is handed back: the connection waits for the next request.
    pub fn idle(&self) {
        self.set(|_| Phase::Idle(Instant::now()));
    }

    /// Bytes arrived: an idle connection starts a request's head.
    fn bytes_arrived(&self) {
        self.set(|p| match p {
            Phase::Idle(_) => Phase::Head(Instant::now()),
            other => other,
        });
    }

    /// When the current phase ends the connection, if it does.
    fn deadline(&self, limits: &Limits) -> Option<Instant> {
        match self.get() {
            Phase::Idle(since) => Some(since + limits.idle_timeout),
            Phase::Head(since) => Some(since + limits.header_read_timeout),
            Phase::Busy => None,
            Phase::Evicted => Some(Instant::now()),
        }
    }

    /// Resolves when the connection has stayed past the deadline of its phase.
    pub async fn expired(&self, limits: Limits) {
        loop {
            match self.deadline(&limits) {
                Some(at) if at <= Instant::now() => return,
                Some(at) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(at) => {}
                        () = self.changed.notified() => {}
                    }
                }
                // Answering: no deadline until the answer is handed back (the body has its own).
                None => self.changed.notified().await,
            }
        }
    }
}

/// The connections being served, so that the one idle the longest can make room at the cap.
#[derive(Debug, Default)]
pub struct Registry {
    next: AtomicU64,
    live: Mutex<HashMap<u64, Arc<Watch>>>,
}

/// A connection's place in the [`Registry`]; leaving it when dropped.
pub struct Registered {
    registry: Arc<Registry>,
    id: u64,
    pub watch: Arc<Watch>,
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.registry
            .live
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.id);
    }
}

impl Registry {
    /// Registers a new connection, idle from now.
    pub fn register(registry: &Arc<Registry>) -> Registered {
        let id = registry.next.fetch_add(1, Ordering::Relaxed);
        let watch = Watch::new();
        registry
            .live
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, Arc::clone(&watch));
        Registered {
            registry: Arc::clone(registry),
            id,
            watch,
        }
    }

    /// Closes the connection that has been idle the longest; whether there was one.
    pub fn evict_longest_idle(&self) -> bool {
        let candidates: Vec<(Instant, Arc<Watch>)> = self
            .live
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .filter_map(|w| w.idle_since().map(|since| (since, Arc::clone(w))))
            .collect();
        let mut candidates = candidates;
        candidates.sort_by_key(|(since, _)| *since);
        // One that turned busy meanwhile is skipped for the next.
        candidates.iter().any(|(_, w)| w.evict())
    }
}

/// How long a new connection waits for an evicted one to give its place back.
pub const EVICTION_WAIT: Duration = Duration::from_millis(500);

/// A stream whose reads tell the [`Watch`] that a request is arriving.
pub struct Watched<S> {
    inner: S,
    watch: Arc<Watch>,
}

impl<S> Watched<S> {
    pub fn new(inner: S, watch: Arc<Watch>) -> Self {
        Watched { inner, watch }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.watch.bytes_arrived();
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, data)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// How long a refused connection is given to send its request before it is closed (so that
/// the client reads the busy answer instead of a reset).
const BUSY_LINGER: Duration = Duration::from_secs(1);
/// Refused connections being answered at once; beyond them a connection is closed at once.
pub const BUSY_ANSWERS: usize = 64;

/// Answers a connection over the cap with `response` (a complete HTTP/1.1 response that
/// closes the connection), then reads what the client sent for a moment and closes.
pub async fn refuse(mut stream: TcpStream, response: Vec<u8>) {
    let _ = tokio::time::timeout(BUSY_LINGER, async {
        if stream.write_all(&response).await.is_err() {
            return;
        }
        let _ = stream.shutdown().await;
        let mut sink = [0u8; 4096];
        while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
    })
    .await;
}

/// The soft limit on open files, when the system says (a cap above it would let idle
/// connections starve the listener of descriptors).
#[cfg(unix)]
pub fn open_file_limit() -> Option<usize> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one rlimit into the struct it is given and reads nothing else.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    (ok && limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur as usize)
}

#[cfg(not(unix))]
pub fn open_file_limit() -> Option<usize> {
    None
}

/// The cap actually applied: the one asked for, kept below the open-file limit with room for
/// the world file, the lock and the busy answers.
pub fn effective_cap(asked: usize, open_files: Option<usize>) -> usize {
    let reserve = 32 + BUSY_ANSWERS;
    match open_files {
        Some(limit) => asked.min(limit.saturating_sub(reserve).max(1)),
        None => asked,
    }
    .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            header_read_timeout: Duration::from_secs(5),
            idle_timeout: Duration::from_secs(20),
            max_connections: 8,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_connection_expires_after_the_idle_timeout() {
        let watch = Watch::new();
        let start = Instant::now();
        watch.expired(limits()).await;
        assert_eq!(start.elapsed(), Duration::from_secs(20));
    }

    #[tokio::test(start_paused = true)]
    async fn a_head_that_starts_while_the_watchdog_waits_moves_its_deadline_up() {
        let watch = Watch::new();
        let waiting = {
            let watch = Arc::clone(&watch);
            tokio::spawn(async move { watch.expired(limits()).await })
        };
        tokio::time::sleep(Duration::from_secs(1)).await;
        let start = Instant::now();
        watch.bytes_arrived();
        waiting.await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn a_head_that_dribbles_in_expires_after_the_header_timeout() {
        let watch = Watch::new();
        tokio::time::sleep(Duration::from_secs(3)).await;
        watch.bytes_arrived();
        let head = Instant::now();
        let waiting = {
            let watch = Arc::clone(&watch);
            tokio::spawn(async move { watch.expired(limits()).await })
        };
        // More bytes do not restart the head's clock.
        tokio::time::sleep(Duration::from_secs(4)).await;
        watch.bytes_arrived();
        waiting.await.unwrap();
        assert_eq!(head.elapsed(), Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_being_answered_does_not_expire_and_its_answer_restarts_the_idle_clock() {
        let watch = Watch::new();
        watch.bytes_arrived();
        watch.busy();
        let waiting = {
            let watch = Arc::clone(&watch);
            tokio::spawn(async move { watch.expired(limits()).await })
        };
        tokio::time::sleep(Duration::from_secs(60)).await;
        assert!(!waiting.is_finished());
        watch.idle();
        let answered = Instant::now();
        waiting.await.unwrap();
        assert_eq!(answered.elapsed(), Duration::from_secs(20));
    }

    #[tokio::test(start_paused = true)]
    async fn at_the_cap_the_connection_idle_the_longest_is_evicted() {
        let registry = Arc::new(Registry::default());
        let old = Registry::register(&registry);
        tokio::time::sleep(Duration::from_secs(1)).await;
        let newer = Registry::register(&registry);
        let busy = Registry::register(&registry);
        busy.watch.bytes_arrived();
        busy.watch.busy();
        assert!(registry.evict_longest_idle());
        assert_eq!(old.watch.get(), Phase::Evicted);
        // A request arriving on it now does not bring it back.
        old.watch.bytes_arrived();
        old.watch.busy();
        assert_eq!(old.watch.get(), Phase::Evicted);
        // An evicted connection's watchdog ends it at once.
        let start = Instant::now();
        old.watch.expired(limits()).await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        assert!(registry.evict_longest_idle());
        assert_eq!(newer.watch.get(), Phase::Evicted);
        // Evicted ones are not idle any more, and a busy one is never evicted.
        assert!(!registry.evict_longest_idle());
        assert_eq!(busy.watch.get(), Phase::Busy);
        drop((old, newer, busy));
        assert!(registry.live.lock().unwrap().is_empty());
    }

    #[test]
    fn the_cap_stays_below_the_open_file_limit() {
        assert_eq!(effective_cap(512, None), 512);
        assert_eq!(effective_cap(512, Some(1_048_576)), 512);
        assert_eq!(effective_cap(512, Some(256)), 256 - 32 - BUSY_ANSWERS);
        assert_eq!(effective_cap(512, Some(10)), 1);
        assert_eq!(effective_cap(0, None), 1);
    }
}
