// Package fsx holds file-system helpers of the local runner.
package fsx

import (
	"os"
	"syscall"
)

// Rename moves the file oldpath to newpath, replacing a file there, as os.Rename does, but without the
// os.Rename's look at newpath first (an lstat, so that it can refuse to replace a directory the same way on
// every system): rename(2) refuses to put a file over a directory by itself. `mash run` renames once per
// message it writes to the outbox and once per email it moves to processed/, and that lstat was a third of
// the renames' cost (issue #19). For files only: a directory onto an empty directory is not refused here.
func Rename(oldpath, newpath string) error {
	if err := syscall.Rename(oldpath, newpath); err != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	return nil
}
