package console

import (
	"regexp"
	"strings"
)

// BuildStylesheet makes the console's copy of govuk-frontend's compiled stylesheet
// (dist/govuk/govuk-frontend.min.css of npm govuk-frontend, pinned in tools/console/package.json): the GDS
// Transport typeface is licensed for GOV.UK services only, so its @font-face rules are removed and the
// font stacks fall back to Arial, as the Design System says services off GOV.UK should; the source map
// comment goes too. TestStylesheetIsCurrent checks the embedded copy is this build of the pinned package
// (go test ./shared/console -run TestStylesheetIsCurrent -update rebuilds it; scripts/console-assets.sh
// runs that).
//
// Its expressions are compiled when it is called (the stylesheet is built by a test, never by the console
// function), not at the package's initialisation, which every cold start of the console would pay.
func BuildStylesheet(css string) string {
	fontFace := regexp.MustCompile(`@font-face\{[^}]*\}`)
	sourceMap := regexp.MustCompile(`/\*# sourceMappingURL=[^*]*\*/`)
	css = fontFace.ReplaceAllString(css, "")
	css = strings.ReplaceAll(css, "GDS Transport,", "")
	css = strings.ReplaceAll(css, "font-family:GDS Transport", "font-family:arial,sans-serif")
	css = sourceMap.ReplaceAllString(css, "")
	return strings.TrimSpace(css) + "\n"
}
