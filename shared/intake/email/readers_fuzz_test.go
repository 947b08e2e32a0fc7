package email

import (
	"path/filepath"
	"testing"
)

// corpusForms is every Word or PDF attachment of the referral corpus, for the fuzzers' seeds.
func corpusForms(f *testing.F, kind string) [][]byte {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.eml"))
	var out [][]byte
	for _, file := range files {
		m := parseCorpusMail(f, filepath.Base(file))
		for _, a := range m.Attachments {
			if formKind(a) == kind && len(a.Data) < 1<<20 {
				out = append(out, a.Data)
			}
		}
	}
	return out
}

// FuzzPDFText: the PDF reader never panics (called directly, without readAttachment's recover).
func FuzzPDFText(f *testing.F) {
	for _, d := range corpusForms(f, "pdf") {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = pdfText(data)
	})
}

// FuzzDocxText: the Word reader never panics.
func FuzzDocxText(f *testing.F) {
	for _, d := range corpusForms(f, "docx") {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = docxText(data)
	})
}
