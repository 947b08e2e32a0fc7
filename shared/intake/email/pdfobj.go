package email

import (
	"bytes"
	"compress/zlib"
	"io"
	"strings"
)

// The PDF's object structure, as far as text needs it: pages in order (the page tree from the catalogue),
// each page's content streams and its fonts, each font's ToUnicode map. Two fonts of one page often use the
// same codes for different letters (subset fonts in exports from Word and case systems), so each string is
// read through the map of the font selected for it (Tf). Objects inside object streams (/ObjStm, PDF 1.5)
// are read too. When no page tree can be found (a damaged file), pdfText falls back to every content stream
// with every map.

type pdfFont struct {
	cmap  map[uint32]string
	width int // bytes per code: 2 for Identity-H (Type0) fonts, else 1
}

type pdfObjects struct {
	objs   map[int]string
	budget *int
	err    error // errTooBig once the inflation budget is spent
}

var (
	objHeader = lazy(`(\d+)\s+\d+\s+obj\b`)
	refRe     = lazy(`(\d+)\s+\d+\s+R\b`)
	nameRefRe = lazy(`/([^\s/<>\[\]()]+)\s*(\d+)\s+\d+\s+R\b`)
)

func readPDFObjects(data []byte, budget *int) *pdfObjects {
	d := &pdfObjects{objs: map[int]string{}, budget: budget}
	ms := objHeader.FindAllSubmatchIndex(data, 100_000)
	for i, m := range ms {
		end := len(data)
		if i+1 < len(ms) {
			end = ms[i+1][0]
		}
		body := data[m[1]:end]
		if j := bytes.LastIndex(body, []byte("endobj")); j >= 0 {
			body = body[:j]
		}
		d.objs[atoi(string(data[m[2]:m[3]]))] = string(body)
	}
	// Objects kept in object streams.
	for num, body := range d.objs {
		if !strings.Contains(body, "/ObjStm") {
			continue
		}
		dec := d.stream(num)
		n, first := atoi(pdfDictValue(body, "/N")), atoi(pdfDictValue(body, "/First"))
		if n <= 0 || n > 100_000 || first <= 0 || first > len(dec) {
			continue
		}
		hdr := strings.Fields(string(dec[:first]))
		for k := 0; k+1 < len(hdr) && k/2 < n; k += 2 {
			on, off := atoi(hdr[k]), atoi(hdr[k+1])
			end := len(dec) - first
			if k+3 < len(hdr) {
				end = atoi(hdr[k+3])
			}
			if on < 0 || off < 0 || end < off || first+end > len(dec) {
				continue
			}
			if _, direct := d.objs[on]; !direct {
				d.objs[on] = string(dec[first+off : first+end])
			}
		}
	}
	return d
}

// stream decodes the stream of object num (Flate or unfiltered), within the budget.
func (d *pdfObjects) stream(num int) []byte {
	body, ok := d.objs[num]
	if !ok {
		return nil
	}
	i := strings.Index(body, "stream")
	if i < 0 {
		return nil
	}
	dict, raw := body[:i], body[i+6:]
	raw = strings.TrimPrefix(strings.TrimPrefix(raw, "\r"), "\n")
	if j := strings.LastIndex(raw, "endstream"); j >= 0 {
		raw = raw[:j]
	}
	switch {
	case strings.Contains(dict, "/FlateDecode"):
		zr, err := zlib.NewReader(strings.NewReader(raw))
		if err != nil {
			return nil
		}
		lr := &io.LimitedReader{R: zr, N: int64(*d.budget) + 1}
		dec, _ := io.ReadAll(lr)
		if lr.N <= 0 {
			d.err = errTooBig
			return nil
		}
		*d.budget -= len(dec)
		return dec
	case !strings.Contains(dict, "/Filter"):
		return []byte(raw)
	}
	return nil
}

// resolve returns the object a value refers to ("5 0 R"), or the value itself.
func (d *pdfObjects) resolve(v string) string {
	v = strings.TrimSpace(v)
	if m := refRe.FindStringSubmatch(v); m != nil && strings.HasPrefix(v, m[0]) {
		return d.objs[atoi(m[1])]
	}
	return v
}

// pages lists the page objects in order, from the catalogue's page tree.
func (d *pdfObjects) pages() []string {
	var root string
	for _, b := range d.objs {
		if strings.Contains(b, "/Catalog") {
			root = d.resolve(pdfDictValue(b, "/Pages"))
			break
		}
	}
	var out []string
	visits := 0
	var walk func(node string, depth int)
	walk = func(node string, depth int) {
		visits++
		if depth > 32 || visits > 10_000 || len(out) > 2_000 {
			return
		}
		kids := pdfDictValue(node, "/Kids")
		if kids == "" {
			if strings.Contains(node, "/Contents") {
				out = append(out, node)
			}
			return
		}
		for _, m := range refRe.FindAllStringSubmatch(d.resolve(kids), -1) {
			walk(d.objs[atoi(m[1])], depth+1)
		}
	}
	if root != "" {
		walk(root, 0)
	}
	return out
}

// fonts reads a page's fonts: resource name → font with its ToUnicode map.
func (d *pdfObjects) fonts(page string, cache map[int]*pdfFont) map[string]*pdfFont {
	res := d.resolve(pdfDictValue(page, "/Resources"))
	fs := d.resolve(pdfDictValue(res, "/Font"))
	out := map[string]*pdfFont{}
	for _, m := range nameRefRe.FindAllStringSubmatch(fs, 256) {
		num := atoi(m[2])
		f, ok := cache[num]
		if !ok {
			fd := d.objs[num]
			f = &pdfFont{width: 1}
			if strings.Contains(fd, "/Type0") || strings.Contains(fd, "/Identity-H") || strings.Contains(fd, "/Identity-V") {
				f.width = 2
			}
			if tu := refRe.FindStringSubmatch(pdfDictValue(fd, "/ToUnicode")); tu != nil {
				if s := d.stream(atoi(tu[1])); s != nil {
					f.cmap = map[uint32]string{}
					readCMap(s, f.cmap)
				}
			}
			cache[num] = f
		}
		out["/"+m[1]] = f
	}
	return out
}

// contents is a page's content: its stream, or its streams in order.
func (d *pdfObjects) contents(page string) []byte {
	var out []byte
	v := pdfDictValue(page, "/Contents")
	if r := strings.TrimSpace(d.resolve(v)); strings.HasPrefix(r, "[") {
		v = r // an array of streams kept as an object of its own
	}
	for _, m := range refRe.FindAllStringSubmatch(v, 64) {
		out = append(out, d.stream(atoi(m[1]))...)
		out = append(out, '\n')
	}
	return out
}

// pdfDictValue returns the value of key in a dictionary's text: a dictionary "<<…>>", an array "[…]", or up
// to the next key or the dictionary's end ("5 0 R", "/FlateDecode", "12").
func pdfDictValue(dict, key string) string {
	i := 0
	for {
		j := strings.Index(dict[i:], key)
		if j < 0 {
			return ""
		}
		i += j + len(key)
		if i < len(dict) && !isPDFDelim(dict[i]) {
			continue // "/Font" inside "/FontFile"
		}
		break
	}
	v := strings.TrimLeft(dict[i:], " \r\n\t")
	switch {
	case strings.HasPrefix(v, "<<"):
		depth := 0
		for k := 0; k+1 < len(v); k++ {
			if v[k] == '<' && v[k+1] == '<' {
				depth++
				k++
			} else if v[k] == '>' && v[k+1] == '>' {
				depth--
				k++
				if depth == 0 {
					return v[:k+1]
				}
			}
		}
		return v
	case strings.HasPrefix(v, "["):
		if k := strings.IndexByte(v, ']'); k >= 0 {
			return v[:k+1]
		}
		return v
	}
	end := len(v)
	for _, stop := range []string{"/", ">>", "\n", "stream"} {
		if k := strings.Index(v[min(1, len(v)):], stop); k >= 0 && k+1 < end {
			end = k + 1
		}
	}
	return strings.TrimSpace(v[:end])
}
