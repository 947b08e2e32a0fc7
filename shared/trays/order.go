package trays

import "sort"

// ImmediateHarmFirst orders a tray's rows as every reader of a tray sees them — the console's tray pages and
// the API's GET /v1/trays/{tray} alike: a contact saying a child is at immediate risk does not wait in the
// ordinary queue (Hackney §4(1)), it heads the tray; the others keep the order they came in (the store's,
// earliest due first). harm says whether a row's contact says immediate harm. The sort is stable, so the
// immediate-harm rows are themselves earliest due first.
//
// sort.SliceStable, not slices.SortStableFunc: the generic stable sort is ≈ 8 KB of code for each row type (the
// console's and the API's), against the console's size budget (functions/size_test.go).
func ImmediateHarmFirst[T any](rows []T, harm func(T) bool) {
	sort.SliceStable(rows, func(i, j int) bool { return harm(rows[i]) && !harm(rows[j]) })
}
