package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/safeguarding/mash/shared/domain"
	"github.com/safeguarding/mash/shared/store"
)

// transitions wraps the store of a serving suite (mash run, mash demo) and prints one line per contact
// transition once on: reference, from → to, who. Only ids, references, statuses and actors are printed,
// never personal data.
type transitions struct {
	store.Store
	out io.Writer
	mu  sync.Mutex
	on  atomic.Bool
}

func (t *transitions) print(ref domain.Reference, from, to domain.Status, who string) {
	if !t.on.Load() {
		return
	}
	if from == "" {
		from = "new"
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.out, "%-16s %s → %s  by %s\n", ref, from, to, who)
}

// CreateContact prints the new contact.
func (t *transitions) CreateContact(ctx context.Context, c *domain.Contact, key store.IdempotencyKey, ev store.AuditEvent) error {
	if err := t.Store.CreateContact(ctx, c, key, ev); err != nil {
		return err
	}
	t.print(c.Reference, "", c.Status, ev.Actor)
	return nil
}

// CreateHousehold prints each new contact.
func (t *transitions) CreateHousehold(ctx context.Context, cs []store.NewContact) error {
	if err := t.Store.CreateHousehold(ctx, cs); err != nil {
		return err
	}
	for _, nc := range cs {
		t.print(nc.Contact.Reference, "", nc.Contact.Status, nc.Event.Actor)
	}
	return nil
}

// UpdateContact prints a change of status, with the actor of the change's audit event.
func (t *transitions) UpdateContact(ctx context.Context, id domain.ContactID, fn func(*domain.Contact) (store.AuditEvent, error)) (*domain.Contact, error) {
	var from domain.Status
	var who string
	c, err := t.Store.UpdateContact(ctx, id, func(c *domain.Contact) (store.AuditEvent, error) {
		from = c.Status
		ev, err := fn(c)
		who = ev.Actor
		return ev, err
	})
	if err == nil && c.Status != from {
		t.print(c.Reference, from, c.Status, who)
	}
	return c, err
}

// ChangeContact prints a lifecycle transition's change of status, with the actor of its audit event.
func (t *transitions) ChangeContact(ctx context.Context, id domain.ContactID, fn func(*domain.Contact) (store.Change, error)) (*domain.Contact, error) {
	return t.printChange(fn, func(watched changeFunc) (*domain.Contact, error) {
		return t.Store.ChangeContact(ctx, id, watched)
	})
}

// ChangeLoaded prints a lifecycle transition's change of status, as ChangeContact.
func (t *transitions) ChangeLoaded(ctx context.Context, loaded *domain.Contact, fn func(*domain.Contact) (store.Change, error)) (*domain.Contact, error) {
	return t.printChange(fn, func(watched changeFunc) (*domain.Contact, error) {
		return t.Store.ChangeLoaded(ctx, loaded, watched)
	})
}

type changeFunc = func(*domain.Contact) (store.Change, error)

// printChange runs fn through the store's change (do) and prints the contact's change of status, if any, with
// the actor of the change's first audit event.
func (t *transitions) printChange(fn changeFunc, do func(changeFunc) (*domain.Contact, error)) (*domain.Contact, error) {
	var from domain.Status
	var who string
	c, err := do(func(c *domain.Contact) (store.Change, error) {
		from = c.Status
		ch, err := fn(c)
		if len(ch.Events) > 0 {
			who = ch.Events[0].Actor
		}
		return ch, err
	})
	if err == nil && c.Status != from {
		t.print(c.Reference, from, c.Status, who)
	}
	return c, err
}
