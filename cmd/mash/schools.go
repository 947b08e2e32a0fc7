package main

import (
	"context"
	"flag"
	"os"
	"strings"

	"github.com/safeguarding/mash/shared/directory"
	"github.com/safeguarding/mash/shared/domain"
)

// schoolsImport is `mash schools import --authority A FILE.csv|FILE.json`: the same checks as POST
// /v1/schools. It prints {"file","loaded","rejected":[{row,urn,field,message}]}; exit 1 when no row loads or
// the header is wrong (naming the missing columns).
func (a *app) schoolsImport(fs *flag.FlagSet) runFunc {
	authority := authorityFlag(fs)
	by := fs.String("by", "", "who is importing, for the audit trail (default: cli:$USER)")
	lf := addStateFlag(fs)
	return func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return badInput("name one file: mash schools import --authority A FILE.csv")
		}
		auth, s, closeStore, err := a.authoritySuite(ctx, *authority, lf)
		if err != nil {
			return err
		}
		defer closeStore()
		res, err := importSchoolsFile(ctx, s.Directory, auth, editor(*by), args[0])
		if err != nil {
			return err
		}
		return a.printJSON(struct {
			File string `json:"file"`
			directory.Result
		}{args[0], res})
	}
}

// schoolsList is `mash schools list --authority A [--q TEXT]`: one JSON line per school.
func (a *app) schoolsList(fs *flag.FlagSet) runFunc {
	authority := authorityFlag(fs)
	q := fs.String("q", "", "only schools whose name contains this text")
	lf := addStateFlag(fs)
	return func(ctx context.Context, args []string) error {
		if err := noArgs(args); err != nil {
			return err
		}
		auth, s, closeStore, err := a.authoritySuite(ctx, *authority, lf)
		if err != nil {
			return err
		}
		defer closeStore()
		list, err := s.Store.ListSchools(ctx, auth)
		if err != nil {
			return err
		}
		for _, sc := range list {
			if *q == "" || strings.Contains(strings.ToLower(sc.Name), strings.ToLower(*q)) {
				if err := a.printJSON(sc); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// importSchoolsFile reads a CSV (or, for .json, a JSON array) and imports it through the desk.
func importSchoolsFile(ctx context.Context, desk directory.Desk, auth domain.AuthorityID, by, file string) (directory.Result, error) {
	data, err := readInputFile(file)
	if err != nil {
		return directory.Result{}, err
	}
	var (
		rows  []directory.Row
		lines []int
	)
	if strings.HasSuffix(strings.ToLower(file), ".json") {
		rows, lines, err = directory.ParseJSON(data)
	} else {
		rows, lines, err = directory.ParseCSV(strings.NewReader(string(data)))
	}
	if err != nil {
		return directory.Result{}, err
	}
	return desk.Import(ctx, auth, by, rows, lines)
}

func editor(by string) string {
	if by != "" {
		return by
	}
	if u := os.Getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}
