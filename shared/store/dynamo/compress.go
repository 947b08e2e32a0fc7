package dynamo

import "github.com/safeguarding/mash/shared/store/internal/zdoc"

// Item documents are stored compressed (shared/store/internal/zdoc, docs/cost.md "Compressed documents"), in
// attribute AttrZ; the functions' adapter (shared/store/dynamo/wire) writes and reads them the same way.

// AttrZ is the attribute of a compressed document (binary).
const AttrZ = zdoc.Attr

var (
	compressDoc   = zdoc.Compress
	decompressDoc = zdoc.Decompress
)
