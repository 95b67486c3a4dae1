//! The BMFF hash (`c2pa.hash.bmff.v2` and `.v3`, C2PA 2.2 section 18.8) of a HEIC, HEIF, AVIF,
//! MP4, MOV or M4A file, checked by the c2pa SDK's own `BmffHash`.
//!
//! The own path re-implements no part of this binding. The box walk that decides which bytes a
//! BMFF hash covers (exclusions by box path, `xpath` subsets, data and `flags` matches, the v2
//! and v3 offset rules, Merkle trees over `mdat` chunks and fragments) is long and full of edge
//! rules, and a reader that walked one box differently would call a changed file clean. So the
//! assertion is decoded with the SDK's decoder (`c2pa_cbor` into `c2pa::assertions::BmffHash`,
//! what its `BmffHash::from_assertion` does), given the version its label says, and verified by
//! `BmffHash::verify_in_memory_hash` over the same bytes and with the claim's algorithm, the
//! call the SDK's `Claim::verify_hash_binding` makes for the file. What the own path adds
//! around it (the claim signature with ring, the time-stamp, hashed URIs, ingredients) is what
//! it does for every other format. A hash that does not verify is left to the SDK, which
//! reports it with its own codes.

use c2pa::assertions::BmffHash;

use super::cbor::cbor_content;

/// The assertion versions the SDK verifies (`BmffHash::VERSION` is 3; a v1 BMFF hash is refused
/// as too old by its claim checks). The label must be exactly the versioned base label: an
/// instance suffix or another version goes to the SDK.
fn version(label: &str) -> Option<usize> {
    match label {
        "c2pa.hash.bmff.v2" => Some(2),
        "c2pa.hash.bmff.v3" => Some(3),
        _ => None,
    }
}

/// Whether the BMFF hash of assertion `label` (its superbox payload `payload`) verifies over
/// `data` with the claim's algorithm `claim_alg`, as the SDK's claim check runs it; `None` to
/// decline: another label or version, a box the SDK's decoder refuses, or a hash that does not
/// verify.
pub(super) fn check(data: &[u8], label: &str, payload: &[u8], claim_alg: &str) -> Option<()> {
    let version = version(label)?;
    let mut hash: BmffHash = c2pa_cbor::from_slice(cbor_content(payload)?).ok()?;
    hash.set_bmff_version(version);
    hash.verify_in_memory_hash(data, Some(claim_alg)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::container::bmff::boxed;

    #[test]
    fn only_the_versions_the_sdk_verifies_are_taken() {
        assert_eq!(version("c2pa.hash.bmff.v2"), Some(2));
        assert_eq!(version("c2pa.hash.bmff.v3"), Some(3));
        for other in [
            "c2pa.hash.bmff",
            "c2pa.hash.bmff.v4",
            "c2pa.hash.bmff.v2__1",
            "c2pa.hash.data",
        ] {
            assert_eq!(version(other), None, "{other}");
        }
    }

    #[test]
    fn the_content_must_be_one_cbor_box_after_the_description() {
        let jumd = boxed(b"jumd", &[0u8; 17]);
        let cbor = boxed(b"cbor", &[0xa0]);
        let one = [jumd.clone(), cbor.clone()].concat();
        assert_eq!(cbor_content(&one), Some(&[0xa0u8][..]));
        let json = [jumd.clone(), boxed(b"json", b"{}")].concat();
        assert_eq!(cbor_content(&json), None);
        let two = [jumd.clone(), cbor.clone(), cbor].concat();
        assert_eq!(cbor_content(&two), None);
        assert_eq!(cbor_content(&jumd), None);
    }
}
