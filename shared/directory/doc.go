// Package directory holds each authority's directories — its schools with their Designated Safeguarding
// Leads — and answers the questions notices ask of them: which school's DSL hears of a PPN (Operation
// Encompass), and who else when no school can be named.
//
// # Design notes
//
//   - Import (import.go): the council's CSV (or a JSON array of the same fields) is checked row by row. A
//     bad row is named by its row number (the header is row 1, as in a spreadsheet; element 1 of a JSON
//     array is row 1) and field; the good rows load. A URN twice in one file refuses both rows. Email
//     addresses must be one bare RFC 5322 address (no display name, no list, no line break) at one of the
//     policy's schools.allowedDomains.
//   - Matching (match.go): a PPN carries the school as free text. Names are normalised (case, punctuation,
//     "Jnr" → junior, "C of E"/"CE"/"Church of England" → one token, "RC"/"Catholic", "St"/"Saint"),
//     generic words (school, academy, primary, the …) are set aside, and the remaining words must be the
//     same on both sides, each allowed one typing slip when it is five letters or more. Phase words must
//     not contradict (a junior school is not an infant school; "primary" fits either). One open school
//     left is a confident match; several are narrowed by postcode when one is given; anything else is not
//     confident and lists the candidates. A URN written in the field matches that school directly.
//   - Encompass (encompass.go): a confident match sends the notice to the school's DSL, copied to the
//     deputy. No confident match sends it to the authority's Encompass lead with the candidates listed and
//     puts the contact on the encompass-unmatched tray, due by the Encompass deadline; a worker picks the
//     school (POST /v1/contacts/{id}/school) and the notice goes at once. A closed school or a home-educated
//     child goes to the Encompass lead (the local authority's named officer), not on the tray.
//   - The match index is kept per authority and rebuilt only when the directory's version changes (one
//     read per PPN): matching itself is in memory (BenchmarkMatch25k).
package directory
