package clock_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/safeguarding/mash/shared/clock"
	"github.com/safeguarding/mash/shared/domain"
)

func london(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatalf("load Europe/London: %v", err)
	}
	return loc
}

func hm(s string) clock.TimeOfDay {
	v, err := clock.ParseTimeOfDay(s)
	if err != nil {
		panic(err)
	}
	return v
}

func span(open, close string) *clock.Hours { return &clock.Hours{Open: hm(open), Close: hm(close)} }

// nineToFive is Hackney (seed 001 "Opening Hours": Monday to Friday 9am to 5pm), and the same for Bexley and
// Northamptonshire.
func nineToFive(t testing.TB) clock.Config {
	cfg := clock.Config{Location: london(t), BankHolidays: "england-and-wales", SchoolDayStart: hm("08:45")}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		cfg.Opening[wd] = span("09:00", "17:00")
	}
	return cfg
}

// barnet is seed 004 "Operating hours": Monday–Thursday 9am to 5.15pm and 9am to 5pm on Fridays.
func barnet(t testing.TB) clock.Config {
	cfg := clock.Config{Location: london(t), SchoolDayStart: hm("08:45")}
	for wd := time.Monday; wd <= time.Thursday; wd++ {
		cfg.Opening[wd] = span("09:00", "17:15")
	}
	cfg.Opening[time.Friday] = span("09:00", "17:00")
	return cfg
}

// autumn2027 is a school year's worth of terms around the October half-term and Christmas holiday.
var autumn2027 = []clock.DateRange{
	{From: "2028-01-04", To: "2028-02-11"}, // out of order on purpose: New sorts
	{From: "2027-09-02", To: "2027-10-22"},
	{From: "2027-11-01", To: "2027-12-17"},
}

func newCal(t testing.TB, cfg clock.Config) *clock.Calendar {
	t.Helper()
	c, err := clock.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// at reads a local wall time "YYYY-MM-DD HH:MM" in loc.
func at(t testing.TB, loc *time.Location, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatalf("bad time %q: %v", s, err)
	}
	return v
}

func utc(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("bad time %q: %v", s, err)
	}
	return v
}

func TestWorkingDays_BankHolidays(t *testing.T) {
	c := newCal(t, nineToFive(t))
	loc := c.Location()
	for _, tc := range []struct {
		name string
		day  string
		want bool
	}{
		{"Christmas2027_Fri24DecIsWorking", "2027-12-24", true},
		{"Christmas2027_Sat25Dec", "2027-12-25", false},
		{"Christmas2027_Sun26Dec", "2027-12-26", false},
		{"Christmas2027_SubstituteMon27Dec", "2027-12-27", false},
		{"Christmas2027_SubstituteTue28Dec", "2027-12-28", false},
		{"Christmas2027_Wed29DecIsWorking", "2027-12-29", true},
		{"NewYear2028_SubstituteMon3Jan", "2028-01-03", false},
		{"NewYear2028_Tue4JanIsWorking", "2028-01-04", true},
		{"Easter2027_Thu25MarIsWorking", "2027-03-25", true},
		{"Easter2027_GoodFriday26Mar", "2027-03-26", false},
		{"Easter2027_EasterMonday29Mar", "2027-03-29", false},
		{"Easter2027_Tue30MarIsWorking", "2027-03-30", true},
		{"EarlyMay2027_Mon3May", "2027-05-03", false},
		{"SpringBankHoliday2027_Mon31May", "2027-05-31", false},
		{"SummerBankHoliday2027_Mon30Aug", "2027-08-30", false},
		{"OrdinaryMonday2027_14Jun", "2027-06-14", true},
		{"Coronation2023_Mon8May", "2023-05-08", false},
		{"Saturday", "2027-06-12", false},
		{"Sunday", "2027-06-13", false},
		// Outside the precomputed table the answer is computed directly.
		{"FarFuture2205_ChristmasWednesday", "2205-12-25", false},
		{"FarFuture2205_Thu24Dec", "2205-12-24", true},
		{"FarFuture2202_SubstituteMon27Dec", "2202-12-27", false},
		{"FarFuture2202_SubstituteTue28Dec", "2202-12-28", false},
		{"FarFuture2202_Wed29Dec", "2202-12-29", true},
		{"FarPast1969_ChristmasThursday", "1969-12-25", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Every instant of the local day gives the same answer, including late evening (BST ≠ UTC date).
			for _, hhmm := range []string{"00:00", "12:00", "23:59"} {
				if got := c.IsWorkingDay(at(t, loc, tc.day+" "+hhmm)); got != tc.want {
					t.Errorf("IsWorkingDay(%s %s) = %v, want %v", tc.day, hhmm, got, tc.want)
				}
			}
		})
	}
}

func TestIsOpen(t *testing.T) {
	h := newCal(t, nineToFive(t))
	b := newCal(t, barnet(t))
	loc := h.Location()
	for _, tc := range []struct {
		name string
		c    *clock.Calendar
		at   string
		want bool
	}{
		{"Barnet_004_OperatingHours_Thu1710Open", b, "2027-06-10 17:10", true},
		{"Barnet_004_OperatingHours_Thu1715Closed", b, "2027-06-10 17:15", false},
		{"Barnet_004_OperatingHours_Fri1710Closed", b, "2027-06-11 17:10", false},
		{"Barnet_004_OperatingHours_Fri1659Open", b, "2027-06-11 16:59", true},
		{"Hackney_001_OpeningHours_Mon0900Open", h, "2027-06-14 09:00", true},
		{"Hackney_001_OpeningHours_Mon0859Closed", h, "2027-06-14 08:59", false},
		{"Hackney_001_OpeningHours_Mon1700Closed", h, "2027-06-14 17:00", false},
		{"Hackney_001_OpeningHours_Thu1710Closed", h, "2027-06-10 17:10", false},
		{"Hackney_001_OpeningHours_SaturdayClosed", h, "2027-06-12 12:00", false},
		{"Hackney_001_OpeningHours_BankHolidayClosed", h, "2027-12-27 12:00", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.IsOpen(at(t, loc, tc.at)); got != tc.want {
				t.Errorf("IsOpen(%s) = %v, want %v", tc.at, got, tc.want)
			}
		})
	}
}

func TestNextOpeningAndCloseOf(t *testing.T) {
	h := newCal(t, nineToFive(t))
	b := newCal(t, barnet(t))
	loc := h.Location()
	for _, tc := range []struct {
		name    string
		c       *clock.Calendar
		from    string
		opening string
		close   string // "" when the day has no close
	}{
		{"Hackney_OpenNow", h, "2027-06-14 10:30", "2027-06-14 10:30", "2027-06-14 17:00"},
		{"Hackney_EarlyMorning", h, "2027-06-14 07:00", "2027-06-14 09:00", "2027-06-14 17:00"},
		{"Hackney_Evening", h, "2027-06-14 17:00", "2027-06-15 09:00", "2027-06-14 17:00"},
		{"Hackney_FridayEvening", h, "2027-06-11 18:00", "2027-06-14 09:00", "2027-06-11 17:00"},
		{"Hackney_Saturday", h, "2027-06-12 11:00", "2027-06-14 09:00", ""},
		{"Hackney_ChristmasEveEvening2027", h, "2027-12-24 17:30", "2027-12-29 09:00", "2027-12-24 17:00"},
		{"Barnet_004_FridayAfterFive", b, "2027-06-11 17:10", "2027-06-14 09:00", "2027-06-11 17:00"},
		{"Barnet_004_ThursdayClose", b, "2027-06-10 12:00", "2027-06-10 12:00", "2027-06-10 17:15"},
		{"Barnet_EasterMonday2027", b, "2027-03-29 10:00", "2027-03-30 09:00", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from := at(t, loc, tc.from)
			if got, want := tc.c.NextOpening(from), at(t, loc, tc.opening); !got.Equal(want) {
				t.Errorf("NextOpening(%s) = %s, want %s", tc.from, got.In(loc), want)
			}
			got, ok := tc.c.CloseOf(from)
			if tc.close == "" {
				if ok {
					t.Errorf("CloseOf(%s) = %s, want none", tc.from, got.In(loc))
				}
				return
			}
			if want := at(t, loc, tc.close); !ok || !got.Equal(want) {
				t.Errorf("CloseOf(%s) = %s %v, want %s", tc.from, got.In(loc), ok, want)
			}
		})
	}
}

func TestDue(t *testing.T) {
	loc := london(t)
	hackney := newCal(t, nineToFive(t))
	bar := newCal(t, barnet(t))
	withTerms := nineToFive(t)
	withTerms.Terms = autumn2027
	terms := newCal(t, withTerms)
	withInset := withTerms
	withInset.SchoolClosures = []string{"2027-11-01"}
	inset := newCal(t, withInset)
	closure := nineToFive(t)
	closure.ExtraClosures = []string{"2027-06-14"} // a one-off closure, e.g. a state occasion
	extra := newCal(t, closure)
	noWed := nineToFive(t)
	noWed.Opening[time.Wednesday] = nil // a working day on which the MASH is not open
	wedClosed := newCal(t, noWed)

	rule := func(u clock.Unit, n int) clock.Rule { return clock.Rule{Unit: u, Amount: n} }
	for _, tc := range []struct {
		name  string
		c     *clock.Calendar
		rule  clock.Rule
		start time.Time
		want  time.Time
	}{
		// hours: absolute durations, also across the BST/GMT changes.
		{"Hours72_Hackney_001_EarlyHelpScreening", hackney, rule(clock.UnitHours, 72), at(t, loc, "2027-06-11 16:00"), at(t, loc, "2027-06-14 16:00")},
		{"Hours24_AcrossBSTStart_28Mar2027", hackney, rule(clock.UnitHours, 24), utc(t, "2027-03-27T12:00:00Z"), utc(t, "2027-03-28T12:00:00Z")},
		{"Hours24_AcrossBSTStart_28Mar2027_LocalWallShifts", hackney, rule(clock.UnitHours, 24), at(t, loc, "2027-03-27 12:00"), at(t, loc, "2027-03-28 13:00")},
		{"Hours24_AcrossGMTReturn_31Oct2027_LocalWallShifts", hackney, rule(clock.UnitHours, 24), at(t, loc, "2027-10-30 12:00"), at(t, loc, "2027-10-31 11:00")},
		{"Hours24_AcrossGMTReturn_31Oct2027", hackney, rule(clock.UnitHours, 24), utc(t, "2027-10-30T11:00:00Z"), utc(t, "2027-10-31T11:00:00Z")},
		{"Hours0_IsStart", hackney, rule(clock.UnitHours, 0), at(t, loc, "2027-06-12 03:00"), at(t, loc, "2027-06-12 03:00")},

		// working-hours
		{"WorkingHours4_Bexley_003_HighRiskChecks_AcrossWeekend", hackney, rule(clock.UnitWorkingHours, 4), at(t, loc, "2027-06-11 16:00"), at(t, loc, "2027-06-14 12:00")},
		{"WorkingHours4_Overnight", hackney, rule(clock.UnitWorkingHours, 4), at(t, loc, "2027-06-15 15:30"), at(t, loc, "2027-06-16 11:30")},
		{"WorkingHours4_StartOutsideHours", hackney, rule(clock.UnitWorkingHours, 4), at(t, loc, "2027-06-15 20:00"), at(t, loc, "2027-06-16 13:00")},
		{"WorkingHours1_EndsExactlyAtClose", hackney, rule(clock.UnitWorkingHours, 1), at(t, loc, "2027-06-15 16:00"), at(t, loc, "2027-06-15 17:00")},
		{"WorkingHours1_Barnet_004_ThursdayCloses1715", bar, rule(clock.UnitWorkingHours, 1), at(t, loc, "2027-06-10 17:00"), at(t, loc, "2027-06-11 09:45")},
		{"WorkingHours10_OverChristmas2027", hackney, rule(clock.UnitWorkingHours, 10), at(t, loc, "2027-12-24 15:00"), at(t, loc, "2027-12-29 17:00")},
		{"WorkingHours0_SaturdayStartsAtNextOpening", hackney, rule(clock.UnitWorkingHours, 0), at(t, loc, "2027-06-12 10:00"), at(t, loc, "2027-06-14 09:00")},

		// working-days
		{"WorkingDays10_Hackney_001_s4.6_InfoRequest_OverChristmas2027", hackney, rule(clock.UnitWorkingDays, 10), at(t, loc, "2027-12-20 10:00"), at(t, loc, "2028-01-06 10:00")},
		{"WorkingDays1_FridayEvening_MovesToMondayOpeningFirst", hackney, rule(clock.UnitWorkingDays, 1), at(t, loc, "2027-06-11 18:00"), at(t, loc, "2027-06-15 09:00")},
		{"WorkingDays1_Bexley_003_OtherChecks", hackney, rule(clock.UnitWorkingDays, 1), at(t, loc, "2027-06-10 14:37"), at(t, loc, "2027-06-11 14:37")},
		{"WorkingDays3_Northamptonshire_002_PCOReview_OverEaster2027", hackney, rule(clock.UnitWorkingDays, 3), at(t, loc, "2027-03-24 11:00"), at(t, loc, "2027-03-31 11:00")},
		{"WorkingDays1_KeepsLocalTimeAcrossBSTStart_Easter2027", hackney, rule(clock.UnitWorkingDays, 1), at(t, loc, "2027-03-25 10:00"), utc(t, "2027-03-30T09:00:00Z")},
		{"WorkingDays1_KeepsLocalTimeAcrossGMTReturn_Oct2027", hackney, rule(clock.UnitWorkingDays, 1), utc(t, "2027-10-29T09:00:00Z"), utc(t, "2027-11-01T10:00:00Z")},
		{"WorkingDays1_KeepsSecondsAndNanos", hackney, rule(clock.UnitWorkingDays, 1), at(t, loc, "2027-06-10 14:37").Add(12*time.Second + 345), at(t, loc, "2027-06-11 14:37").Add(12*time.Second + 345)},
		{"WorkingDays1_ExtraClosureSkipped", extra, rule(clock.UnitWorkingDays, 1), at(t, loc, "2027-06-11 10:00"), at(t, loc, "2027-06-15 10:00")},
		{"WorkingDays1_DayWithoutHoursStillCounts", wedClosed, rule(clock.UnitWorkingDays, 1), at(t, loc, "2027-06-15 10:00"), at(t, loc, "2027-06-16 10:00")},
		{"WorkingDays0_OutsideHoursMovesToOpening", hackney, rule(clock.UnitWorkingDays, 0), at(t, loc, "2027-12-24 17:30"), at(t, loc, "2027-12-29 09:00")},

		// next-working-day-close (Portsmouth seed 000 §8: out-of-hours contacts reviewed the next working day)
		{"NextWorkingDayClose_Portsmouth_000_s8_Saturday", hackney, rule(clock.UnitNextWorkingDayClose, 0), at(t, loc, "2027-05-08 11:00"), at(t, loc, "2027-05-10 17:00")},
		{"NextWorkingDayClose_Portsmouth_000_s8_SaturdayBeforeEarlyMay2027", hackney, rule(clock.UnitNextWorkingDayClose, 0), at(t, loc, "2027-05-01 11:00"), at(t, loc, "2027-05-04 17:00")},
		{"NextWorkingDayClose_Portsmouth_000_s8_WeekdayEvening", hackney, rule(clock.UnitNextWorkingDayClose, 0), at(t, loc, "2027-06-15 22:00"), at(t, loc, "2027-06-16 17:00")},
		{"NextWorkingDayClose_Portsmouth_000_s8_EarlyMorningIsNextDayNotToday", hackney, rule(clock.UnitNextWorkingDayClose, 0), at(t, loc, "2027-06-15 02:00"), at(t, loc, "2027-06-16 17:00")},
		{"NextWorkingDayClose_ChristmasEve2027", hackney, rule(clock.UnitNextWorkingDayClose, 0), at(t, loc, "2027-12-24 18:00"), at(t, loc, "2027-12-29 17:00")},
		{"NextWorkingDayClose_Barnet_004_ThursdayCloses1715", bar, rule(clock.UnitNextWorkingDayClose, 0), at(t, loc, "2027-06-09 20:00"), at(t, loc, "2027-06-10 17:15")},
		{"NextWorkingDayClose_ExtraClosureSkipped", extra, rule(clock.UnitNextWorkingDayClose, 0), at(t, loc, "2027-06-11 20:00"), at(t, loc, "2027-06-15 17:00")},
		{"NextWorkingDayClose_DayWithoutHoursSkipped", wedClosed, rule(clock.UnitNextWorkingDayClose, 0), at(t, loc, "2027-06-15 20:00"), at(t, loc, "2027-06-17 17:00")},
		{"WorkingDayClose_Barnet_004_SameDay_PhoneThenOnlineReferral", bar, rule(clock.UnitWorkingDayClose, 0), at(t, loc, "2027-06-09 10:00"), at(t, loc, "2027-06-09 17:15")},
		{"WorkingDayClose_Barnet_004_FridayClosesAt1700", bar, rule(clock.UnitWorkingDayClose, 0), at(t, loc, "2027-06-11 16:00"), at(t, loc, "2027-06-11 17:00")},
		{"WorkingDayClose_Barnet_004_AfterCloseIsNextWorkingDay", bar, rule(clock.UnitWorkingDayClose, 0), at(t, loc, "2027-06-11 17:30"), at(t, loc, "2027-06-14 17:15")},
		{"WorkingDayClose_Barnet_004_BeforeOpeningIsThatDay", bar, rule(clock.UnitWorkingDayClose, 0), at(t, loc, "2027-06-09 07:00"), at(t, loc, "2027-06-09 17:15")},

		// next-school-day-start (Operation Encompass)
		{"NextSchoolDayStart_NoTerms_FridayBeforeHalfTerm", hackney, rule(clock.UnitNextSchoolDayStart, 0), at(t, loc, "2027-10-22 19:00"), at(t, loc, "2027-10-25 08:45")},
		{"NextSchoolDayStart_NoTerms_ChristmasEve2027", hackney, rule(clock.UnitNextSchoolDayStart, 0), at(t, loc, "2027-12-24 19:00"), at(t, loc, "2027-12-29 08:45")},
		{"NextSchoolDayStart_Terms_OverOctoberHalfTerm", terms, rule(clock.UnitNextSchoolDayStart, 0), at(t, loc, "2027-10-22 19:00"), at(t, loc, "2027-11-01 08:45")},
		{"NextSchoolDayStart_Terms_InHalfTerm", terms, rule(clock.UnitNextSchoolDayStart, 0), at(t, loc, "2027-10-27 10:00"), at(t, loc, "2027-11-01 08:45")},
		{"NextSchoolDayStart_Terms_OverChristmasHoliday", terms, rule(clock.UnitNextSchoolDayStart, 0), at(t, loc, "2027-12-17 15:00"), at(t, loc, "2028-01-04 08:45")},
		{"NextSchoolDayStart_Terms_InsetDaySkipped", inset, rule(clock.UnitNextSchoolDayStart, 0), at(t, loc, "2027-10-22 19:00"), at(t, loc, "2027-11-02 08:45")},
		{"NextSchoolDayStart_Terms_MidTermWeekday", terms, rule(clock.UnitNextSchoolDayStart, 0), at(t, loc, "2027-11-10 07:00"), at(t, loc, "2027-11-11 08:45")},
		{"NextSchoolDayStart_Terms_AfterLastTermAnyWorkingDay", terms, rule(clock.UnitNextSchoolDayStart, 0), at(t, loc, "2028-03-01 12:00"), at(t, loc, "2028-03-02 08:45")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.c.Due(tc.rule, tc.start)
			if err != nil {
				t.Fatalf("Due(%s, %s): %v", tc.rule, tc.start.In(loc), err)
			}
			if !got.Equal(tc.want) {
				t.Errorf("Due(%s, %s) = %s, want %s", tc.rule, tc.start.In(loc), got.In(loc), tc.want.In(loc))
			}
		})
	}
}

// TestDue_DSTGap_InstantAfter: a working-days answer whose local time does not exist is the first instant
// after the gap. London's gap is on a Sunday, so this uses a zone whose clocks go forward on a Friday
// (Israel: Friday 24 Mar 2028 02:00 → 03:00) with round-the-clock opening hours.
func TestDue_DSTGap_InstantAfter(t *testing.T) {
	jer, err := time.LoadLocation("Asia/Jerusalem")
	if err != nil {
		t.Fatalf("load Asia/Jerusalem: %v", err)
	}
	cfg := clock.Config{Location: jer}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		cfg.Opening[wd] = span("00:00", "24:00")
	}
	c := newCal(t, cfg)
	start := time.Date(2028, 3, 23, 2, 30, 0, 0, jer)
	got, err := c.Due(clock.Rule{Unit: clock.UnitWorkingDays, Amount: 1}, start)
	if err != nil {
		t.Fatal(err)
	}
	if want := utc(t, "2028-03-24T00:00:00Z"); !got.Equal(want) { // 03:00 IDT
		t.Errorf("Due = %s (%s), want %s", got.In(jer), got.UTC(), want)
	}
	// 24:00 close: Thursday's close is Friday 00:00.
	if cl, ok := c.CloseOf(start); !ok || !cl.Equal(time.Date(2028, 3, 24, 0, 0, 0, 0, jer)) {
		t.Errorf("CloseOf = %s %v", cl, ok)
	}
	// Round-the-clock hours: working-hours run straight through midnight.
	got, err = c.Due(clock.Rule{Unit: clock.UnitWorkingHours, Amount: 4}, time.Date(2028, 3, 22, 22, 0, 0, 0, jer))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2028, 3, 23, 2, 0, 0, 0, jer); !got.Equal(want) {
		t.Errorf("working-hours 4 = %s, want %s", got, want)
	}
}

func TestIsSchoolDay(t *testing.T) {
	withTerms := nineToFive(t)
	withTerms.Terms = autumn2027
	withTerms.SchoolClosures = []string{"2027-11-01"}
	c := newCal(t, withTerms)
	plain := newCal(t, nineToFive(t))
	loc := c.Location()
	for _, tc := range []struct {
		day         string
		terms, none bool
	}{
		{"2027-10-22", true, true},   // last day of term
		{"2027-10-25", false, true},  // half-term
		{"2027-11-01", false, true},  // INSET day (only in the calendar that has it)
		{"2027-11-02", true, true},   // term
		{"2027-12-27", false, false}, // substitute bank holiday
		{"2027-11-06", false, false}, // Saturday
	} {
		d := at(t, loc, tc.day+" 12:00")
		if got := c.IsSchoolDay(d); got != tc.terms {
			t.Errorf("with terms IsSchoolDay(%s) = %v, want %v", tc.day, got, tc.terms)
		}
		if got := plain.IsSchoolDay(d); got != tc.none {
			t.Errorf("no terms IsSchoolDay(%s) = %v, want %v", tc.day, got, tc.none)
		}
	}
}

func TestDue_RejectsInvalidRule(t *testing.T) {
	c := newCal(t, nineToFive(t))
	start := at(t, c.Location(), "2027-06-14 10:00")
	for _, tc := range []struct {
		name  string
		rule  clock.Rule
		field string
	}{
		{"UnknownUnit", clock.Rule{Unit: "fortnights", Amount: 1}, "unit"},
		{"EmptyUnit", clock.Rule{}, "unit"},
		{"NegativeHours", clock.Rule{Unit: clock.UnitHours, Amount: -1}, "amount"},
		{"NegativeWorkingDays", clock.Rule{Unit: clock.UnitWorkingDays, Amount: -3}, "amount"},
		{"HugeAmount", clock.Rule{Unit: clock.UnitWorkingDays, Amount: clock.MaxAmount + 1}, "amount"},
		{"AmountOnNextUnit", clock.Rule{Unit: clock.UnitNextWorkingDayClose, Amount: 2}, "amount"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Due(tc.rule, start)
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.CodeInvalid {
				t.Fatalf("Due(%+v) err = %v, want a domain invalid error", tc.rule, err)
			}
			if len(de.Fields) != 1 || de.Fields[0].Field != tc.field {
				t.Errorf("fields = %+v, want %q", de.Fields, tc.field)
			}
		})
	}
}

func TestNew_RejectsBadConfig(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*clock.Config)
		field  string
		msg    string
	}{
		{"NoLocation", func(c *clock.Config) { c.Location = nil }, "location", "required"},
		{"CloseBeforeOpen", func(c *clock.Config) { c.Opening[time.Monday] = span("17:00", "09:00") }, "opening.monday", "close before open"},
		{"EmptySpan", func(c *clock.Config) { c.Opening[time.Tuesday] = span("09:00", "09:00") }, "opening.tuesday", "close before open"},
		{"OutOfRange", func(c *clock.Config) { c.Opening[time.Friday] = &clock.Hours{Open: 540, Close: 2000} }, "opening.friday", "out of range"},
		{"WeekendHours", func(c *clock.Config) { c.Opening[time.Saturday] = span("09:00", "12:00") }, "opening.saturday", "weekends"},
		{"NeverOpen", func(c *clock.Config) { c.Opening = [7]*clock.Hours{} }, "opening", "no weekday"},
		{"ScottishHolidays", func(c *clock.Config) { c.BankHolidays = "scotland" }, "bank_holidays", "england-and-wales"},
		{"BadClosure", func(c *clock.Config) { c.ExtraClosures = []string{"2027-06-14", "2027-13-01"} }, "extra_closures[1]", "YYYY-MM-DD"},
		{"BadSchoolClosure", func(c *clock.Config) { c.SchoolClosures = []string{"1 Nov 2027"} }, "school_closures[0]", "YYYY-MM-DD"},
		{"BadTermFrom", func(c *clock.Config) { c.Terms = []clock.DateRange{{From: "2027-9-2", To: "2027-10-22"}} }, "terms[0].from", "YYYY-MM-DD"},
		{"TermBackwards", func(c *clock.Config) {
			c.Terms = []clock.DateRange{{From: "2027-09-02", To: "2027-10-22"}, {From: "2027-12-17", To: "2027-11-01"}}
		}, "terms[1]", "to before from"},
		{"SchoolDayStartMidnight24", func(c *clock.Config) { c.SchoolDayStart = 24 * 60 }, "school_day_start", "out of range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := nineToFive(t)
			tc.mutate(&cfg)
			c, err := clock.New(cfg)
			if c != nil || !errors.Is(err, domain.ErrInvalid) {
				t.Fatalf("New = %v, %v; want an invalid error", c, err)
			}
			var de *domain.Error
			errors.As(err, &de)
			for _, f := range de.Fields {
				if f.Field == tc.field && strings.Contains(f.Message, tc.msg) {
					return
				}
			}
			t.Errorf("error %q does not name %s (%s)", err, tc.field, tc.msg)
		})
	}
	t.Run("EmptyBankHolidaysMeansEnglandAndWales", func(t *testing.T) {
		cfg := nineToFive(t)
		cfg.BankHolidays = ""
		c := newCal(t, cfg)
		if c.IsWorkingDay(at(t, c.Location(), "2027-12-28 12:00")) {
			t.Error("Tue 28 Dec 2027 (substitute Boxing Day) is a working day")
		}
	})
}

// FuzzDue checks the properties every deadline has, for every unit, amount and start in 2000..2100.
func FuzzDue(f *testing.F) {
	for _, s := range []struct {
		unit   uint8
		amount uint16
		sec    int64
	}{
		{0, 24, 1806148800}, {1, 4, 1820746800}, {2, 10, 1829296800}, {3, 0, 1809176400}, {4, 0, 1824321600},
		{2, 1, 1806062400}, {1, 37, 1829332800}, {2, 250, 946684800},
	} {
		f.Add(s.unit, s.amount, s.sec)
	}
	cfgs := []clock.Config{nineToFive(f), barnet(f)}
	cfgs[0].Terms = autumn2027
	cfgs[0].ExtraClosures = []string{"2027-06-14"}
	cals := []*clock.Calendar{newCal(f, cfgs[0]), newCal(f, cfgs[1])}
	lo, hi := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	f.Fuzz(func(t *testing.T, unit uint8, amount uint16, sec int64) {
		u := clock.Units[int(unit)%len(clock.Units)]
		r := clock.Rule{Unit: u}
		if u.NeedsAmount() {
			r.Amount = int(amount) % 2000
		}
		if sec < 0 {
			sec = -sec
		}
		start := time.Unix(lo+sec%(hi-lo), int64(amount)*1e4).UTC()
		for i, c := range cals {
			got, err := c.Due(r, start)
			if err != nil {
				t.Fatalf("cal %d Due(%s, %s): %v", i, r, start, err)
			}
			if got.Before(start) {
				t.Fatalf("cal %d Due(%s, %s) = %s, before start", i, r, start, got)
			}
			switch u {
			case clock.UnitWorkingDays:
				if !c.IsWorkingDay(got) {
					t.Fatalf("cal %d Due(%s, %s) = %s, not a working day", i, r, start, got)
				}
			case clock.UnitWorkingHours:
				// The deadline is inside opening hours or exactly at a close.
				if cl, ok := c.CloseOf(got); !c.IsOpen(got) && !(ok && cl.Equal(got)) {
					t.Fatalf("cal %d Due(%s, %s) = %s, outside hours", i, r, start, got)
				}
			case clock.UnitNextWorkingDayClose:
				if cl, ok := c.CloseOf(got); !ok || !cl.Equal(got) || !c.IsOpen(got.Add(-time.Nanosecond)) {
					t.Fatalf("cal %d Due(%s, %s) = %s, not a close", i, r, start, got)
				}
			case clock.UnitNextSchoolDayStart:
				if !c.IsSchoolDay(got) || got.Sub(start) > 400*24*time.Hour {
					t.Fatalf("cal %d Due(%s, %s) = %s, not a school day", i, r, start, got)
				}
			}
		}
	})
}

func BenchmarkDue(b *testing.B) {
	c := newCal(b, nineToFive(b))
	loc := c.Location()
	cases := []struct {
		r     clock.Rule
		start time.Time
	}{
		{clock.Rule{Unit: clock.UnitHours, Amount: 72}, at(b, loc, "2027-06-11 16:00")},
		{clock.Rule{Unit: clock.UnitWorkingHours, Amount: 4}, at(b, loc, "2027-06-11 16:00")},
		{clock.Rule{Unit: clock.UnitWorkingDays, Amount: 10}, at(b, loc, "2027-12-20 10:00")},
		{clock.Rule{Unit: clock.UnitWorkingDays, Amount: 1}, at(b, loc, "2027-12-24 18:00")},
		{clock.Rule{Unit: clock.UnitNextWorkingDayClose}, at(b, loc, "2027-05-01 11:00")},
		{clock.Rule{Unit: clock.UnitNextSchoolDayStart}, at(b, loc, "2027-12-24 19:00")},
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		tc := cases[i%len(cases)]
		if _, err := c.Due(tc.r, tc.start); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkNew(b *testing.B) {
	cfg := nineToFive(b)
	cfg.Terms = autumn2027
	cfg.ExtraClosures = []string{"2027-06-14"}
	cfg.SchoolClosures = []string{"2027-11-01"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := clock.New(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// A simulated clock starts where it is told and runs speed times as fast as the real one.
func TestSimulated_StartsThereAndRunsAtSpeed(t *testing.T) {
	real := time.Date(2026, 11, 29, 20, 0, 0, 0, time.UTC)
	start := time.Date(2027, 12, 24, 16, 59, 0, 0, time.UTC)
	now := clock.Simulated(start, 60, func() time.Time { return real })
	if got := now(); !got.Equal(start) {
		t.Fatalf("at once: %v, want %v", got, start)
	}
	real = real.Add(2 * time.Second)
	if got, want := now(), start.Add(2*time.Minute); !got.Equal(want) {
		t.Fatalf("two real seconds at speed 60: %v, want %v", got, want)
	}
	half := clock.Simulated(start, 0.5, func() time.Time { return real })
	real = real.Add(time.Minute)
	if got, want := half(), start.Add(30*time.Second); !got.Equal(want) {
		t.Fatalf("a real minute at speed 0.5: %v, want %v", got, want)
	}
}
