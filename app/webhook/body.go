package webhook

import (
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"sync"
)

// spillStep is how much disk budget a body of unknown length takes at a
// time, so that a chunked body holds about what it has sent.
const spillStep = 1 << 20

// errSpill is a spill file that could not be written (a full disk): 503.
var errSpill = errors.New("cannot spill the body to disk")

// chunks are the read buffers of bodies that stream to a file.
var chunks = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// body is one request's body, hashed as it is read and held in memory or,
// when it is large or memory is spent, in a file that is unlinked as soon
// as it is made: a crash leaves nothing behind, and no other process can
// open it by name.
type body struct {
	in       *Intake
	mac      hash.Hash // nil when signatures are not checked
	mem      []byte
	memHeld  int64
	file     *os.File
	diskHeld int64
	size     int64
}

// readBody reads src, whose Content-Length is length (-1: unknown), into a
// body within in's budgets, writing every byte to mac too. The caller
// closes the body, whatever the error.
func (in *Intake) readBody(src io.Reader, length int64, mac hash.Hash) (*body, error) {
	b := &body{in: in, mac: mac}
	if length > MaxBodyBytes {
		return b, errTooBig
	}
	src = io.LimitReader(src, MaxBodyBytes+1)
	var err error
	switch {
	case length >= 0 && length <= in.lim.MemoryBody && b.holdMem(length):
		err = b.readKnown(src, length)
	case length >= 0 && !b.holdDisk(length):
		return b, errBusy
	default:
		err = b.stream(src)
	}
	if err == nil && b.size > MaxBodyBytes {
		err = errTooBig
	}
	return b, err
}

// readKnown reads a body of known length straight into memory held for
// it: one buffer of the right size, no copies.
func (b *body) readKnown(src io.Reader, length int64) error {
	b.mem = make([]byte, length)
	if _, err := io.ReadFull(src, b.mem); err != nil {
		return fmt.Errorf("read body: %w", err)
	}
	var extra [1]byte
	if n, _ := src.Read(extra[:]); n > 0 {
		return errors.New("read body: longer than its Content-Length")
	}
	b.size = length
	if b.mac != nil {
		b.mac.Write(b.mem)
	}
	return nil
}

// stream reads src chunk by chunk into memory while it fits, then into a
// file.
func (b *body) stream(src io.Reader) error {
	buf := chunks.Get().(*[]byte)
	defer chunks.Put(buf)
	for {
		n, err := src.Read(*buf)
		if n > 0 {
			if werr := b.write((*buf)[:n]); werr != nil {
				return werr
			}
		}
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return fmt.Errorf("read body: %w", err)
		}
	}
}

// write appends p, in memory when the body is not in a file yet and the
// memory budget has room, else to the file.
func (b *body) write(p []byte) error {
	if b.mac != nil {
		b.mac.Write(p)
	}
	if b.file == nil && b.diskHeld == 0 && b.growMem(int64(len(p))) {
		b.mem = append(b.mem, p...)
		b.size += int64(len(p))
		return nil
	}
	if b.file == nil {
		if err := b.spill(); err != nil {
			return err
		}
	}
	if need := b.size + int64(len(p)); need > b.diskHeld && !b.holdDisk(max(need-b.diskHeld, spillStep)) && !b.holdDisk(need-b.diskHeld) {
		return errBusy
	}
	if _, err := b.file.Write(p); err != nil {
		return fmt.Errorf("%w: %w", errSpill, err)
	}
	b.size += int64(len(p))
	return nil
}

// growMem makes room for n more bytes in memory, within the body's cap
// and the budget, doubling as append would but holding what it allocates.
func (b *body) growMem(n int64) bool {
	need := b.size + n
	if need > b.in.lim.MemoryBody {
		return false
	}
	if need <= int64(cap(b.mem)) {
		return true
	}
	size := min(max(need, 2*int64(cap(b.mem)), 4<<10), b.in.lim.MemoryBody)
	if !b.holdMem(size - b.memHeld) {
		return false
	}
	grown := make([]byte, len(b.mem), size)
	copy(grown, b.mem)
	b.mem = grown
	return true
}

// spill moves the body from memory into a new file.
func (b *body) spill() error {
	f, err := os.CreateTemp(b.in.dir, spillPrefix+"*")
	if err != nil {
		return fmt.Errorf("%w: %w", errSpill, err)
	}
	b.file = f
	if err := os.Remove(f.Name()); err != nil {
		return fmt.Errorf("%w: %w", errSpill, err)
	}
	if b.size > b.diskHeld && !b.holdDisk(b.size-b.diskHeld) {
		return errBusy
	}
	if _, err := f.Write(b.mem); err != nil {
		return fmt.Errorf("%w: %w", errSpill, err)
	}
	b.in.mem.give(b.memHeld)
	b.mem, b.memHeld = nil, 0
	return nil
}

// bytes returns the whole body. A spilled body is read back into memory
// outside the budget: only a verified one is.
func (b *body) bytes() ([]byte, error) {
	if b.file == nil {
		return b.mem[:b.size], nil
	}
	out := make([]byte, b.size)
	if _, err := b.file.ReadAt(out, 0); err != nil {
		return nil, fmt.Errorf("read spilled body: %w", err)
	}
	return out, nil
}

// close gives back what the body holds.
func (b *body) close() {
	if b.file != nil {
		b.file.Close()
	}
	b.in.mem.give(b.memHeld)
	b.in.disk.give(b.diskHeld)
	b.mem, b.memHeld, b.diskHeld, b.file = nil, 0, 0, nil
}

func (b *body) holdMem(n int64) bool {
	if !b.in.mem.take(n) {
		return false
	}
	b.memHeld += n
	return true
}

func (b *body) holdDisk(n int64) bool {
	if !b.in.disk.take(n) {
		return false
	}
	b.diskHeld += n
	return true
}
