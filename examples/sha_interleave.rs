//! Would hashing two messages at once through the CPU's SHA extensions beat two passes?
//!
//! ```text
//! sha_interleave [MIB]      (default 256; three rounds)
//! ```
//!
//! A signed file is hashed twice (its `input.sha256`, then its hard binding over nearly the same
//! bytes), one pass after the other with ring. If the CPU's SHA-256 unit were latency-bound, a
//! kernel that feeds it two independent messages block by block would nearly halve that time.
//! This measures it: two buffers of MIB MiB each, hashed with `ring::digest` one after the
//! other, then together by a 2-way interleaved SHA-NI kernel (`_mm_sha256rnds2_epu32` for both
//! states in turn); the digests must equal ring's. Prints one JSON line per round:
//! `{"ring_s":..,"interleaved_s":..,"speedup":..}`.
//!
//! A measurement only: provcheck hashes with ring and nothing else (this kernel is not used by
//! it; on the Xeon of docs/performance-log.md, "Session 23", it gained 1.04-1.19x, too little
//! to be worth a hand-written hash). Needs x86_64 with the SHA extensions.

#[cfg(target_arch = "x86_64")]
mod x2 {
    use core::arch::x86_64::*;

    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    const H0: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];

    pub fn supported() -> bool {
        is_x86_feature_detected!("sha")
            && is_x86_feature_detected!("sse4.1")
            && is_x86_feature_detected!("ssse3")
    }

    /// The state words as the SHA-NI registers hold them: (ABEF, CDGH).
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    unsafe fn load(s: &[u32; 8]) -> (__m128i, __m128i) {
        let p = s.as_ptr() as *const __m128i;
        let dcba = _mm_loadu_si128(p);
        let efgh = _mm_loadu_si128(p.add(1));
        let cdab = _mm_shuffle_epi32(dcba, 0xB1);
        let efgh = _mm_shuffle_epi32(efgh, 0x1B);
        (
            _mm_alignr_epi8(cdab, efgh, 8),
            _mm_blend_epi16(efgh, cdab, 0xF0),
        )
    }

    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    unsafe fn store(s: &mut [u32; 8], abef: __m128i, cdgh: __m128i) {
        let feba = _mm_shuffle_epi32(abef, 0x1B);
        let dchg = _mm_shuffle_epi32(cdgh, 0xB1);
        let p = s.as_mut_ptr() as *mut __m128i;
        _mm_storeu_si128(p, _mm_blend_epi16(feba, dchg, 0xF0));
        _mm_storeu_si128(p.add(1), _mm_alignr_epi8(dchg, feba, 8));
    }

    /// One 64-byte block as four big-endian message words vectors.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    unsafe fn words(block: &[u8; 64]) -> [__m128i; 4] {
        let mask = _mm_set_epi64x(0x0C0D_0E0F_0809_0A0B, 0x0405_0607_0001_0203);
        let p = block.as_ptr() as *const __m128i;
        [
            _mm_shuffle_epi8(_mm_loadu_si128(p), mask),
            _mm_shuffle_epi8(_mm_loadu_si128(p.add(1)), mask),
            _mm_shuffle_epi8(_mm_loadu_si128(p.add(2)), mask),
            _mm_shuffle_epi8(_mm_loadu_si128(p.add(3)), mask),
        ]
    }

    /// The next four message words (FIPS 180-4 section 6.2.2 step 1) from the last sixteen.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    unsafe fn schedule(w: &mut [__m128i; 4], i: usize) {
        let t = _mm_add_epi32(
            _mm_sha256msg1_epu32(w[i % 4], w[(i + 1) % 4]),
            _mm_alignr_epi8(w[(i + 3) % 4], w[(i + 2) % 4], 4),
        );
        w[i % 4] = _mm_sha256msg2_epu32(t, w[(i + 3) % 4]);
    }

    /// Compress `a[k]` into `sa` and `b[k]` into `sb` for every k, the two states' rounds
    /// interleaved.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    unsafe fn compress2(sa: &mut [u32; 8], sb: &mut [u32; 8], a: &[[u8; 64]], b: &[[u8; 64]]) {
        let (mut abef0, mut cdgh0) = load(sa);
        let (mut abef1, mut cdgh1) = load(sb);
        for (ba, bb) in a.iter().zip(b) {
            let saved = (abef0, cdgh0, abef1, cdgh1);
            let mut w = words(ba);
            let mut v = words(bb);
            for i in 0..16 {
                if i >= 4 {
                    schedule(&mut w, i);
                    schedule(&mut v, i);
                }
                let k = _mm_loadu_si128(K.as_ptr().add(4 * i) as *const __m128i);
                let ta = _mm_add_epi32(w[i % 4], k);
                let tb = _mm_add_epi32(v[i % 4], k);
                cdgh0 = _mm_sha256rnds2_epu32(cdgh0, abef0, ta);
                cdgh1 = _mm_sha256rnds2_epu32(cdgh1, abef1, tb);
                abef0 = _mm_sha256rnds2_epu32(abef0, cdgh0, _mm_shuffle_epi32(ta, 0x0E));
                abef1 = _mm_sha256rnds2_epu32(abef1, cdgh1, _mm_shuffle_epi32(tb, 0x0E));
            }
            abef0 = _mm_add_epi32(abef0, saved.0);
            cdgh0 = _mm_add_epi32(cdgh0, saved.1);
            abef1 = _mm_add_epi32(abef1, saved.2);
            cdgh1 = _mm_add_epi32(cdgh1, saved.3);
        }
        store(sa, abef0, cdgh0);
        store(sb, abef1, cdgh1);
    }

    /// The padded last blocks of a message (FIPS 180-4 section 5.1.1).
    fn tail(d: &[u8]) -> Vec<[u8; 64]> {
        let mut t = d.as_chunks::<64>().1.to_vec();
        t.push(0x80);
        while t.len() % 64 != 56 {
            t.push(0);
        }
        t.extend_from_slice(&(d.len() as u64 * 8).to_be_bytes());
        t.as_chunks::<64>().0.to_vec()
    }

    /// SHA-256 of `a` and of `b` (of equal length), their blocks compressed together.
    pub fn sha256_pair(a: &[u8], b: &[u8]) -> ([u8; 32], [u8; 32]) {
        assert_eq!(a.len(), b.len());
        assert!(supported());
        let (mut sa, mut sb) = (H0, H0);
        // SAFETY: the CPU has the target features (`supported`, asserted above).
        unsafe {
            compress2(
                &mut sa,
                &mut sb,
                a.as_chunks::<64>().0,
                b.as_chunks::<64>().0,
            );
            compress2(&mut sa, &mut sb, &tail(a), &tail(b));
        }
        let out = |s: [u32; 8]| {
            let mut d = [0u8; 32];
            for (o, w) in d.chunks_exact_mut(4).zip(s) {
                o.copy_from_slice(&w.to_be_bytes());
            }
            d
        };
        (out(sa), out(sb))
    }
}

#[cfg(target_arch = "x86_64")]
fn main() {
    use std::time::Instant;

    let mib: usize = match std::env::args().nth(1).map(|a| a.parse()) {
        None => 256,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("usage: sha_interleave [MIB]");
            std::process::exit(2);
        }
    };
    if !x2::supported() {
        eprintln!("sha_interleave: this CPU has no SHA extensions");
        std::process::exit(2);
    }
    // the padding at every tail length first, against ring
    for len in [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000] {
        let a: Vec<u8> = (0..len).map(|i| (i * 31 + 7) as u8).collect();
        let b: Vec<u8> = a.iter().map(|x| x ^ 0x5a).collect();
        let (xa, xb) = x2::sha256_pair(&a, &b);
        assert_eq!(
            xa.as_slice(),
            ring::digest::digest(&ring::digest::SHA256, &a).as_ref()
        );
        assert_eq!(
            xb.as_slice(),
            ring::digest::digest(&ring::digest::SHA256, &b).as_ref()
        );
    }
    let n = mib << 20;
    let a: Vec<u8> = (0..n).map(|i| (i * 7 + 3) as u8).collect();
    let b: Vec<u8> = (0..n).map(|i| (i * 13 + 1) as u8).collect();
    for _ in 0..3 {
        let t = Instant::now();
        let ra = ring::digest::digest(&ring::digest::SHA256, &a);
        let rb = ring::digest::digest(&ring::digest::SHA256, &b);
        let ring_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let (xa, xb) = x2::sha256_pair(&a, &b);
        let interleaved_s = t.elapsed().as_secs_f64();
        assert_eq!(
            xa.as_slice(),
            ra.as_ref(),
            "interleaved digest of the first buffer"
        );
        assert_eq!(
            xb.as_slice(),
            rb.as_ref(),
            "interleaved digest of the second buffer"
        );
        println!(
            "{{\"ring_s\":{ring_s:.4},\"interleaved_s\":{interleaved_s:.4},\"speedup\":{:.3}}}",
            ring_s / interleaved_s
        );
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn main() {
    eprintln!("sha_interleave: x86_64 only");
    std::process::exit(2);
}
