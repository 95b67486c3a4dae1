//! Reading CBOR values of claims and assertions (as coset's `ciborium` parses them), with the
//! helpers `read::cose` already has.

use coset::cbor::value::Value;

pub(super) use crate::read::cose::{as_text as text, map_get};

/// The text value of `key` in a CBOR map.
pub(super) fn get_text<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    map_get(v, key).and_then(text)
}
