//! A minimal zip writer (stored entries, no compression): enough to hand over a Markdown report
//! with its SVG charts as one download, without a compression dependency in the page.

/// CRC-32 (IEEE 802.3, the one zip uses).
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// A zip archive holding `files` (name, bytes) uncompressed. Names are UTF-8 (flag bit 11).
pub fn stored_zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    // 1 January 2026, 00:00, in MS-DOS form: a fixed time keeps exports reproducible.
    let (time, date) = (0u16, ((2026 - 1980) << 9 | 1 << 5 | 1) as u16);
    for (name, data) in files {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let name = name.as_bytes();
        for (header, sig) in [(&mut out, 0x0403_4b50u32), (&mut central, 0x0201_4b50)] {
            u32le(header, sig);
            if sig == 0x0201_4b50 {
                u16le(header, 20); // made by
            }
            u16le(header, 20); // needed to extract
            u16le(header, 1 << 11); // UTF-8 names
            u16le(header, 0); // stored
            u16le(header, time);
            u16le(header, date);
            u32le(header, crc);
            u32le(header, data.len() as u32);
            u32le(header, data.len() as u32);
            u16le(header, name.len() as u16);
            u16le(header, 0); // extra
            if sig == 0x0201_4b50 {
                u16le(header, 0); // comment
                u16le(header, 0); // disk
                u16le(header, 0); // internal attributes
                u32le(header, 0); // external attributes
                u32le(header, offset);
            }
            header.extend_from_slice(name);
        }
        out.extend_from_slice(data);
    }
    let (start, size) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, files.len() as u16);
    u16le(&mut out, files.len() as u16);
    u32le(&mut out, size);
    u32le(&mut out, start);
    u16le(&mut out, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn the_archive_lists_every_file_at_its_offset() {
        let files = vec![
            ("report.md".to_string(), b"# hi\n".to_vec()),
            ("charts/a.svg".to_string(), b"<svg/>".to_vec()),
        ];
        let z = stored_zip(&files);
        // End of central directory: two entries.
        let end = z.len() - 22;
        assert_eq!(&z[end..end + 4], &[0x50, 0x4b, 0x05, 0x06]);
        assert_eq!(u16::from_le_bytes([z[end + 10], z[end + 11]]), 2);
        // The first local header starts the file and names report.md; its data follows.
        assert_eq!(&z[0..4], &[0x50, 0x4b, 0x03, 0x04]);
        assert_eq!(&z[30..39], b"report.md");
        assert_eq!(&z[39..44], b"# hi\n");
    }
}
