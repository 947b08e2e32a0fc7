package flow

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// MarshalJSON writes the snapshot as encoding/json would write its fields (SetEscapeHTML(false)) without
// reflection: a snapshot is written after every run of an execution, so this is on the executor's hot path.
func (s Snapshot) MarshalJSON() ([]byte, error) {
	return appendSnapshot(make([]byte, 0, 1024), &s), nil
}

func appendSnapshot(b []byte, s *Snapshot) []byte {
	b = append(b, `{"digest":`...)
	b = appendString(b, s.Digest)
	b = append(b, `,"id":`...)
	b = appendString(b, s.ID)
	b = append(b, `,"name":`...)
	b = appendString(b, s.Name)
	b = append(b, `,"input":`...)
	b = appendRaw(b, s.Input)
	b = append(b, `,"startTime":`...)
	b = appendTime(b, s.StartTime)
	if !s.Deadline.IsZero() {
		b = append(b, `,"deadline":`...)
		b = appendTime(b, s.Deadline)
	}
	b = append(b, `,"status":`...)
	b = appendString(b, string(s.Status))
	if len(s.Output) > 0 {
		b = append(b, `,"output":`...)
		b = appendRaw(b, s.Output)
	}
	b = appendOptString(b, `,"error":`, s.Error)
	b = appendOptString(b, `,"cause":`, s.Cause)
	b = append(b, `,"history":`...)
	if s.History == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range s.History {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendEvent(b, &s.History[i])
		}
		b = append(b, ']')
	}
	if s.Root != nil {
		b = append(b, `,"root":`...)
		b = appendFrame(b, s.Root)
	}
	return append(b, '}')
}

func appendEvent(b []byte, ev *Event) []byte {
	b = append(b, `{"type":`...)
	b = appendString(b, ev.Type)
	b = appendOptString(b, `,"state":`, ev.State)
	b = appendOptString(b, `,"scope":`, ev.Scope)
	b = append(b, `,"at":`...)
	b = appendTime(b, ev.At)
	b = appendOptString(b, `,"error":`, ev.Error)
	b = appendOptString(b, `,"cause":`, ev.Cause)
	return append(b, '}')
}

func appendFrame(b []byte, f *Frame) []byte {
	b = append(b, `{"scope":`...)
	b = appendString(b, f.Scope)
	b = appendOptString(b, `,"label":`, f.Label)
	b = append(b, `,"state":`...)
	b = appendString(b, f.State)
	b = append(b, `,"phase":`...)
	b = appendString(b, f.Phase)
	b = append(b, `,"input":`...)
	b = appendRaw(b, f.Input)
	b = appendOptTime(b, `,"entered":`, f.Entered)
	if len(f.RetryCounts) > 0 {
		b = append(b, `,"retryCounts":[`...)
		for i, n := range f.RetryCounts {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(n), 10)
		}
		b = append(b, ']')
	}
	b = appendOptTime(b, `,"due":`, f.Due)
	b = appendOptString(b, `,"token":`, f.Token)
	b = appendOptTime(b, `,"tokenDeadline":`, f.TokenDeadline)
	b = appendOptTime(b, `,"heartbeatDeadline":`, f.HeartbeatDeadline)
	if f.HeartbeatSeconds != 0 {
		b = append(b, `,"heartbeatSeconds":`...)
		b = strconv.AppendInt(b, int64(f.HeartbeatSeconds), 10)
	}
	if c := f.Completion; c != nil {
		b = append(b, `,"completion":{"token":`...)
		b = appendString(b, c.Token)
		if len(c.Output) > 0 {
			b = append(b, `,"output":`...)
			b = appendRaw(b, c.Output)
		}
		if c.Failed {
			b = append(b, `,"failed":true`...)
		}
		b = appendOptString(b, `,"error":`, c.Error)
		b = appendOptString(b, `,"cause":`, c.Cause)
		if c.Beat {
			b = append(b, `,"beat":true`...)
		}
		b = append(b, '}')
	}
	if len(f.Children) > 0 {
		b = append(b, `,"children":[`...)
		for i, c := range f.Children {
			if i > 0 {
				b = append(b, ',')
			}
			if c == nil {
				b = append(b, "null"...)
				continue
			}
			b = appendFrame(b, c)
		}
		b = append(b, ']')
	}
	if len(f.Items) > 0 {
		b = append(b, `,"items":[`...)
		for i, it := range f.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendRaw(b, it)
		}
		b = append(b, ']')
	}
	if f.Started != 0 {
		b = append(b, `,"started":`...)
		b = strconv.AppendInt(b, int64(f.Started), 10)
	}
	if len(f.Output) > 0 {
		b = append(b, `,"output":`...)
		b = appendRaw(b, f.Output)
	}
	if f.Err != nil {
		b = append(b, `,"err":{"Error":`...)
		b = appendString(b, f.Err.Name)
		b = append(b, `,"Cause":`...)
		b = appendString(b, f.Err.Cause)
		b = append(b, '}')
	}
	return append(b, '}')
}

func appendOptString(b []byte, key, v string) []byte {
	if v == "" {
		return b
	}
	return appendString(append(b, key...), v)
}

func appendOptTime(b []byte, key string, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	return appendTime(append(b, key...), t)
}

func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendRaw writes a JSON document held as bytes, compacted as encoding/json compacts a RawMessage. What this
// package encodes is compact already; only documents from outside (an execution's input, a token's answer)
// may need it.
func appendRaw(b []byte, raw json.RawMessage) []byte {
	if raw == nil {
		return append(b, "null"...)
	}
	if bytes.IndexAny(raw, " \t\r\n") < 0 {
		return append(b, raw...)
	}
	buf := bytes.NewBuffer(b)
	if err := json.Compact(buf, raw); err != nil {
		return append(b[:len(b):len(b)], raw...)
	}
	return buf.Bytes()
}
