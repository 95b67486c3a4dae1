//! ISO BMFF boxes (ISO/IEC 14496-12 4.2: 32-bit size, type, 64-bit `largesize` when the size is
//! 1, to the end of the data when it is 0). JUMBF (ISO/IEC 19566-5) uses the same framing.
#![deny(clippy::arithmetic_side_effects)]

use super::bytes::{arr, be32};

/// Most boxes looked at in one superbox.
pub const MAX_BOXES: usize = 100_000;

/// One box: its type, the offset of its payload in the whole buffer the walk started from, and
/// the payload.
#[derive(Clone, Copy)]
pub struct BoxRef<'a> {
    pub kind: [u8; 4],
    /// Offset of the box's payload in the whole store.
    pub start: usize,
    pub body: &'a [u8],
}

/// Iterate the boxes in `data`, at most [`MAX_BOXES`]; the walk ends at the first box whose
/// header or payload does not fit in `data`. `base` is the offset of `data` in the whole
/// buffer (for [`BoxRef::start`]).
pub fn boxes(data: &[u8], base: usize) -> impl Iterator<Item = BoxRef<'_>> {
    let mut pos = 0usize;
    let mut count = 0usize;
    std::iter::from_fn(move || {
        if count >= MAX_BOXES {
            return None;
        }
        count = count.checked_add(1)?;
        let size = u64::from(be32(data, pos)?);
        let kind: [u8; 4] = arr(data, pos.checked_add(4)?)?;
        let (header, size) = match size {
            0 => (8usize, u64::try_from(data.len().checked_sub(pos)?).ok()?),
            1 => (16usize, u64::from_be_bytes(arr(data, pos.checked_add(8)?)?)),
            n => (8usize, n),
        };
        if size < header as u64 {
            return None;
        }
        let end = pos.checked_add(usize::try_from(size).ok()?)?;
        let body = data.get(pos.checked_add(header)?..end)?;
        let start = base.checked_add(pos)?.checked_add(header)?;
        pos = end;
        Some(BoxRef { kind, start, body })
    })
}

/// A box of `kind` around `payload` with a 32-bit size, for the unit tests that build stores
/// and containers.
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
pub fn boxed(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut b = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
    b.extend(kind);
    b.extend(payload);
    b
}

/// A JUMBF superbox (ISO/IEC 19566-5): a `jumd` with an all-zero type, requestable and labelled
/// `label`, then `children`; for the unit tests that build stores.
#[cfg(test)]
pub fn jumbf_superbox(label: &str, children: &[Vec<u8>]) -> Vec<u8> {
    let mut d = vec![0u8; 16];
    d.push(0x03);
    d.extend(label.as_bytes());
    d.push(0);
    let mut payload = boxed(b"jumd", &d);
    children.iter().for_each(|c| payload.extend(c));
    boxed(b"jumb", &payload)
}
