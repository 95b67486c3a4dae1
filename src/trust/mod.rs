//! Trust engine: our own X.509 certificate-chain evaluation for C2PA signers
//! (claim signers and RFC 3161 time-stamp signers).
//!
//! Modelled on rustls-webpki's `verify_cert.rs`: every certificate check is a small
//! function in `checks.rs` whose doc comment cites RFC 5280 or the C2PA 2.x trust model;
//! errors are typed ([`ChainError`]); path building (`chain.rs`) is depth-first with a
//! depth limit, a signature-check budget and loop prevention.
//!
//! * [`TrustStore`] (in `store.rs`) holds the anchors, the end-entity allow-list, the EKU
//!   policy and generator pins, each with the list it came from. It is built once per
//!   process and is immutable afterwards.
//! * [`TrustEngine`] wraps a store and a cache shared by all worker threads. The cache
//!   key is the SHA-256 over the presented chain plus the purpose; the cached value is the
//!   *time-independent* part of the evaluation (path building, link signatures,
//!   basicConstraints, pathLen, keyUsage, EKU). Validity at the evaluation time is
//!   re-applied on every call, so one signer's chain costs one structural evaluation no
//!   matter how many timestamps it is checked at.
//!
//! Every `String` that comes from a certificate is attacker-controlled. It is stored as-is
//! (escaping is the renderer's job) but bounded to [`MAX_DN_CHARS`] characters.

mod cache;
mod cert;
mod chain;
mod checks;
mod lazy;
mod pem;
pub mod signer;
pub mod store;
mod types;

#[cfg(test)]
mod tests;

use std::sync::atomic::{AtomicU64, Ordering};

pub use store::{AnchorInfo, PinInfo, TrustStore};
pub use types::{
    CertSummary, ChainError, ChainEvaluation, LinkFailure, MissingIssuer, NameOnlyMatch, PathEnd,
    Purpose, TrustError, TrustSource, MAX_CACHE_ENTRIES,
};
#[cfg(test)]
use types::{MAX_DN_CHARS, MAX_PATH_DEPTH};

/// Shared by all worker threads (Send + Sync). Holds the store and a structural cache.
pub struct TrustEngine {
    store: TrustStore,
    cache: cache::StructuralCache,
    evaluations: AtomicU64,
}

impl TrustEngine {
    pub fn new(store: TrustStore) -> Self {
        TrustEngine {
            store,
            cache: cache::StructuralCache::new(MAX_CACHE_ENTRIES),
            evaluations: AtomicU64::new(0),
        }
    }

    pub fn store(&self) -> &TrustStore {
        &self.store
    }

    /// Evaluate a presented chain.
    ///
    /// `chain`: DER certificates as presented in the COSE x5chain (leaf first; the rest
    /// may be unordered, duplicated, incomplete, or contain junk). `at`: the evaluation
    /// time (unix seconds), chosen by the caller (trusted timestamp time or now).
    pub fn evaluate(&self, chain: &[Vec<u8>], purpose: Purpose, at: i64) -> ChainEvaluation {
        let key = cache::cache_key(chain, purpose);
        let structural = match self.cache.get(&key) {
            Some(s) => s,
            None => {
                self.evaluations.fetch_add(1, Ordering::Relaxed);
                let s = std::sync::Arc::new(chain::evaluate_structure(&self.store, chain, purpose));
                self.cache.insert(key, s.clone());
                s
            }
        };
        chain::apply_time(&structural, at)
    }

    /// Number of structural evaluations actually performed (cache misses).
    pub fn evaluations_performed(&self) -> u64 {
        self.evaluations.load(Ordering::Relaxed)
    }

    /// Number of cached structural results (for diagnostics).
    #[cfg(test)]
    pub fn cached_entries(&self) -> usize {
        self.cache.len()
    }
}

#[allow(dead_code)]
fn _assert_send_sync() {
    fn is<T: Send + Sync>() {}
    is::<TrustStore>();
    is::<TrustEngine>();
    is::<ChainEvaluation>();
}

#[cfg(test)]
mod same_name_tests {
    use super::cert;

    /// Whether two RFC 4514 distinguished names (as this module prints them) name the same
    /// entity, with the normalised matching path building uses (RFC 5280 7.1: case, spacing,
    /// escapes).
    fn same_name(a: &str, b: &str) -> bool {
        match (cert::parse_rfc4514(a), cert::parse_rfc4514(b)) {
            (Ok(x), Ok(y)) => cert::canonical_key(&x) == cert::canonical_key(&y),
            _ => false,
        }
    }

    /// RFC 5280 7.1 / RFC 4514 2.4: case, spacing and escaped commas do not make another name.
    #[test]
    fn same_name_normalises_and_respects_escapes() {
        assert!(same_name(
            "CN=Microsoft SCD Claimants RSA CA,O=Microsoft Corporation,C=US",
            "cn=microsoft  scd claimants rsa ca, O=Microsoft Corporation,C=us"
        ));
        assert!(same_name(
            "CN=DigiCert Timestamp 2023,O=DigiCert\\, Inc.,C=US",
            "CN=DigiCert Timestamp 2023,O=DigiCert\\2C Inc.,C=US"
        ));
        // RDN order matters: a reordered name is another name
        assert!(!same_name("CN=A,O=B", "O=B,CN=A"));
        assert!(!same_name("CN=A,O=B\\, C", "CN=A,O=B,O=C"));
    }
}
