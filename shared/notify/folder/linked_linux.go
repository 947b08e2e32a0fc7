package folder

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// linked writes raw as dir/name through an unnamed file in dir (open(2)'s O_TMPFILE), given its name by
// linkat(2) once the whole message is written: a reader never sees half of it, and there is no temporary name
// to rename. Making the file's inode — which on ext4 without a journal walks the group's recently deleted
// inodes, and can cost a millisecond on a busy disk — is then done outside the folder's lock, which the
// temporary file's create and its rename each held while other sends waited, spinning (issue #19).
//
// It returns fs.ErrNotExist when dir is missing, fs.ErrExist when name is taken (the message was sent
// before) and errNotLinked when the file system has no unnamed files or the name could not be given: in
// those cases nothing is left behind.
func linked(dir, name string, raw []byte) error {
	f, err := os.OpenFile(dir, os.O_WRONLY|unix.O_TMPFILE, 0o600)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) && (pe.Err == syscall.EOPNOTSUPP || pe.Err == syscall.EISDIR || pe.Err == syscall.EINVAL) {
			return errNotLinked // a file system (or a kernel before 3.11) without O_TMPFILE
		}
		return err
	}
	defer f.Close() // an unnamed file that was not linked goes with its descriptor
	if _, err := f.Write(raw); err != nil {
		return err
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return errNotLinked
	}
	var lerr error
	if err := rc.Control(func(fd uintptr) {
		// The descriptor's /proc path with AT_SYMLINK_FOLLOW, as open(2) shows: AT_EMPTY_PATH would need
		// CAP_DAC_READ_SEARCH on kernels before 6.10.
		lerr = unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(int(fd)), unix.AT_FDCWD, filepath.Join(dir, name), unix.AT_SYMLINK_FOLLOW)
	}); err != nil {
		return errNotLinked
	}
	switch {
	case lerr == nil:
		return f.Close()
	case lerr == syscall.EEXIST:
		return &os.LinkError{Op: "linkat", Old: "(unnamed)", New: filepath.Join(dir, name), Err: lerr}
	}
	return errNotLinked // no /proc, or a file system that refuses the link: the temporary name instead
}
