package email

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// Every sample has an SES receipt event and an S3 event for `sam local invoke`, and both point at
// s3://mash-hackney-raw-mail-000000000000-eu-west-2/raw/<ses-message-id>.
func TestSampleEvents_PointAtTheRawObject(t *testing.T) {
	for _, name := range sampleNames(t) {
		base := strings.TrimSuffix(name, ".eml")
		t.Run(base, func(t *testing.T) {
			sesJSON, err := os.ReadFile(filepath.Join("../../../events/ses", base+".json"))
			if err != nil {
				t.Fatalf("missing SES event: %v", err)
			}
			s3JSON, err := os.ReadFile(filepath.Join("../../../events/s3", base+".json"))
			if err != nil {
				t.Fatalf("missing S3 event: %v", err)
			}
			sesRefs, err := ParseSESEvent(sesJSON)
			if err != nil {
				t.Fatal(err)
			}
			s3Refs, err := ParseS3Event(s3JSON)
			if err != nil {
				t.Fatal(err)
			}
			if len(sesRefs) != 1 || len(s3Refs) != 1 {
				t.Fatalf("records: ses %d s3 %d", len(sesRefs), len(s3Refs))
			}
			ses, s3 := sesRefs[0], s3Refs[0]
			if ses.Bucket != "mash-hackney-raw-mail-000000000000-eu-west-2" || ses.Key != "raw/"+ses.SESMessageID {
				t.Errorf("ses ref %+v", ses)
			}
			if s3.Bucket != ses.Bucket || s3.Key != ses.Key || s3.SESMessageID != ses.SESMessageID {
				t.Errorf("s3 ref %+v differs from ses ref %+v", s3, ses)
			}
			raw := readSample(t, name)
			_, perr := Parse(raw, Options{SESMessageID: ses.SESMessageID})
			if (ses.Verdicts.Spam == "FAIL") != (ReasonOf(perr) == ReasonSpam) ||
				(ses.Verdicts.Virus == "FAIL") != (ReasonOf(perr) == ReasonVirus) {
				t.Errorf("event verdicts %+v disagree with the message headers (%v)", ses.Verdicts, perr)
			}
			var ev events.S3Event
			if err := json.Unmarshal(s3JSON, &ev); err != nil || ev.Records[0].S3.Object.Size != int64(len(raw)) {
				t.Errorf("s3 event object size should be the file size %d", len(raw))
			}
		})
	}
}

func TestParseS3Event_DecodesKey(t *testing.T) {
	refs, err := ParseS3Event([]byte(`{"Records":[{"s3":{"bucket":{"name":"b"},"object":{"key":"raw/with+space%2Fx"}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if refs[0].Key != "raw/with space/x" || refs[0].SESMessageID != "x" {
		t.Errorf("%+v", refs[0])
	}
}

func TestParseEvents_Rejects(t *testing.T) {
	for _, in := range []string{``, `{`, `{"Records":[]}`, `{"Records":[{"s3":{"bucket":{"name":""},"object":{"key":"k"}}}]}`,
		`{"Records":[{"s3":{"bucket":{"name":"b"},"object":{"key":"%zz"}}}]}`} {
		if _, err := ParseS3Event([]byte(in)); err == nil {
			t.Errorf("ParseS3Event(%q) accepted", in)
		}
	}
	for _, in := range []string{``, `[]`, `{"Records":[]}`, `{"Records":[{"ses":{"mail":{}}}]}`} {
		if _, err := ParseSESEvent([]byte(in)); err == nil {
			t.Errorf("ParseSESEvent(%q) accepted", in)
		}
	}
}

// With a Lambda action (SES invokes the function after its S3 action) the event names no object: the
// caller's configured bucket and prefix complete it.
func TestParseSESEvent_LambdaActionWithDefaults(t *testing.T) {
	ev := events.SimpleEmailEvent{Records: []events.SimpleEmailRecord{{EventSource: "aws:ses", SES: events.SimpleEmailService{
		Mail: events.SimpleEmailMessage{MessageID: "o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g01"},
		Receipt: events.SimpleEmailReceipt{
			Action:       events.SimpleEmailReceiptAction{Type: "Lambda", FunctionARN: "arn:aws:lambda:eu-west-2:000000000000:function:intake-email"},
			SpamVerdict:  events.SimpleEmailVerdict{Status: "gray"},
			VirusVerdict: events.SimpleEmailVerdict{Status: "PASS"},
		},
	}}}}
	data, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	refs, err := ParseSESEvent(data)
	if err != nil {
		t.Fatal(err)
	}
	if refs[0].Bucket != "" || refs[0].Key != "" || refs[0].Verdicts.Spam != "GRAY" {
		t.Errorf("%+v", refs[0])
	}
	got := refs[0].WithDefaults("mash-hackney-raw-mail-000000000000-eu-west-2", "raw/")
	if got.Bucket != "mash-hackney-raw-mail-000000000000-eu-west-2" || got.Key != "raw/o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g01" {
		t.Errorf("%+v", got)
	}
}

// The API samples are JSON objects in the contact vocabulary (docs/architecture.md "The contact as the API and CLI show it").
func TestAPISamples_AreWellFormed(t *testing.T) {
	for _, name := range []string{"referral.json", "ppn.json", "phone-contact.json"} {
		b, err := os.ReadFile(filepath.Join("../../../events/api", name))
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, ok := v["channel"]; !ok {
			t.Errorf("%s: no channel", name)
		}
		if strings.Contains(string(b), "Canarybird") {
			t.Errorf("%s: the canary child belongs to exactly one sample (canary-referral.eml)", name)
		}
	}
}

// The canary name appears in exactly one sample; the team's no-PII tests rely on it.
func TestCanary_InExactlyOneSample(t *testing.T) {
	var with []string
	for _, name := range sampleNames(t) {
		if strings.Contains(string(readSample(t, name)), "Zebedee Canarybird") ||
			strings.Contains(string(readSample(t, name)), "Canarybird") {
			with = append(with, name)
		}
	}
	if len(with) != 1 || with[0] != "canary-referral.eml" {
		t.Errorf("canary in %v", with)
	}
}
