package email

import (
	"strings"

	"github.com/safeguarding/mash/shared/domain"
)

// The tenth round's school rules (Portsmouth §4.6: the child's school or setting), read from how people write a
// school's name and a change of school rather than from one email. Each either completes or corrects a school the
// email itself writes, or keeps one away from a child it is not said of.

// schoolYearNoteRe: a school year or class in brackets after a school's name ("Whitefield School (Year 11)", "Oak
// Academy (Y10)", "Hill Primary (Reception class)"): a note about the child, no part of the school's name.
var schoolYearNoteRe = lazy(`\s*\(\s*(?i:year|yr|y|reception|nursery\s+class|sixth\s+form)\b[^()]*\)\s*$`)

// schoolTailRe: the words that may carry a school's name on where a reader stopped short ("Oakhurst Primary" →
// "Oakhurst Primary School", "Blackfen School" → "Blackfen School for Girls", "Meon Infant" → "Meon Infant School").
var schoolTailRe = lazy(`^(?:\s+(?:School|Academy))?(?:\s+for\s+(?:Girls|Boys))?`)

// tidySchools writes each child's school as the email names it in full: a bracketed school year after it is
// dropped, and a name cut short is carried on when the email writes the same words on into more of a school's
// name somewhere ("at Oakhurst Primary" in the introduction, "Oakhurst Primary School, Welling" in the
// signature). Only a school's own words are added — never a place after them ("…, Welling", "Oak Academy Road").
func tidySchools(ks []*kid, text string) {
	for _, k := range ks {
		if k.c.School == "" {
			continue
		}
		sch := k.c.School
		if loc := schoolYearNoteRe.FindStringIndex(sch); loc != nil && loc[0] > 0 {
			sch = strings.TrimSpace(sch[:loc[0]])
		}
		if schoolWords.match(sch) {
			sch = fullSchoolName(text, sch)
		}
		k.c.School = sch
	}
}

// fullSchoolName is the longest form of the school's name the text writes (the name itself when none is longer).
func fullSchoolName(text, sch string) string {
	best := sch
	for from := 0; from < len(text); {
		i := strings.Index(text[from:], sch)
		if i < 0 {
			break
		}
		i += from
		from = i + len(sch)
		if i > 0 && isWordByte(text[i-1]) || from < len(text) && isWordByte(text[from]) {
			continue
		}
		tail := schoolTailRe.FindString(text[from:])
		if tail == "" {
			continue
		}
		if next, _ := nextWord(text[from+len(tail):]); placeAfterSchool[strings.ToLower(strings.TrimRight(next, ".,;:!?)"))] {
			continue // "Oakhurst Primary School Lane": a street's name
		}
		if long := sch + " " + strings.Join(strings.Fields(tail), " "); len(long) > len(best) {
			best = long
		}
	}
	return best
}

// schoolMovedRe: the newest message says the child has moved school — "started at The Pavilion Study Centre", "has
// moved to Oak Academy", "is now at Hill Primary", "now attends …", "his new school is …". Group 1 is the new
// school: capitalised words ending in a school's word, or in a provision's ("Centre", "Unit", "Provision") when the
// sentence speaks of school, exclusion or education.
var schoolMovedRe = lazy(`\b(?:(?:has\s+)?(?:started|moved|transferred|gone)\s+(?:at|to)|(?i:now|currently)\s+(?:attends|attending|goes\s+to|at|on\s+roll\s+at|in\s+(?:Year|Yr|Y)\s?\d{1,2}\s+at)|(?:is|are)\s+now\s+(?:at|attending|on\s+roll\s+at)|new\s+(?:school|setting|placement|provision)\s+is)\s+((?:The\s+)?(?:[A-Z][\p{L}'’.&-]*\s+(?:(?:of|and|the|de|on|upon)\s+)?){0,6}(?:School|Primary|Academy|Nursery|College|Junior|Infant|Infants|Pre-[Ss]chool|Preschool|High|Grammar|UTC|PRU|Centre|Unit|Provision)\b(?:\s+(?:School|Academy))?)`)

// schoolMoveContextRe: a sentence that speaks of school, so a "Centre" or a "Unit" it names is a place of education.
var schoolMoveContextRe = lazy(`(?i)\b(?:school|pru|pupil\s+referral|excluded|exclusion|education|provision|college|academy|on\s+roll)\b`)

// schoolMovedPastRe: the move told as past and gone ("he had moved to …", "she was moved to …").
var schoolMovedPastRe = lazy(`(?i)\b(?:had|was|were|used\s+to|previously)\s+(?:\w+\s+)?$`)

// schoolMovedOtherRe: the one who moved is someone else ("his sister has moved to …", "mum has started at …").
var schoolMovedOtherRe = lazy(`(?i)\b(?:sister|brother|sibling|cousin|friend|mum|mother|dad|father|parent|partner|boyfriend|girlfriend|teacher|worker|nan|gran)\b`)

// newerSchool: a reply above quoted or forwarded history that says the child has moved school gives the new school,
// in place of the one the older message gave. The child is the email's one named child, or the child the
// sentence names; a sentence about someone else moving is not read.
func newerSchool(ks []*kid, lines []string) {
	newest := historyStart(lines)
	if newest >= len(lines) {
		return
	}
	text := strings.Join(lines[:newest], "\n")
	if !containsAny(text, []string{"started", "moved", "transferred", "gone", "now", "new "}) {
		return
	}
	var named []*kid
	for _, k := range ks {
		if k.named() {
			named = append(named, k)
		}
	}
	if len(named) == 0 {
		return
	}
	for _, m := range schoolMovedRe.FindAllStringSubmatchIndex(text, -1) {
		start := strings.LastIndexAny(text[:m[0]], ".!?\n") + 1
		end := clauseEnd(text, m[1])
		sentence, before := text[start:end], text[start:m[0]]
		sch := strings.TrimSpace(text[m[2]:m[3]])
		if !schoolWords.match(sch) && !schoolMoveContextRe.MatchString(sentence) {
			continue // "moved to the Family Centre": no school
		}
		if schoolMovedPastRe.MatchString(before) || schoolMovedOtherRe.MatchString(before) {
			continue
		}
		var who *kid
		for _, k := range named {
			if nameListed(before, k.c.GivenName) {
				who = k
			}
		}
		if who == nil && len(named) == 1 && containsAny(" "+strings.ToLower(before)+" ", []string{" he ", " she ", " he's ", " she's "}) {
			who = named[0]
		}
		if who == nil {
			continue
		}
		who.c.School = sch
		who.src["child.school"] = domain.FieldSource{Field: "child.school", Source: "body", Confidence: domain.ConfidenceMedium}
	}
}

// othersKidsRe: the words before "they go to …" speak of other children — the writer's own, friends, cousins
// ("my own kids were here (they go to Danson Primary)").
var othersKidsRe = lazy(`(?i)\b(?:my|our)\s+own\s+(?:kids|children|sons|daughters|boys|girls|grandchildren)\b|\b(?:my|our|her|his|their)\s+(?:friends|cousins|classmates|nephews|nieces)\b|\bthe\s+other\s+(?:kids|children|boys|girls|pupils)\b`)
