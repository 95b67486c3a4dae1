//! JPEG marker segments (ITU T.81 B.1), from SOI up to and including the first SOS or EOI.

use super::bytes::be16;

/// One marker: `marker` is the byte after 0xFF; `start` is the offset of that 0xFF (after any
/// fill bytes) and `end` the offset after the segment (after its length field and payload, or
/// after the two marker bytes for a marker without a length: SOI, TEM, RSTn, SOS, EOI).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub marker: u8,
    pub start: usize,
    pub end: usize,
}

impl Segment {
    /// Whether the marker stands alone (no length field): SOI, TEM and RST0-7.
    pub fn is_standalone(&self) -> bool {
        matches!(self.marker, 0x01 | 0xd8 | 0xd0..=0xd7)
    }

    /// The payload after the two length bytes (empty for a marker without a length).
    pub fn payload<'a>(&self, d: &'a [u8]) -> &'a [u8] {
        self.start
            .checked_add(4)
            .and_then(|s| d.get(s..self.end))
            .unwrap_or_default()
    }
}

/// The segments of `d` in file order, lazily; nothing when `d` does not start with SOI. The walk
/// ends after SOS or EOI (yielded), at a byte that is not a marker, or at a segment whose length
/// is below 2 or reaches past the end of `d` (not yielded). Standalone markers are yielded too,
/// so that a caller counting steps counts them.
pub fn segments(d: &[u8]) -> Segments<'_> {
    Segments {
        d,
        pos: if d.get(0..2) == Some(&[0xff, 0xd8]) {
            Some(2)
        } else {
            None
        },
    }
}

/// Iterator of [`segments`].
pub struct Segments<'a> {
    d: &'a [u8],
    /// `None` once the walk has ended.
    pos: Option<usize>,
}

impl Iterator for Segments<'_> {
    type Item = Segment;

    fn next(&mut self) -> Option<Segment> {
        let d = self.d;
        let mut pos = self.pos.take()?;
        loop {
            let after = pos.checked_add(1)?;
            let (Some(&ff), Some(&marker)) = (d.get(pos), d.get(after)) else {
                return None;
            };
            if ff != 0xff {
                return None;
            }
            if marker == 0xff {
                pos = after; // fill byte
                continue;
            }
            let two = pos.checked_add(2)?;
            if marker == 0xd9 || marker == 0xda {
                return Some(Segment {
                    marker,
                    start: pos,
                    end: two,
                });
            }
            let seg = if matches!(marker, 0x01 | 0xd8 | 0xd0..=0xd7) {
                Segment {
                    marker,
                    start: pos,
                    end: two,
                }
            } else {
                let len = usize::from(be16(d, two)?);
                let end = two.checked_add(len)?;
                if len < 2 || end > d.len() {
                    return None;
                }
                Segment {
                    marker,
                    start: pos,
                    end,
                }
            };
            self.pos = Some(seg.end);
            return Some(seg);
        }
    }
}

/// Whether the header of `d` is one that any JPEG reader walks the same way: an unbroken chain
/// of marker segments from SOI to the first SOS, each marker one whose length-or-not ITU T.81
/// (table B.1) fixes (SOFn, DHT, DAC, DQT, DRI, DNL, DHP, EXP, APPn, JPGn and COM with a length;
/// TEM and RSTn without), no byte between them that is not a marker, and the SOS header itself
/// inside the file. The c2pa SDK's reader (img-parts) skips stray bytes and treats the
/// reserved markers 0x02-0xBF as having no length, where [`segments`] stops or reads a length;
/// on a header like this the two walk the same segments to the same scan.
pub fn header_reaches_scan(d: &[u8]) -> bool {
    for s in segments(d) {
        match s.marker {
            0xda => {
                // SOS: its header (length field and components) must fit, as img-parts reads it
                let Some(two) = s.start.checked_add(2) else {
                    return false;
                };
                return be16(d, two)
                    .map(usize::from)
                    .is_some_and(|len| len >= 2 && two.saturating_add(len) <= d.len());
            }
            0x01 | 0xd0..=0xd7 | 0xc0..=0xcf | 0xdb..=0xdf | 0xe0..=0xfe => {}
            // EOI before any scan, SOI again, a reserved marker
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_reaches_scan_only_through_an_unbroken_chain_of_known_markers() {
        // SOI, APP1 (2 payload bytes), DQT (1 payload byte), SOS with a 3-byte header, data
        let good = [
            0xff, 0xd8, 0xff, 0xe1, 0, 4, 1, 2, 0xff, 0xdb, 0, 3, 9, 0xff, 0xda, 0, 5, 1, 2, 3,
            0x55,
        ];
        assert!(header_reaches_scan(&good));
        // the DQT length runs past the end of the file
        let mut long = good;
        long[10] = 0x9e;
        assert!(!header_reaches_scan(&long));
        // a stray byte between two segments
        let stray = [0xff, 0xd8, 0x00, 0xff, 0xda, 0, 2];
        assert!(!header_reaches_scan(&stray));
        // a reserved marker (0x02-0xBF: no length for some readers, a length for others)
        let reserved = [0xff, 0xd8, 0xff, 0x50, 0, 2, 0xff, 0xda, 0, 2];
        assert!(!header_reaches_scan(&reserved));
        // the SOS header runs past the end, or the file ends (EOI) before any scan
        assert!(!header_reaches_scan(&[0xff, 0xd8, 0xff, 0xda, 0, 9, 1]));
        assert!(!header_reaches_scan(&[0xff, 0xd8, 0xff, 0xd9]));
        assert!(!header_reaches_scan(b"not a jpeg"));
    }

    #[test]
    fn segments_stop_at_sos_and_at_a_length_past_the_end() {
        // SOI, fill byte + APP1 (4 payload bytes), RST0, SOS
        let d = [
            0xff, 0xd8, 0xff, 0xff, 0xe1, 0, 6, 1, 2, 3, 4, 0xff, 0xd0, 0xff, 0xda, 0, 2,
        ];
        let segs: Vec<Segment> = segments(&d).collect();
        let marks: Vec<(u8, usize, usize)> =
            segs.iter().map(|s| (s.marker, s.start, s.end)).collect();
        assert_eq!(marks, [(0xe1, 3, 11), (0xd0, 11, 13), (0xda, 13, 15)]);
        assert_eq!(segs[0].payload(&d), &[1, 2, 3, 4]);
        assert!(segs[1].is_standalone() && !segs[0].is_standalone());
        // an APP1 whose length runs past the end is not yielded, and ends the walk
        let cut = [0xff, 0xd8, 0xff, 0xe1, 0, 60, 1, 2];
        assert_eq!(segments(&cut).count(), 0);
        assert_eq!(segments(b"not a jpeg").count(), 0);
    }
}
