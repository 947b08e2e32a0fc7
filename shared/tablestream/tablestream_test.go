package tablestream

import (
	"context"
	"errors"
	"slices"
	"testing"
)

type seen struct {
	got  *[]string
	fail string // the sequence number it cannot finish
}

func (s seen) Record(_ context.Context, r Record) error {
	*s.got = append(*s.got, r.DynamoDB.SequenceNumber)
	if r.DynamoDB.SequenceNumber == s.fail {
		return errors.New("ProvisionedThroughputExceededException")
	}
	return nil
}

func batch(seqs ...string) Event {
	var ev Event
	for _, s := range seqs {
		var r Record
		r.EventName, r.DynamoDB.SequenceNumber = "INSERT", s
		ev.Records = append(ev.Records, r)
	}
	return ev
}

// Every consumer gets each record in order; the first record one cannot finish is reported for Lambda to retry
// the batch from it, and no record after it is given to anyone (they come again with the retry).
func TestHandler_StopsAtTheFirstRecordNotDone(t *testing.T) {
	var a, b []string
	h := Handler{Consumers: []Consumer{seen{got: &a, fail: "2"}, seen{got: &b}}}
	res, err := h.Handle(context.Background(), batch("1", "2", "3"))
	if err != nil || len(res.BatchItemFailures) != 1 || res.BatchItemFailures[0].ItemIdentifier != "2" {
		t.Fatalf("got %+v %v, want record 2 reported", res, err)
	}
	if !slices.Equal(a, []string{"1", "2"}) || !slices.Equal(b, []string{"1"}) {
		t.Fatalf("first consumer saw %v, second %v; want [1 2] and [1]", a, b)
	}
	a, b = nil, nil
	if res, err := h.Handle(context.Background(), batch("3", "4")); err != nil || len(res.BatchItemFailures) != 0 {
		t.Fatalf("a batch done: %+v %v", res, err)
	}
	if !slices.Equal(a, []string{"3", "4"}) || !slices.Equal(b, []string{"3", "4"}) {
		t.Fatalf("saw %v and %v", a, b)
	}
}
