//go:build !linux

package folder

// linked is Linux's (O_TMPFILE): elsewhere every message is written to a temporary name and renamed.
func linked(dir, name string, raw []byte) error { return errNotLinked }
