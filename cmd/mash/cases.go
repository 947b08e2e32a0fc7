package main

import (
	"context"
	"errors"
	"flag"
	"io/fs"
	"os"

	"github.com/safeguarding/mash/shared/cases"
)

// casesImport is `mash cases import --authority A FILE`: case records from the council's case system (a JSON
// array, JSON lines or CSV), with the same checks as POST /v1/cases. It prints
// {"file","rows","loaded","rejected":[{row,caseId,field,message}]}; exit 1 when no row loads.
func (a *app) casesImport(flags *flag.FlagSet) runFunc {
	authority := authorityFlag(flags)
	by := flags.String("by", "", "who is importing, for the audit trail (default: cli:$USER)")
	lf := addStateFlag(flags)
	return func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return badInput("name one file: mash cases import --authority A FILE.csv|FILE.json|FILE.jsonl")
		}
		auth, err := a.authority(*authority)
		if err != nil {
			return err
		}
		data, err := readInputFile(args[0])
		if err != nil {
			return err
		}
		rows, err := cases.Parse(data)
		if err != nil {
			return err
		}
		s, closeStore, err := a.openSuite(ctx, lf, nil, nil)
		if err != nil {
			return err
		}
		defer closeStore()
		bar := newProgress(a.stderr, "mash cases import", "case records", len(rows))
		res, err := cases.ImportProgress(ctx, s.Store, auth, editor(*by), rows, s.Now(), bar.set)
		bar.finish()
		if err != nil {
			return err
		}
		return a.printJSON(struct {
			File string `json:"file"`
			cases.Result
		}{args[0], res})
	}
}

// readInputFile reads a file named on the command line; a missing one is a bad input naming it.
func readInputFile(name string) ([]byte, error) {
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, badInput("%s does not exist", name)
	}
	return data, err
}
