//! GIF blocks (GIF89a, <https://www.w3.org/Graphics/GIF/spec-gif89a.txt>) walked the way
//! c2pa 0.90.22's `gif_io.rs` walks them to find the C2PA application extension (C2PA 2.x
//! "Embedding manifests into GIF"): the header, the logical screen descriptor and its global
//! colour table, then extension blocks until the first C2PA block, an image descriptor or the
//! trailer. Nothing here reads past the end of the data.
#![deny(clippy::arithmetic_side_effects)]

use super::bytes::sl;

/// The application identifier and authentication code of a C2PA block.
const C2PA_ID: &[u8; 11] = b"C2PA_GIF\x01\x00\x00";

/// Most sub-blocks of a C2PA block located here (a store of up to 255 MiB in full sub-blocks):
/// each becomes a piece of the store-to-file map, so a store split into millions of one-byte
/// sub-blocks would cost more memory than the file. Beyond it the SDK reads the file itself.
pub const MAX_STORE_SUB_BLOCKS: usize = 1 << 20;

/// The C2PA application extension block as the SDK's `read_cai` finds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct C2paBlock {
    /// Offset of the block's extension introducer (0x21).
    pub start: usize,
    /// Offset after the block's terminating empty sub-block.
    pub end: usize,
    /// The data of each sub-block, in order: `(offset, length)`; together they are the store.
    pub sub_blocks: Vec<(usize, usize)>,
}

/// Sub-blocks from `pos` (GIF89a section 15): a length byte, then that many bytes, until a zero
/// length. Their data ranges (when `keep`, at most [`MAX_STORE_SUB_BLOCKS`]) and the offset
/// after the terminator; `None` when a length byte or a sub-block lies past the end (the SDK's
/// `read_u8`/`read_exact` then fail; its skipping `seek` past the end fails at the next length
/// byte, so every case is the same), or when there are too many to keep.
fn sub_blocks(d: &[u8], mut pos: usize, keep: bool) -> Option<(Vec<(usize, usize)>, usize)> {
    let mut out = Vec::new();
    loop {
        let len = usize::from(*d.get(pos)?);
        pos = pos.checked_add(1)?;
        if len == 0 {
            return Some((out, pos));
        }
        sl(d, pos, len)?;
        if keep {
            if out.len() >= MAX_STORE_SUB_BLOCKS {
                return None;
            }
            out.push((pos, len));
        }
        pos = pos.checked_add(len)?;
    }
}

/// The first C2PA block of `d`, found exactly as c2pa 0.90.22's `GifIO::find_c2pa_block`
/// finds it, or `None` when that walk finds none or fails (then the SDK reads the file itself):
///
/// * header "GIF87a" or "GIF89a"; logical screen descriptor (its packed byte at offset 10);
///   a global colour table of `3 * 2^(n+1)` bytes when its flag is set;
/// * blocks: 0x21 extensions, application (0xFF: block size 11, identifier and code, then
///   sub-blocks), comment (0xFE: sub-blocks), graphic control (0xF9: 6 bytes), plain text
///   (0x01: 11 bytes, then sub-blocks); any other label fails the walk;
/// * an image descriptor (0x2C), the trailer (0x3B) or any other byte ends the search with no
///   store, so only the blocks before the first image matter.
pub fn c2pa_block(d: &[u8]) -> Option<C2paBlock> {
    let version = sl(d, 0, 6)?;
    if version != b"GIF89a" && version != b"GIF87a" {
        return None;
    }
    let packed = *d.get(10)?;
    let mut pos = 13usize;
    if packed & 0x80 != 0 {
        pos = pos.checked_add(3usize.checked_shl(u32::from(packed & 7).checked_add(1)?)?)?;
    }
    loop {
        let start = pos;
        if *d.get(pos)? != 0x21 {
            return None;
        }
        let label = *d.get(pos.checked_add(1)?)?;
        pos = pos.checked_add(2)?;
        match label {
            0xff => {
                if *d.get(pos)? != 0x0b {
                    return None;
                }
                let id = sl(d, pos.checked_add(1)?, 11)?;
                let (blocks, end) = sub_blocks(d, pos.checked_add(12)?, id == C2PA_ID)?;
                if id == C2PA_ID {
                    return Some(C2paBlock {
                        start,
                        end,
                        sub_blocks: blocks,
                    });
                }
                pos = end;
            }
            0xfe => pos = sub_blocks(d, pos, false)?.1,
            0xf9 => pos = pos.checked_add(6)?,
            0x01 => pos = sub_blocks(d, pos.checked_add(11)?, false)?.1,
            _ => return None,
        }
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    /// A GIF header and screen descriptor with a 2-entry global colour table.
    fn head() -> Vec<u8> {
        let mut d = b"GIF89a\x01\x00\x01\x00\x80\x00\x00".to_vec();
        d.extend([0u8; 6]);
        d
    }

    fn app(id: &[u8; 11], data: &[u8]) -> Vec<u8> {
        let mut b = vec![0x21, 0xff, 0x0b];
        b.extend(id);
        for c in data.chunks(255) {
            b.push(c.len() as u8);
            b.extend(c);
        }
        b.push(0);
        b
    }

    #[test]
    fn finds_the_c2pa_block_after_other_extensions() {
        let mut d = head();
        d.extend([0x21, 0xf9, 4, 0, 0, 0, 0, 0]); // graphic control
        d.extend([0x21, 0xfe, 2, b'h', b'i', 0]); // comment
        d.extend(app(b"NETSCAPE2.0", &[1, 0, 0]));
        let start = d.len();
        let store = vec![7u8; 600];
        d.extend(app(C2PA_ID, &store));
        let end = d.len();
        d.extend([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 1, 0, 0, 0x3b]);
        let b = c2pa_block(&d).expect("found");
        assert_eq!((b.start, b.end), (start, end));
        let lens: Vec<usize> = b.sub_blocks.iter().map(|s| s.1).collect();
        assert_eq!(lens, vec![255, 255, 90]);
        let joined: Vec<u8> = b
            .sub_blocks
            .iter()
            .flat_map(|&(o, l)| d[o..o + l].to_vec())
            .collect();
        assert_eq!(joined, store);
    }

    #[test]
    fn no_store_after_the_first_image_or_in_a_broken_walk() {
        let block = app(C2PA_ID, b"store");
        // after an image descriptor: the SDK does not look
        let mut after_image = head();
        after_image.extend([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 1, 0, 0]);
        after_image.extend(&block);
        assert_eq!(c2pa_block(&after_image), None);
        // an unknown extension label before it fails the SDK's walk
        let mut unknown = head();
        unknown.extend([0x21, 0x02, 0]);
        unknown.extend(&block);
        assert_eq!(c2pa_block(&unknown), None);
        // a wrong application block size
        let mut size = head();
        let mut b = block.clone();
        b[2] = 0x0a;
        size.extend(&b);
        assert_eq!(c2pa_block(&size), None);
        // cut inside the store or before its terminator
        let mut whole = head();
        whole.extend(&block);
        assert!(c2pa_block(&whole).is_some());
        for cut in 1..block.len() {
            assert_eq!(c2pa_block(&whole[..whole.len() - cut]), None, "cut {cut}");
        }
        // a store of more one-byte sub-blocks than are kept
        let mut many = head();
        many.extend([0x21, 0xff, 0x0b]);
        many.extend(C2PA_ID);
        many.extend([1, 7].repeat(MAX_STORE_SUB_BLOCKS + 1));
        many.push(0);
        assert_eq!(c2pa_block(&many), None);
        let cut = many.len() - 5;
        many[cut..].copy_from_slice(&[0, 0, 0, 0, 0]);
        assert!(c2pa_block(&many).is_some());
        // not a GIF, or a global colour table running past the end
        assert_eq!(c2pa_block(b"GIF90a\x01\x00\x01\x00\x00\x00\x00"), None);
        let mut big_table = head();
        big_table[10] = 0x87;
        big_table.extend(&block);
        assert_eq!(c2pa_block(&big_table), None);
    }
}
