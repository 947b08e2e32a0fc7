package flow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// stdDecode is what decode replaced: encoding/json with UseNumber, one value, nothing after it.
func stdDecode(b []byte) (any, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return map[string]any{}, nil
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	// d.More is true only for a further value; anything else after the value is an error too.
	rest, _ := readAll(d)
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	return v, nil
}

func readAll(d *json.Decoder) ([]byte, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(d.Buffered())
	return buf.Bytes(), err
}

// stdEncode is what encode replaced: an Encoder with SetEscapeHTML(false), without the newline.
func stdEncode(v any) (string, error) {
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimRight(buf.String(), "\n"), nil
}

var jsonDocs = []string{
	``, `  `, `{}`, `[]`, `null`, `true`, `false`, `0`, `-0`, `12`, `-12.5e+3`, `1E-2`, `1.0`, `0.000001`,
	`12345678901234567890123`, `"x"`, `""`,
	`{"a":1,"b":[true,false,null,"s",{"c":{}}],"d":-0.5}`,
	" \t\n{ \"a\" : [ 1 , 2 ] , \"b\" : { } }\r\n ",
	`{"a":1,"a":2}`,
	`"esc \" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20ac \u2028"`,
	`"pair \ud83d\ude00 lone-high \ud83d x lone-low \ude00 high-then-high \ud83d\ud83d end"`,
	`"high at end \ud83d"`, `"high then escape \ud83d\n"`,
	"\"raw utf8 é € 😀\"", "\"invalid utf8 \xff\xfe x \xc3\"", "{\"k\xff\":\"v\"}",
	`{"html":"<a href=\"x\">&</a>"}`,
	// invalid
	`{`, `[`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1,]`, `[1 2]`, `{1:2}`, `01`, `-`, `1.`, `.5`, `1e`, `1e+`,
	`+1`, `tru`, `nul`, `"unterminated`, "\"ctl \x01\"", `"bad \x escape"`, `"\u12"`, `"\u12g4"`,
	`{} {}`, `{} x`, `1 2`, `[]]`, `NaN`, `Infinity`, `'x'`,
}

func TestJSON_DecodeMatchesEncodingJSON(t *testing.T) {
	for _, doc := range jsonDocs {
		checkDecode(t, []byte(doc))
	}
	deep := strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1)
	if _, err := decode([]byte(deep)); err == nil {
		t.Errorf("decode accepted %d levels of nesting", maxDepth+1)
	}
	ok := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	checkDecode(t, []byte(ok))
}

func checkDecode(t *testing.T, doc []byte) {
	t.Helper()
	want, werr := stdDecode(doc)
	got, gerr := decode(doc)
	if (werr == nil) != (gerr == nil) {
		t.Errorf("decode(%q): error %v, encoding/json: %v", doc, gerr, werr)
		return
	}
	if werr == nil && !reflect.DeepEqual(want, got) {
		t.Errorf("decode(%q) (-encoding/json +decode):\n%s", doc, cmp.Diff(want, got))
	}
}

func TestJSON_EncodeMatchesEncodingJSON(t *testing.T) {
	values := []any{
		nil, true, false, "", "plain", "<html> & \u2028 \u2029 \x00 \x1f \x7f \b \f \n \r \t \" \\ /",
		"invalid \xff utf8 \xc3", "é € 😀", json.Number(""), json.Number("1.5e3"), 3, 2.5, []any(nil),
		map[string]any(nil), []any{}, map[string]any{}, json.RawMessage(` { "a" : 1 } `),
		map[string]any{"b": 1, "a": []any{json.Number("1"), "x", nil}, "é": map[string]any{"z": true, "<": false}},
		map[string]string{"k": "<v>"}, []string{"a"},
	}
	many := map[string]any{}
	for i := 0; i < 40; i++ {
		many[fmt.Sprint("k", i)] = i
	}
	values = append(values, many)
	for _, doc := range jsonDocs {
		if v, err := stdDecode([]byte(doc)); err == nil {
			values = append(values, v)
		}
	}
	for _, v := range values {
		want, err := stdEncode(v)
		if err != nil {
			want = "null"
		}
		if got := string(encode(v)); got != want {
			t.Errorf("encode(%#v) = %s, encoding/json: %s", v, got, want)
		}
	}
	if got := string(encode(json.Number("1x"))); got != "null" {
		t.Errorf("encode of an invalid number = %s, want null (encoding/json refuses it)", got)
	}
}

// FuzzJSON_MatchesEncodingJSON: decode accepts what encoding/json accepts, gives the same value, and encode
// writes it back as encoding/json does. `go test` runs the seeds; `go test -fuzz` explores.
func FuzzJSON_MatchesEncodingJSON(f *testing.F) {
	for _, doc := range jsonDocs {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		checkDecode(t, doc)
		v, err := decode(doc)
		if err != nil {
			return
		}
		want, err := stdEncode(v)
		if err != nil {
			t.Fatalf("encoding/json cannot encode decode(%q): %v", doc, err)
		}
		if got := string(encode(v)); got != want {
			t.Errorf("encode(decode(%q)) = %s, encoding/json: %s", doc, got, want)
		}
	})
}

// plainSnapshot has Snapshot's fields without its MarshalJSON: what encoding/json writes by reflection.
type plainSnapshot Snapshot

func TestSnapshot_MarshalMatchesEncodingJSON(t *testing.T) {
	at := time.Date(2027, 3, 10, 10, 0, 0, 123456789, time.UTC)
	child := &Frame{Scope: "Checks", Label: "Checks[0]", State: "Ask", Phase: "done", Input: json.RawMessage(`{"a":1}`),
		Output: json.RawMessage(`{"ok":true}`)}
	waiting := &Frame{Scope: "Checks", Label: "Checks[1]", State: "Ask", Phase: "token", Input: json.RawMessage(`[]`),
		Token: "tok<&>", TokenDeadline: at, HeartbeatDeadline: at.Add(time.Hour), HeartbeatSeconds: 60,
		Completion: &Completion{Token: "tok", Output: json.RawMessage("{ \"x\" : \"<\" }"), Failed: true, Error: "E", Cause: "c", Beat: true}}
	failed := &Frame{Scope: "Checks", State: "Ask", Phase: "failed", Input: json.RawMessage(`null`),
		Err: &stateError{Name: "States.TaskFailed", Cause: "boom \u2028 <"}}
	snaps := []Snapshot{
		{},
		{Digest: "d", ID: "arn:x", Name: "n", Input: json.RawMessage(" {\n\"contactId\" : \"c-1\" }"), StartTime: at,
			Deadline: at.Add(time.Hour), Status: Running,
			History: []Event{{Type: "ExecutionStarted", At: at}, {Type: "TaskFailed", State: "S", Scope: "M[0]", At: at, Error: "E", Cause: "\"quoted\" \xff"}},
			Root: &Frame{Scope: "", State: "Checks", Phase: "children", Input: json.RawMessage(`{"k":"v"}`), Entered: at,
				RetryCounts: []int{0, 2}, Due: at, Children: []*Frame{child, waiting, failed},
				Items: []json.RawMessage{json.RawMessage(`1`), json.RawMessage(`{"a":[1,2]}`)}, Started: 3}},
		{Digest: "d", ID: "i", Name: "n", Input: json.RawMessage(`{}`), StartTime: at, Status: Succeeded,
			Output: json.RawMessage(`{"done":true}`), History: []Event{}},
		{Status: Failed, Error: "ContactStepFailed", Cause: "c", History: []Event{{Type: "ExecutionFailed", At: at.In(time.FixedZone("x", 3600))}}},
	}
	for i, s := range snaps {
		want, err := stdEncode(plainSnapshot(s))
		if err != nil {
			t.Fatal(err)
		}
		if got := string(appendSnapshot(nil, &s)); got != want {
			t.Errorf("snapshot %d:\n got %s\nwant %s", i, got, want)
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("json.Marshal(snapshot %d): %v", i, err)
		}
		back, err := UnmarshalSnapshot(b)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := stdEncode(plainSnapshot(back))
		a, _ := stdDecode([]byte(again)) // json.Marshal escapes < > & inside the raw documents too
		w, _ := stdDecode([]byte(want))
		if !reflect.DeepEqual(a, w) {
			t.Errorf("snapshot %d does not survive json.Marshal and UnmarshalSnapshot:\n got %s\nwant %s", i, again, want)
		}
	}
}
