//! The claim signatures of a store's ingredient manifests, verified before the walk that logs
//! them: each manifest once, however many ingredients name it, and on a second thread as well
//! when the caller has a core to spare (one file being verified) and the store has enough of
//! them to pay for the thread (a Google multi-edit PNG carries 30). The walk takes the results
//! in its own order, so the report does not depend on which thread verified what.

use std::collections::HashMap;

use super::signature::{verify_signature, Signed};
use super::FastPath;

/// From this many ingredient manifests a second thread pays for itself (a signature with its
/// time-stamp takes a few hundred microseconds; starting a thread, some tens).
const PARALLEL_FROM: usize = 4;

/// One ingredient manifest: its label, COSE_Sign1 and claim bytes.
pub(super) type Item<'a> = (&'a str, &'a [u8], Vec<u8>);

/// `verify_signature(cose, claim, fast, false)` of every item, by label.
pub(super) fn verify_all<'a>(
    items: &[Item<'a>],
    fast: &FastPath,
    parallel: bool,
) -> HashMap<&'a str, Result<Signed, &'static str>> {
    let one =
        |(label, cose, claim): &Item<'a>| (*label, verify_signature(cose, claim, fast, false));
    if !parallel || items.len() < PARALLEL_FROM {
        return items.iter().map(one).collect();
    }
    let (first, second) = items.split_at(items.len() / 2);
    std::thread::scope(|s| {
        let other = s.spawn(|| second.iter().map(one).collect::<Vec<_>>());
        let mut all: HashMap<_, _> = first.iter().map(one).collect();
        // a panic on the other thread is not expected; its half is then verified here
        match other.join() {
            Ok(done) => all.extend(done),
            Err(_) => all.extend(second.iter().map(one)),
        }
        all
    })
}
