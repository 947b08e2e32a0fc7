package trays

import "slices"

// ImmediateHarmFirst orders a tray's rows as every reader of a tray sees them — the console's tray pages and
// the API's GET /v1/trays/{tray} alike: a contact saying a child is at immediate risk does not wait in the
// ordinary queue (Hackney §4(1)), it heads the tray; the others keep the order they came in (the store's,
// earliest due first). harm says whether a row's contact says immediate harm. The sort is stable, so the
// immediate-harm rows are themselves earliest due first.
func ImmediateHarmFirst[T any](rows []T, harm func(T) bool) {
	slices.SortStableFunc(rows, func(a, b T) int {
		switch ha, hb := harm(a), harm(b); {
		case ha == hb:
			return 0
		case ha:
			return -1
		}
		return 1
	})
}
