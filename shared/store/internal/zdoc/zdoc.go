// Package zdoc compresses the store's item documents for DynamoDB. Both DynamoDB adapters use it: the SDK's
// (shared/store/dynamo: tests, tools) and the functions' (shared/store/dynamo/wire), so that each reads what
// the other wrote.
package zdoc

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Item documents are stored compressed (docs/cost.md "Compressed documents"). DynamoDB bills a write per KB
// of the item, twice in a transaction, and a contact's JSON is 2–3 KB, a notification's 2–3.5 KB (its text
// and HTML bodies). Compressed with DEFLATE over a preset dictionary of the documents' field names and the
// messages' fixed wording, a contact is ≈ 0.7–0.8 KB and a notification ≈ 0.7–1 KB: a third of the write
// units of each rewrite.
//
// The compressed document is attribute Attr, "z" (binary): one format byte, then the DEFLATE stream. Format
// zFormat1 is raw DEFLATE with zDict1 as its preset dictionary. A dictionary, once used, is never changed:
// every item written with it is read with it. A new dictionary is a new format byte. Items written before
// compression (attribute AttrDoc, a string) are read as they are.
const (
	// Attr is the attribute of a compressed document.
	Attr = "z"

	zFormat1 byte = 1
	// zMin is the smallest document worth compressing: below it the saving never crosses a KB.
	zMin = 256
)

// zDict1 is format 1's preset dictionary: field names and fixed wording only, never personal data. DEFLATE
// finds matches up to 32 KB back, and nearer is cheaper: the most common strings come last.
const zDict1 = `` +
	// A message's HTML body, as it appears inside the JSON document.
	`\u003c!DOCTYPE html\u003e\n\u003chtml lang=\"en\"\u003e\n\u003chead\u003e\u003cmeta charset=\"utf-8\"\u003e\u003ctitle\u003eMASH contact ` +
	`\u003c/title\u003e\u003c/head\u003e\n\u003cbody\u003e\n\u003cp\u003e\u003cstrong\u003eNote:\u003c/strong\u003e For the MASH ` +
	`\u003ctable\u003e\n\u003ctr\u003e\u003cth align=\"left\"\u003eReference\u003c/th\u003e\u003ctd\u003e\u003c/td\u003e\u003c/tr\u003e\n` +
	`\u003ctr\u003e\u003cth align=\"left\"\u003eContact id\u003c/th\u003e\u003ctd\u003ec_\u003c/td\u003e\u003c/tr\u003e\n` +
	`\u003ctr\u003e\u003cth align=\"left\"\u003eReceived\u003c/th\u003e\u003ctd\u003e at \u003c/td\u003e\u003c/tr\u003e\n` +
	`\u003ctr\u003e\u003cth align=\"left\"\u003eOutcome\u003c/th\u003e\u003ctd\u003e\u003c/td\u003e\u003c/tr\u003e\n` +
	`\u003c/table\u003e\n\u003cp\u003e\u003ca href=\"https://\"\u003e\u003c/a\u003e\u003c/p\u003e\n\u003c/body\u003e\n\u003c/html\u003e\n` +
	// A message's fixed wording (shared/notify's templates).
	`The MASH has made its decision about the contact you made.\n\nIf you have new information, or you disagree with the decision, reply to this message quoting the reference.\n\n` +
	`Thank you. The MASH has received your contact and given it a reference number.\n\nWhat happens next: a MASH manager screens the contact and decides the next step. Partner agencies may be asked what they know.\n\nYou will be told the outcome.\n\n` +
	`The MASH asks your agency what it knows about the child and family in this contact (MASH check).\n\n` +
	`Please log in to read the details and record your agency's answer by the time above. If your information suggests the risk is higher than rated, say so in the answer.\n\n` +
	`If you believe a child is in immediate danger, call 999.\n\nPlease quote the reference in any message about this contact.\n\n` +
	`City Council Multi-Agency Safeguarding Hub (MASH), telephone . Reply to this message to reach the MASH; please quote the reference.\n` +
	`Monday Tuesday Thursday Friday Saturday Sunday January February April May June July August September October November December ` +
	`\nReference: \nContact id: c_\nAgency: police health education \nCheck id: \nAnswer by: \nOutcome: \nDecided: Wednesday  March 2027 at \nReceived: ` +
	// The JSON of the documents, least common first.
	`{"purpose":"check-answer","contactId":"c_","subject":"","expiresAt":""}` +
	`{"id":"","contactId":"c_","authority":"","agency":"","mandatory":true,"requestedAt":"","dueAt":"","taskToken":"","answeredAt":"","answeredBy":"","summary":""}` +
	`{"id":"c_","contactId":"c_","authority":"","tray":"","taskToken":"","createdAt":"","result":"","by":"","attempts":0}` +
	`{"id":"c_","tray":"","authority":"","contactId":"c_","dueAt":"","rule":"","taskToken":"","createdAt":"","claimedBy":"","completedAt":"","completedBy":""}` +
	`{"contactId":"c_","id":"","at":"","actor":"","action":"","reason":"","sharedWith":[],"detail":{}}` +
	`{"id":"c_","contactId":"c_","authority":"","kind":"acknowledgement","to":["@"],"subject":"MASH contact ","text":"","html":"","createdAt":"","sentAt":"","providerId":"","attempts":0}` +
	`{"id":"c_","reference":"","authority":"","channel":"email","receivedAt":"","status":"awaiting-rating","linkedTo":[],` +
	`"child":{"givenName":"","familyName":"","dateOfBirth":"","gender":"","address":"","school":"","ethnicity":"","language":"English","religion":"","sen":false},` +
	`"parents":[{"name":"","relationship":"mother","parentalResponsibility":true}],"household":[{"name":"","relationship":"","dateOfBirth":""}],` +
	`"referrer":{"name":"","organisation":"","role":"","email":"","phone":"","relationship":"","professional":true},"concerns":"","immediateHarm":false,` +
	`"consent":{"status":"given"},"route":"mash","rating":{"value":"green","rationale":"","by":"","at":"","agencies":["police","health","education"]},` +
	`"deadlines":{"checks.green":"","screening.csc":""},"outcome":{"code":"","authorityTerm":"","by":"","at":"","rationale":"","role":""},"flags":{},` +
	`"extraction":{"fields":[{"field":"child.name","source":"body","confidence":"high"},{"field":"child.dateOfBirth","source":"body","confidence":"high"},` +
	`{"field":"child.school","source":"body","confidence":"high"},{"field":"child.address","source":"body","confidence":"high"},` +
	`{"field":"immediateHarm","source":"body","confidence":"high"},{"field":"consent","source":"body","confidence":"high"}]},"version":1,"updatedAt":"2027-"`

// zDict1SHA256 pins zDict1 (compress_test.go).
const zDict1SHA256 = "5ef43340b4929dbc1fd01da8efcb68e29beb203618b73ab0a181775770dfe9aa"

var zWriters = sync.Pool{New: func() any {
	w, err := flate.NewWriterDict(io.Discard, flate.BestCompression, []byte(zDict1))
	if err != nil { // only for a bad level, which BestCompression is not
		return err
	}
	return w
}}

// Compress returns doc as an Attr value, or nil when doc is too small to be worth it or would not shrink.
func Compress(doc []byte) ([]byte, error) {
	if len(doc) < zMin {
		return nil, nil
	}
	var buf bytes.Buffer
	buf.Grow(len(doc) / 2)
	buf.WriteByte(zFormat1)
	pooled := zWriters.Get()
	w, ok := pooled.(*flate.Writer)
	if !ok {
		return nil, pooled.(error)
	}
	defer zWriters.Put(w)
	w.Reset(&buf)
	if _, err := w.Write(doc); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	if buf.Len() >= len(doc) {
		return nil, nil
	}
	return buf.Bytes(), nil
}

var zReaders = sync.Pool{New: func() any { return flate.NewReaderDict(bytes.NewReader(nil), []byte(zDict1)) }}

// Decompress reads an Attr value back.
func Decompress(z []byte) ([]byte, error) {
	if len(z) == 0 {
		return nil, errors.New("zdoc: empty compressed document")
	}
	if z[0] != zFormat1 {
		return nil, fmt.Errorf("zdoc: compressed document of unknown format %d", z[0])
	}
	r := zReaders.Get().(io.ReadCloser)
	defer zReaders.Put(r)
	if err := r.(flate.Resetter).Reset(bytes.NewReader(z[1:]), []byte(zDict1)); err != nil {
		return nil, err
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("zdoc: compressed document: %w", err)
	}
	return out, nil
}
