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

#[cfg(test)]
mod tests {
    use super::*;

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
