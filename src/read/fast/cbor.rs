//! Reading CBOR values of claims and assertions (as coset's `ciborium` parses them).

use coset::cbor::value::Value;

pub(super) use crate::read::cose::map_get;

pub(super) fn text(v: &Value) -> Option<&str> {
    match v {
        Value::Text(t) => Some(t),
        _ => None,
    }
}

pub(super) fn get_text<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    map_get(v, key).and_then(text)
}
