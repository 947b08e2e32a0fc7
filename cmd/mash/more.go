package main

import "context"

// moreCommands are the commands built on storage and the workflow (run, demo, ingest, contacts, ooh).
func (a *app) moreCommands() map[string]func(context.Context, []string) error {
	return map[string]func(context.Context, []string) error{
		"demo": a.demo,
	}
}
