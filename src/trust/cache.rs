//! Thread-safe cache of structural (time-independent) chain evaluations.
//!
//! Keyed by SHA-256 over the purpose and the presented chain (each DER length-prefixed,
//! in order). Sharded `RwLock<HashMap>` so that worker threads rarely contend; a shard is
//! simply cleared when it grows past its share of the bound.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::chain::Structural;
use super::types::Purpose;

const SHARDS: usize = 16;

pub(crate) type CacheKey = [u8; 32];

/// SHA-256 over the purpose and every presented DER (length-prefixed, in order).
pub(crate) fn cache_key(chain: &[Vec<u8>], purpose: Purpose) -> CacheKey {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    ctx.update(match purpose {
        Purpose::ClaimSigning => b"claim-signing\0",
        Purpose::TimeStamping => b"time-stamping\0",
    });
    for der in chain {
        ctx.update(&(der.len() as u64).to_be_bytes());
        ctx.update(der);
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

pub(crate) struct StructuralCache {
    shards: Vec<RwLock<HashMap<CacheKey, Arc<Structural>>>>,
    per_shard_max: usize,
}

impl StructuralCache {
    pub(crate) fn new(max_entries: usize) -> Self {
        StructuralCache {
            shards: (0..SHARDS).map(|_| RwLock::new(HashMap::new())).collect(),
            per_shard_max: (max_entries / SHARDS).max(1),
        }
    }

    fn shard(&self, key: &CacheKey) -> &RwLock<HashMap<CacheKey, Arc<Structural>>> {
        &self.shards[key[0] as usize % SHARDS]
    }

    pub(crate) fn get(&self, key: &CacheKey) -> Option<Arc<Structural>> {
        let map = self.shard(key).read().unwrap_or_else(|e| e.into_inner());
        map.get(key).cloned()
    }

    pub(crate) fn insert(&self, key: CacheKey, value: Arc<Structural>) {
        let mut map = self.shard(&key).write().unwrap_or_else(|e| e.into_inner());
        if map.len() >= self.per_shard_max && !map.contains_key(&key) {
            map.clear();
        }
        map.insert(key, value);
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.read().unwrap_or_else(|e| e.into_inner()).len())
            .sum()
    }
}
