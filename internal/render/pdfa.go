package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"html"
	"math"
	"regexp"
	"strconv"
	"time"
	"unicode/utf16"

	"github.com/opstap/opstap"
)

// Names written into every PDF's metadata.
const (
	creator  = "Opstap"
	producer = "Opstap"
)

// pdfA brings fpdf's output towards PDF/A-1b, which fpdf does not do by
// itself: it adds the binary marker comment after the header (shifting the
// cross-reference offsets to match), and appends an incremental update
// with the XMP metadata (pdfaid part 1, conformance B), an sRGB output
// intent, a catalog that references both (fpdf writes no /Metadata link
// and an /EmbeddedFiles name tree that PDF/A-1 forbids), an info
// dictionary whose dates carry the same offset as the XMP dates, and a
// trailer /ID.
func pdfA(raw []byte, d Document) ([]byte, error) {
	b, err := addBinaryMarker(raw)
	if err != nil {
		return nil, err
	}
	tr, err := lastTrailer(b)
	if err != nil {
		return nil, err
	}
	u := &update{buf: bytes.NewBuffer(b), offsets: map[int]int{}}
	meta, icc, intent := tr.size, tr.size+1, tr.size+2
	x := xmp(d)
	u.object(meta, fmt.Sprintf("<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream", len(x), x))
	p := sRGBProfile()
	u.object(icc, fmt.Sprintf("<< /N 3 /Length %d >>\nstream\n%s\nendstream", len(p), p))
	u.object(intent, fmt.Sprintf("<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) /Info (sRGB IEC61966-2.1) /DestOutputProfile %d 0 R >>", icc))
	u.object(tr.root, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R /Lang %s /Metadata %d 0 R /OutputIntents [%d 0 R] >>", tr.pages, pdfString(d.Lang), meta, intent))
	u.object(tr.info, infoDict(d))
	sum := sha256.Sum256(b)
	id := hex.EncodeToString(sum[:16])
	u.finish(fmt.Sprintf("/Size %d /Root %d 0 R /Info %d 0 R /Prev %d /ID [<%s> <%s>]", intent+1, tr.root, tr.info, tr.startxref, id, id))
	return u.buf.Bytes(), nil
}

// binaryMarker is the comment after the header that tells transfer tools
// the file is binary (PDF/A-1 6.1.2).
const binaryMarker = "%\xE2\xE3\xCF\xD3\n"

var (
	xrefEntry = regexp.MustCompile(`(?m)^(\d{10}) (\d{5}) n \n`)
	startxref = regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n?$`)
)

// addBinaryMarker inserts the marker after the first line and moves every
// offset that follows by its length.
func addBinaryMarker(raw []byte) ([]byte, error) {
	nl := bytes.IndexByte(raw, '\n')
	m := startxref.FindSubmatchIndex(raw)
	if nl < 0 || m == nil {
		return nil, fmt.Errorf("render: unexpected PDF layout")
	}
	shift := len(binaryMarker)
	xref, _ := strconv.Atoi(string(raw[m[2]:m[3]]))
	body := append([]byte{}, raw[:m[0]]...)
	body = xrefEntry.ReplaceAllFunc(body, func(e []byte) []byte {
		off, _ := strconv.Atoi(string(e[:10]))
		return fmt.Appendf(nil, "%010d%s", off+shift, e[10:])
	})
	var out bytes.Buffer
	out.Write(body[:nl+1])
	out.WriteString(binaryMarker)
	out.Write(body[nl+1:])
	fmt.Fprintf(&out, "startxref\n%d\n%%%%EOF\n", xref+shift)
	return out.Bytes(), nil
}

type trailer struct{ size, root, info, pages, startxref int }

var (
	trailerNum = func(key string) *regexp.Regexp { return regexp.MustCompile(`/` + key + ` (\d+)`) }
	sizeRe     = trailerNum("Size")
	rootRe     = trailerNum("Root")
	infoRe     = trailerNum("Info")
	pagesRe    = trailerNum("Pages")
)

func lastTrailer(b []byte) (trailer, error) {
	var t trailer
	i := bytes.LastIndex(b, []byte("trailer"))
	m := startxref.FindSubmatch(b)
	if i < 0 || m == nil {
		return t, fmt.Errorf("render: no trailer")
	}
	tail := b[i:]
	for _, f := range []struct {
		re  *regexp.Regexp
		src []byte
		dst *int
	}{{sizeRe, tail, &t.size}, {rootRe, tail, &t.root}, {infoRe, tail, &t.info}} {
		sm := f.re.FindSubmatch(f.src)
		if sm == nil {
			return t, fmt.Errorf("render: trailer lacks %s", f.re)
		}
		*f.dst, _ = strconv.Atoi(string(sm[1]))
	}
	rootObj := bytes.LastIndex(b, fmt.Appendf(nil, "\n%d 0 obj", t.root))
	if sm := pagesRe.FindSubmatch(b[max(rootObj, 0):]); sm != nil {
		t.pages, _ = strconv.Atoi(string(sm[1]))
	}
	t.startxref, _ = strconv.Atoi(string(m[1]))
	return t, nil
}

// update collects the objects of an incremental update.
type update struct {
	buf     *bytes.Buffer
	offsets map[int]int
	order   []int
}

func (u *update) object(n int, body string) {
	u.offsets[n] = u.buf.Len()
	u.order = append(u.order, n)
	fmt.Fprintf(u.buf, "%d 0 obj\n%s\nendobj\n", n, body)
}

// finish writes the cross-reference section (one subsection per object)
// and the trailer.
func (u *update) finish(trailerEntries string) {
	xref := u.buf.Len()
	u.buf.WriteString("xref\n0 1\n0000000000 65535 f \n")
	for _, n := range u.order {
		fmt.Fprintf(u.buf, "%d 1\n%010d 00000 n \n", n, u.offsets[n])
	}
	fmt.Fprintf(u.buf, "trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n", trailerEntries, xref)
}

// pdfDate is a PDF date in Amsterdam time with its offset, e.g.
// D:20261124130000+01'00'; xmpDate is the same moment in XMP form. PDF/A
// validators compare the two, and reject a bare Z in one of them.
func pdfDate(t time.Time) string {
	t = t.In(opstap.Amsterdam)
	off := t.Format("-07:00")
	return "D:" + t.Format("20060102150405") + off[:3] + "'" + off[4:] + "'"
}

func xmpDate(t time.Time) string {
	return t.In(opstap.Amsterdam).Format("2006-01-02T15:04:05-07:00")
}

// pdfString encodes a text string: literal when ASCII, UTF-16BE with a
// byte order mark otherwise.
func pdfString(s string) string {
	ascii := true
	for _, r := range s {
		ascii = ascii && r >= 32 && r < 127 && r != '(' && r != ')' && r != '\\'
	}
	if ascii {
		return "(" + s + ")"
	}
	var b bytes.Buffer
	b.WriteString("<FEFF")
	for _, c := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", c)
	}
	b.WriteString(">")
	return b.String()
}

func infoDict(d Document) string {
	date := pdfString(pdfDate(d.Created))
	return fmt.Sprintf("<< /Title %s /Author %s /Subject %s /Creator %s /Producer %s /CreationDate %s /ModDate %s >>",
		pdfString(d.Title), pdfString(d.Author), pdfString(d.Subject), pdfString(creator), pdfString(producer), date, date)
}

// xmp is the metadata packet; its values equal the info dictionary's.
func xmp(d Document) string {
	e := html.EscapeString
	date := xmpDate(d.Created)
	return `<?xpacket begin="` + "\uFEFF" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + e(d.Title) + `</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>` + e(d.Author) + `</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">` + e(d.Subject) + `</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>` + e(d.Lang) + `</rdf:li></rdf:Bag></dc:language>
<xmp:CreateDate>` + date + `</xmp:CreateDate>
<xmp:ModifyDate>` + date + `</xmp:ModifyDate>
<xmp:MetadataDate>` + date + `</xmp:MetadataDate>
<xmp:CreatorTool>` + creator + `</xmp:CreatorTool>
<pdf:Producer>` + producer + `</pdf:Producer>
<pdfaid:part>1</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`
}

// sRGBProfile builds a small ICC version 2 display profile for sRGB
// (IEC 61966-2-1): the D50-adapted primaries and the sRGB transfer curve
// as a 256-entry table. Building it here keeps the product free of any
// system colour profile.
func sRGBProfile() []byte {
	xyz := func(x, y, z float64) []byte {
		b := []byte("XYZ \x00\x00\x00\x00")
		for _, v := range []float64{x, y, z} {
			b = binary.BigEndian.AppendUint32(b, uint32(int32(math.Round(v*65536))))
		}
		return b
	}
	curve := binary.BigEndian.AppendUint32([]byte("curv\x00\x00\x00\x00"), 256)
	for i := range 256 {
		c := float64(i) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		curve = binary.BigEndian.AppendUint16(curve, uint16(math.Round(c*65535)))
	}
	desc := "sRGB IEC61966-2.1"
	descTag := binary.BigEndian.AppendUint32([]byte("desc\x00\x00\x00\x00"), uint32(len(desc)+1))
	descTag = append(append(descTag, desc...), 0)
	descTag = append(descTag, make([]byte, 4+4+2+1+67)...) // no Unicode or ScriptCode description
	tags := []struct {
		sig  string
		data []byte
	}{
		{"desc", descTag},
		{"cprt", []byte("text\x00\x00\x00\x00No copyright, use freely\x00")},
		{"wtpt", xyz(0.9642, 1.0, 0.8249)},
		{"rXYZ", xyz(0.4361, 0.2225, 0.0139)},
		{"gXYZ", xyz(0.3851, 0.7169, 0.0971)},
		{"bXYZ", xyz(0.1431, 0.0606, 0.7141)},
		{"rTRC", curve}, {"gTRC", curve}, {"bTRC", curve},
	}
	var table, data []byte
	base := 128 + 4 + 12*len(tags)
	for _, t := range tags {
		for len(data)%4 != 0 {
			data = append(data, 0)
		}
		table = append(table, t.sig...)
		table = binary.BigEndian.AppendUint32(table, uint32(base+len(data)))
		table = binary.BigEndian.AppendUint32(table, uint32(len(t.data)))
		data = append(data, t.data...)
	}
	h := make([]byte, 128)
	binary.BigEndian.PutUint32(h[0:], uint32(base+len(data)))
	binary.BigEndian.PutUint32(h[8:], 0x02100000) // version 2.1: PDF/A-1 allows no later
	copy(h[12:], "mntrRGB XYZ ")
	for i, v := range []uint16{2026, 1, 1, 0, 0, 0} {
		binary.BigEndian.PutUint16(h[24+2*i:], v)
	}
	copy(h[36:], "acsp")
	copy(h[68:], xyz(0.9642, 1.0, 0.8249)[8:]) // the PCS illuminant, D50
	out := append(h, binary.BigEndian.AppendUint32(nil, uint32(len(tags)))...)
	return append(append(out, table...), data...)
}
