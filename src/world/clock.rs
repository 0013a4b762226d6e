//! The world's simulated clock and deterministic id generator.
//!
//! Everything generated (RAM user ids, request ids, dates) follows from the world's history, so
//! the same script gives the same transcript every time.

use serde::{Deserialize, Serialize};

/// Seconds since the Unix epoch on the simulated clock, and a counter of ids handed out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    pub now: u64,
    pub seed: u64,
    pub issued: u64,
}

/// The range RAM UserIds are drawn from: 17 digits, `26529…` as in the seed document.
const UID_BASE: u64 = 26_529_000_000_000_000;
const UID_SPAN: u64 = 10_000_000_000;
/// RAM RoleIds: 18 digits starting `3`, apart from every UserId.
const ROLE_ID_BASE: u64 = 300_000_000_000_000_000;
/// Odd and not a multiple of 5: coprime with `UID_SPAN`, so the map below is a bijection and
/// no two users ever get the same id.
const UID_STRIDE: u64 = 7_919_476_837;
/// `UID_STRIDE`'s inverse modulo `UID_SPAN`: the place an id is handed out at, from the id.
const UID_STRIDE_INVERSE: u64 = inverse(UID_STRIDE, UID_SPAN);

/// The inverse of `a` modulo `m` (they are coprime), by the extended Euclidean algorithm.
const fn inverse(a: u64, m: u64) -> u64 {
    let (mut r0, mut r1) = (m as i128, a as i128);
    let (mut t0, mut t1) = (0i128, 1i128);
    while r1 != 0 {
        let q = r0 / r1;
        (r0, r1) = (r1, r0 - q * r1);
        (t0, t1) = (t1, t0 - q * t1);
    }
    t0.rem_euclid(m as i128) as u64
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Clock {
    pub fn new(now: u64, seed: u64) -> Self {
        Clock {
            now,
            seed,
            issued: 0,
        }
    }

    /// Advances the clock by one second and returns the new time.
    pub fn tick(&mut self) -> u64 {
        self.now += 1;
        self.now
    }

    /// A fresh RAM UserId, never handed out before in this world.
    pub fn next_uid(&mut self) -> u64 {
        let n = self.issued;
        self.issued += 1;
        let start = mix(self.seed) % UID_SPAN;
        let offset = ((n as u128 * UID_STRIDE as u128 + start as u128) % UID_SPAN as u128) as u64;
        UID_BASE + offset
    }

    /// A fresh RAM RoleId (18 digits, `3…`), never handed out before in this world.
    pub fn next_role_id(&mut self) -> u64 {
        ROLE_ID_BASE + (self.next_uid() - UID_BASE)
    }

    /// Makes sure no id handed out from now on is `id`, a UserId or RoleId the world holds that
    /// this clock did not hand out (an imported one): the counter moves past the place the
    /// generator would hand `id` out at, if there is one.
    pub fn reserve(&mut self, id: u64) {
        let offset = if (ROLE_ID_BASE..ROLE_ID_BASE + UID_SPAN).contains(&id) {
            id - ROLE_ID_BASE
        } else if (UID_BASE..UID_BASE + UID_SPAN).contains(&id) {
            id - UID_BASE
        } else {
            return;
        };
        let start = mix(self.seed) % UID_SPAN;
        // n * UID_STRIDE + start ≡ offset (mod UID_SPAN)
        let n = ((offset + UID_SPAN - start) as u128 * UID_STRIDE_INVERSE as u128
            % UID_SPAN as u128) as u64;
        self.issued = self.issued.max(n + 1);
    }

    /// A fresh random-looking alphanumeric string of `len` characters, never handed out before.
    pub fn next_token(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let n = self.issued;
        self.issued += 1;
        let mut state = mix(self.seed ^ n.wrapping_mul(0xA076_1D64_78BD_642F));
        (0..len)
            .map(|i| {
                if i % 8 == 0 {
                    state = mix(state ^ i as u64);
                }
                let c = ALPHABET[(state % ALPHABET.len() as u64) as usize];
                state /= ALPHABET.len() as u64;
                c as char
            })
            .collect()
    }

    /// A request id like the service's (`8-4-4-4-12` upper-case hex), from the world's state and
    /// a per-session sequence number; producing one changes nothing.
    pub fn request_id(&self, sequence: u64) -> String {
        let a = mix(self.seed ^ self.issued.rotate_left(17) ^ self.now.rotate_left(40) ^ sequence);
        let b = mix(a ^ sequence.rotate_left(7));
        let hex = format!("{a:016X}{b:016X}");
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` for seconds since the Unix epoch (UTC).
pub fn iso8601(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn digits(text: &str) -> Option<u64> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Days since the Unix epoch of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u64, day: u64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Seconds since the Unix epoch of `YYYY-MM-DDThh:mm:ssZ` (fractions of a second allowed),
/// UTC: as OpenAPI's `Timestamp` and `x-acs-date` and policy conditions' dates carry it.
pub fn parse_iso8601(text: &str) -> Option<u64> {
    let text = text.strip_suffix('Z')?;
    let (date, time) = text.split_once('T')?;
    let mut d = date.split('-');
    let (year, month, day) = (digits(d.next()?)?, digits(d.next()?)?, digits(d.next()?)?);
    let time = time.split_once('.').map_or(time, |(whole, fraction)| {
        if digits(fraction).is_some() {
            whole
        } else {
            ""
        }
    });
    let mut t = time.split(':');
    let (hour, minute, second) = (digits(t.next()?)?, digits(t.next()?)?, digits(t.next()?)?);
    if d.next().is_some() || t.next().is_some() || date.len() != 10 || time.len() != 8 {
        return None;
    }
    let valid = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && hour < 24
        && minute < 60
        && second < 61;
    if !valid || year < 1970 {
        return None;
    }
    let days = u64::try_from(days_from_civil(year as i64, month, day)).ok()?;
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reserved_id_is_never_handed_out() {
        let mut made = Clock::new(0, 5527);
        let ids: Vec<u64> = (0..40)
            .map(|i| {
                if i % 3 == 0 {
                    made.next_role_id()
                } else {
                    made.next_uid()
                }
            })
            .collect();
        // A clock of the same seed that starts afresh, as an imported world's does.
        let mut fresh = Clock::new(0, 5527);
        for id in [ids[7], ids[21], 12_345, u64::MAX] {
            fresh.reserve(id);
        }
        assert_eq!(fresh.issued, 22);
        // Every id up to the last one reserved is passed over.
        let passed = &ids[..22];
        let later: Vec<u64> = (0..1000).map(|_| fresh.next_uid()).collect();
        assert!(later.iter().all(|uid| {
            let role_id = uid - UID_BASE + ROLE_ID_BASE;
            !passed.contains(uid) && !passed.contains(&role_id)
        }));
        // Reserving never moves the counter back.
        fresh.reserve(ids[0]);
        assert_eq!(fresh.issued, 1022);
    }

    #[test]
    fn dates_format_as_iso8601() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_767_225_600), "2026-01-01T00:00:00Z");
        assert_eq!(iso8601(1_709_210_096), "2024-02-29T12:34:56Z");
        assert_eq!(parse_iso8601("2024-02-29T12:34:56Z"), Some(1_709_210_096));
        assert_eq!(
            parse_iso8601("2024-02-29T12:34:56.123Z"),
            Some(1_709_210_096)
        );
        assert_eq!(parse_iso8601("2024-02-29 12:34:56"), None);
    }

    #[test]
    fn uids_are_17_digits_and_distinct() {
        let mut clock = Clock::new(0, 12345);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..100_000 {
            let uid = clock.next_uid();
            assert_eq!(uid.to_string().len(), 17);
            assert!(seen.insert(uid));
        }
    }

    #[test]
    fn tokens_are_alphanumeric_and_differ() {
        let mut clock = Clock::new(0, 9);
        let a = clock.next_token(20);
        let b = clock.next_token(20);
        assert_eq!(a.len(), 20);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }

    #[test]
    fn request_ids_have_the_service_shape() {
        let clock = Clock::new(5, 7);
        let id = clock.request_id(1);
        assert_eq!(id.len(), 36);
        assert_eq!(id.matches('-').count(), 4);
        assert!(
            id.chars()
                .all(|c| c == '-' || c.is_ascii_digit() || c.is_ascii_uppercase())
        );
        assert_ne!(id, clock.request_id(2));
    }
}
