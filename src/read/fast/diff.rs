//! How two judgements of one store differ (`--cross-check`, the differential tests).

use crate::read::facts::StoreFacts;
use crate::report::{Status, Validation};

/// A validation's three status lists, named.
fn lists(v: &Validation) -> [(&'static str, &Vec<Status>); 3] {
    [
        ("success", &v.success),
        ("informational", &v.informational),
        ("failure", &v.failure),
    ]
}

/// How provcheck's own verdict on a store differs from the SDK's (`--cross-check`, tests), or
/// `None` when the statuses and manifest facts are identical.
pub fn difference(own: &StoreFacts, sdk: &StoreFacts) -> Option<String> {
    if own.active != sdk.active {
        return Some("different active manifests".into());
    }
    for ((kind, a), (_, b)) in lists(&own.validation)
        .into_iter()
        .zip(lists(&sdk.validation))
    {
        let key = |s: &Status| {
            (
                s.code.clone(),
                s.url.clone(),
                s.explanation.clone(),
                s.scope.clone(),
            )
        };
        let a: Vec<_> = a.iter().map(key).collect();
        let b: Vec<_> = b.iter().map(key).collect();
        if a != b {
            let only_own: Vec<&str> = a
                .iter()
                .filter(|x| !b.contains(x))
                .map(|x| x.0.as_str())
                .collect();
            let only_sdk: Vec<&str> = b
                .iter()
                .filter(|x| !a.contains(x))
                .map(|x| x.0.as_str())
                .collect();
            return Some(format!(
                "{kind} statuses: provcheck only {only_own:?}, SDK only {only_sdk:?}"
            ));
        }
    }
    let facts = |s: &StoreFacts| {
        let mut v: Vec<String> = s.manifests.values().map(|m| format!("{m:?}")).collect();
        v.sort();
        v
    };
    if facts(own) != facts(sdk) {
        return Some("manifest facts differ".into());
    }
    None
}
