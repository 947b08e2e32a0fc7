package testenv

import (
	"net/http"
	"testing"
)

// The real components start and answer: the tests that depend on them fail here first, with the install
// command, rather than deep inside a contract suite.
func TestDynamoDBLocalStarts(t *testing.T) {
	p, err := StartDynamoDBLocal()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	resp, err := http.Get(p.Endpoint)
	if err != nil {
		t.Fatalf("DynamoDB Local at %s: %v", p.Endpoint, err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		t.Fatalf("DynamoDB Local answered %d", resp.StatusCode)
	}
}

func TestMotoStarts(t *testing.T) {
	p, err := StartMoto()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	resp, err := http.Get(p.Endpoint + "/moto-api/")
	if err != nil {
		t.Fatalf("moto at %s: %v", p.Endpoint, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("moto answered %d", resp.StatusCode)
	}
}
