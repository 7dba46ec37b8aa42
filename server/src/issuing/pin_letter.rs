//! The PIN letter ("courrier de codes") as a one-page PDF: Helvetica, WinAnsi encoding, no
//! compression, written by hand (a few hundred bytes of structure).

/// What the letter says.
pub struct PinLetter<'a> {
    /// The PIN-mailer address, one line per element.
    pub address: &'a [String],
    pub holder: &'a str,
    pub card_label: &'a str,
    pub national_id: &'a str,
    pub serial: &'a str,
    pub pin: &'a str,
    pub puk: &'a str,
    /// "24/11/2026".
    pub date: &'a str,
}

/// One character in WinAnsiEncoding (Windows-1252), `?` when it has none.
fn win_ansi(c: char) -> u8 {
    match c {
        '\u{20}'..='\u{7e}' => c as u8,
        '\u{a0}'..='\u{ff}' => c as u32 as u8,
        '€' => 0x80,
        '‚' => 0x82,
        '„' => 0x84,
        '…' => 0x85,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '–' => 0x96,
        '—' => 0x97,
        'Œ' => 0x8c,
        'œ' => 0x9c,
        'Ÿ' => 0x9f,
        _ => b'?',
    }
}

/// A PDF literal string: `(…)` with `(`, `)` and `\` escaped.
fn literal(text: &str) -> Vec<u8> {
    let mut out = vec![b'('];
    for c in text.chars() {
        let b = win_ansi(c);
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
    out
}

/// Text placed at (x, y) in points from the bottom left, in font F1 (regular) or F2 (bold).
struct Text<'a> {
    x: u32,
    y: u32,
    size: u32,
    bold: bool,
    text: &'a str,
}

fn content(lines: &[Text<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for l in lines {
        let font = if l.bold { "F2" } else { "F1" };
        out.extend_from_slice(format!("BT /{font} {} Tf {} {} Td ", l.size, l.x, l.y).as_bytes());
        out.extend(literal(l.text));
        out.extend_from_slice(b" Tj ET\n");
    }
    out
}

/// Assembles a one-page A4 PDF around a content stream.
fn document(stream: &[u8]) -> Vec<u8> {
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
          /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
            .to_vec(),
        [
            format!("<< /Length {} >>\nstream\n", stream.len()).as_bytes(),
            stream,
            b"\nendstream",
        ]
        .concat(),
    ];
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// The letter as PDF bytes.
pub fn render(letter: &PinLetter<'_>) -> Vec<u8> {
    let mut lines = vec![
        Text {
            x: 56,
            y: 790,
            size: 14,
            bold: true,
            text: "TOM — Service d'émission des cartes CPx",
        },
        Text {
            x: 56,
            y: 772,
            size: 10,
            bold: false,
            text: "Courrier confidentiel — à remettre en main propre au porteur",
        },
    ];
    let mut y = 720;
    for a in letter.address {
        lines.push(Text {
            x: 320,
            y,
            size: 11,
            bold: false,
            text: a,
        });
        y -= 15;
    }
    let dated = format!("Le {}", letter.date);
    let greeting = format!("À l'attention de {},", letter.holder);
    let card = format!(
        "Votre carte {} (identifiant {}, série {})",
        letter.card_label, letter.national_id, letter.serial
    );
    let pin = format!("Code porteur (PIN) : {}", letter.pin);
    let puk = format!("Code de déblocage : {}", letter.puk);
    lines.extend([
        Text { x: 56, y: 600, size: 11, bold: false, text: &dated },
        Text { x: 56, y: 570, size: 11, bold: false, text: &greeting },
        Text { x: 56, y: 545, size: 11, bold: false, text: &card },
        Text { x: 56, y: 530, size: 11, bold: false, text: "a été fabriquée ; elle vous est envoyée par un courrier séparé." },
        Text { x: 56, y: 490, size: 16, bold: true, text: &pin },
        Text { x: 56, y: 465, size: 12, bold: true, text: &puk },
        Text { x: 56, y: 425, size: 10, bold: false, text: "Apprenez ces codes puis détruisez ce courrier. Ne les communiquez à personne, pas même au" },
        Text { x: 56, y: 411, size: 10, bold: false, text: "service d'émission. Trois codes porteur faux bloquent la carte : le code de déblocage la" },
        Text { x: 56, y: 397, size: 10, bold: false, text: "débloque. En cas de perte ou de vol de la carte, prévenez sans attendre le mandataire de" },
        Text { x: 56, y: 383, size: 10, bold: false, text: "votre établissement, qui la fera mettre en opposition par le service d'émission." },
    ]);
    document(&content(&lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        render(&PinLetter {
            address: &[
                "M. DUPONT (JEAN)".into(),
                "12 RUE DES ÉCOLES".into(),
                "94000 CRÉTEIL".into(),
            ],
            holder: "Jean DUPONT",
            card_label: "CPE",
            national_id: "3940000011/000777",
            serial: "1a2b",
            pin: "4821",
            puk: "73019264",
            date: "24/11/2026",
        })
    }

    #[test]
    fn the_letter_is_a_pdf_whose_cross_reference_table_points_at_its_objects() {
        let pdf = sample();
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        // Offsets are in bytes: read the tail as bytes, not as (lossy) UTF-8.
        let tail_at = pdf.windows(9).rposition(|w| w == b"startxref").unwrap();
        let tail = std::str::from_utf8(&pdf[tail_at..]).unwrap();
        let startxref: usize = tail.lines().nth(1).unwrap().parse().unwrap();
        assert!(pdf[startxref..].starts_with(b"xref"));
        let table = std::str::from_utf8(&pdf[startxref..tail_at]).unwrap();
        let entries: Vec<usize> = table
            .lines()
            .skip(3)
            .take(6)
            .map(|l| l[..10].parse().unwrap())
            .collect();
        assert_eq!(entries.len(), 6);
        for (i, offset) in entries.iter().enumerate() {
            let head = format!("{} 0 obj", i + 1);
            assert!(
                pdf[*offset..].starts_with(head.as_bytes()),
                "objet {}",
                i + 1
            );
        }
    }

    #[test]
    fn the_codes_and_accents_are_written_in_win_ansi() {
        let pdf = sample();
        let find = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
        assert!(find(b"(Code porteur \\(PIN\\) : 4821)"));
        assert!(find(b"Code de d\xe9blocage : 73019264"));
        assert!(find(b"CR\xc9TEIL"));
    }
}
