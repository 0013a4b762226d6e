//! Signature nonces seen recently, so that a signed request is answered once: a nonce is
//! remembered, per AccessKey, until its request's signing time leaves the 15-minute window (a
//! replay after that is refused for its time anyway). The memory is bounded: each nonce is kept
//! as 16 bytes of a SHA-256 and its expiry, at most [`CAP`] of them; when that many are still
//! inside their window, new requests are refused (`Throttling.User`) rather than a nonce
//! forgotten early, which would let its request be replayed. Only requests whose signature
//! verified are remembered, so only holders of a key can fill it.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use super::errors::OpenApiError;

/// The most nonces kept at once (about 50 MB at most).
pub const CAP: usize = 1_000_000;

fn secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn digest(access_key_id: &str, nonce: &str) -> u128 {
    let mut h = Sha256::new();
    h.update((access_key_id.len() as u64).to_be_bytes());
    h.update(access_key_id.as_bytes());
    h.update(nonce.as_bytes());
    let d = h.finalize();
    let mut first = [0u8; 16];
    first.copy_from_slice(&d[..16]);
    u128::from_be_bytes(first)
}

#[derive(Debug, Default)]
struct Inner {
    seen: HashSet<u128>,
    /// (expiry in seconds, digest), the soonest first.
    expiries: BinaryHeap<Reverse<(u64, u128)>>,
}

/// The nonces of one server.
#[derive(Debug)]
pub struct Nonces {
    inner: Mutex<Inner>,
    cap: usize,
}

impl Default for Nonces {
    fn default() -> Self {
        Nonces::with_cap(CAP)
    }
}

impl Nonces {
    pub fn with_cap(cap: usize) -> Self {
        Nonces {
            inner: Mutex::new(Inner::default()),
            cap,
        }
    }

    /// Admits a nonce once: remembered until `expires`, refused if seen before.
    pub fn admit(
        &self,
        access_key_id: &str,
        nonce: &str,
        expires: SystemTime,
        now: SystemTime,
    ) -> Result<(), OpenApiError> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let now = secs(now);
        while let Some(Reverse((expiry, d))) = inner.expiries.peek().copied() {
            if expiry > now {
                break;
            }
            inner.expiries.pop();
            inner.seen.remove(&d);
        }
        let d = digest(access_key_id, nonce);
        if inner.seen.contains(&d) {
            return Err(OpenApiError::NonceUsed);
        }
        if inner.seen.len() >= self.cap {
            return Err(OpenApiError::NonceMemoryFull);
        }
        inner.seen.insert(d);
        inner.expiries.push(Reverse((secs(expires), d)));
        Ok(())
    }

    /// How many nonces are kept.
    pub fn len(&self) -> usize {
        self.inner.lock().map_or(0, |i| i.seen.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(s: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(s)
    }

    #[test]
    fn a_nonce_is_admitted_once_per_key_within_its_window() {
        let n = Nonces::default();
        assert_eq!(n.admit("k", "a", at(1900), at(1000)), Ok(()));
        assert_eq!(
            n.admit("k", "a", at(1900), at(1001)),
            Err(OpenApiError::NonceUsed)
        );
        assert_eq!(n.admit("other", "a", at(1900), at(1001)), Ok(()));
        // The key and the nonce are not run together.
        assert_eq!(n.admit("k", "ab", at(1900), at(1001)), Ok(()));
        assert_eq!(n.admit("ka", "b", at(1900), at(1001)), Ok(()));
        assert_eq!(n.len(), 4);
        // Forgotten once expired.
        assert_eq!(n.admit("k", "a", at(3000), at(1900)), Ok(()));
        assert_eq!(n.len(), 1);
    }

    #[test]
    fn memory_is_bounded_without_forgetting_early() {
        let n = Nonces::with_cap(3);
        for (i, expiry) in [500u64, 100, 300].into_iter().enumerate() {
            assert_eq!(n.admit("k", &i.to_string(), at(expiry), at(0)), Ok(()));
        }
        assert_eq!(
            n.admit("k", "new", at(900), at(50)),
            Err(OpenApiError::NonceMemoryFull)
        );
        assert_eq!(
            n.admit("k", "1", at(900), at(50)),
            Err(OpenApiError::NonceUsed)
        );
        // At 100 the soonest expires, making room; the others are still remembered.
        assert_eq!(n.admit("k", "new", at(900), at(100)), Ok(()));
        assert_eq!(
            n.admit("k", "0", at(900), at(100)),
            Err(OpenApiError::NonceUsed)
        );
        assert_eq!(
            n.admit("k", "2", at(900), at(100)),
            Err(OpenApiError::NonceUsed)
        );
    }
}
