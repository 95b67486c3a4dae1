//! PNG chunks (ISO/IEC 15948 5.3): length, type, data, CRC.

use super::bytes::{arr, be32, to_usize};

/// The PNG signature.
pub const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// One chunk: its type, the offset of its length field, its data range, and the offset after
/// its CRC (which may lie past the end of the file for the last chunk, see [`chunks`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub kind: [u8; 4],
    pub start: usize,
    pub data_start: usize,
    pub data_end: usize,
    pub end: usize,
}

impl Chunk {
    /// The chunk's data.
    pub fn data<'a>(&self, d: &'a [u8]) -> &'a [u8] {
        d.get(self.data_start..self.data_end).unwrap_or_default()
    }
}

/// The chunks of `d` in file order, lazily; nothing without the PNG signature. The walk ends
/// after IEND (yielded) or at a chunk whose data reaches past the end of `d` (not yielded). A
/// last chunk whose data is whole but whose CRC is cut off is yielded (its `end` is past the end
/// of `d`); see [`whole_chunks`] for chunks with their CRC only.
pub fn chunks(d: &[u8]) -> Chunks<'_> {
    Chunks {
        d,
        pos: d.starts_with(SIGNATURE).then_some(SIGNATURE.len()),
    }
}

/// The chunks of [`chunks`] that end, CRC included, inside `d`.
pub fn whole_chunks(d: &[u8]) -> impl Iterator<Item = Chunk> + '_ {
    chunks(d).take_while(move |c| c.end <= d.len())
}

/// Iterator of [`chunks`].
pub struct Chunks<'a> {
    d: &'a [u8],
    /// `None` once the walk has ended.
    pos: Option<usize>,
}

impl Iterator for Chunks<'_> {
    type Item = Chunk;

    fn next(&mut self) -> Option<Chunk> {
        let d = self.d;
        let start = self.pos.take()?;
        let len = be32(d, start).and_then(to_usize)?;
        let kind = arr::<4>(d, start.checked_add(4)?)?;
        let data_start = start.checked_add(8)?;
        let data_end = data_start.checked_add(len)?;
        if data_end > d.len() {
            return None;
        }
        let end = data_end.checked_add(4)?;
        if &kind != b"IEND" {
            self.pos = Some(end);
        }
        Some(Chunk {
            kind,
            start,
            data_start,
            data_end,
            end,
        })
    }
}

/// Whether the c2pa SDK's PNG reader (`png_io`'s chunk walk) reads `d` to the end: from the
/// signature, a chain of whole chunks (length, type, data and CRC inside the file), each type
/// valid UTF-8, up to an IEND; what follows IEND is not read. Otherwise the SDK refuses the
/// file ("PNG out of range", "PNG bad chunk name") before it looks at any manifest.
pub fn sdk_reads_to_iend(d: &[u8]) -> bool {
    for c in chunks(d) {
        if c.end > d.len() || std::str::from_utf8(&c.kind).is_err() {
            return false;
        }
        if &c.kind == b"IEND" {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sdk_reads_only_a_whole_chain_of_chunks_to_iend() {
        let mut d = SIGNATURE.to_vec();
        d.extend(chunk(b"tEXt", b"k\0v"));
        d.extend(chunk(b"IEND", b""));
        assert!(sdk_reads_to_iend(&d));
        // anything after IEND is not read
        let mut after = d.clone();
        after.extend(b"trailing bytes");
        assert!(sdk_reads_to_iend(&after));
        // no IEND, a cut CRC, a length past the end, a type that is not UTF-8
        assert!(!sdk_reads_to_iend(&d[..d.len() - 12]));
        assert!(!sdk_reads_to_iend(&d[..d.len() - 1]));
        let mut long = d.clone();
        long[8..12].copy_from_slice(&0x7fff_fff0u32.to_be_bytes());
        assert!(!sdk_reads_to_iend(&long));
        let mut name = d.clone();
        name[12] = 0xff;
        assert!(!sdk_reads_to_iend(&name));
        assert!(!sdk_reads_to_iend(b"GIF89a"));
    }

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend(kind);
        c.extend(data);
        c.extend([0; 4]); // CRC (not checked here)
        c
    }

    #[test]
    fn chunks_end_after_iend_and_a_cut_crc_is_not_whole() {
        let mut d = SIGNATURE.to_vec();
        d.extend(chunk(b"tEXt", b"k\0v"));
        d.extend(chunk(b"IEND", b""));
        d.extend(chunk(b"tEXt", b"after\0end"));
        let kinds: Vec<[u8; 4]> = chunks(&d).map(|c| c.kind).collect();
        assert_eq!(kinds, [*b"tEXt", *b"IEND"]);
        let first = chunks(&d).next().unwrap();
        assert_eq!(first.data(&d), b"k\0v");
        assert_eq!((first.start, first.end), (8, 8 + 12 + 3));

        // the last chunk's CRC is cut off: its data is still read, but it is not whole
        let mut cut = SIGNATURE.to_vec();
        cut.extend(chunk(b"tEXt", b"k\0v"));
        cut.truncate(cut.len() - 2);
        assert_eq!(chunks(&cut).count(), 1);
        assert_eq!(whole_chunks(&cut).count(), 0);
        assert_eq!(chunks(b"GIF89a").count(), 0);
    }
}
