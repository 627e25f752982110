// SPDX-License-Identifier: MIT
//
// leaky_cgo: the leak a Go heap profile cannot see. Memory from C.CString and from C code
// lives on the C heap, outside the Go garbage collector, so only a malloc-level tracker
// such as leakshim finds it:
//
//	build/bin/leakshim build/bin/leaky_cgo
//
// It labels 100 orders, passing each label to C as a C.CString of 63 characters plus the
// NUL (64 bytes), but frees only the labels of orders that are not a multiple of 4. Every
// tenth order is also remembered by remember_order(), a C function that mallocs a 48-byte
// struct order_note and never frees it. It prints one line and exits 0. The exit report
// lists these two, both definitely lost (valgrind memcheck says the same), 2080 bytes in
// 35 blocks leaked:
//
//	1600 bytes in 25 blocks  _cgo_<hash>_Cfunc__Cmalloc <- runtime.asmcgocall <- ...
//	                         <- main._Cfunc_CString <- main.labelOrders <- main.main
//	 480 bytes in 10 blocks  remember_order <- _cgo_<hash>_Cfunc_remember_order <- ...
//	                         <- main.labelOrders <- main.main
//
// Go holds none of them at exit. A forgotten label (orders 0, 4, ..., 96) was only ever
// in the loop variable cs, overwritten on the next turn; a note's pointer only came back
// to be compared with nil. The goroutine stacks and the Go heap are scanned like any
// other memory outside the C heap, and no pointer to these blocks is left there.
//
// Also listed, not counted as leaked: one possibly lost block of a few hundred bytes
// (allocate_dtv <- pthread_create <- _cgo_try_pthread_create) for each thread the Go
// runtime started, how many varying from run to run: the C library's dynamic thread
// vector (DTV) for that thread's TLS, which the thread's control block points to 16
// bytes past its start, an interior pointer. The Go runtime takes every real-time
// signal, so leakshim cannot stop its threads for the scan: the report says how many
// it scanned without stopping them (threads_not_stopped).
//
// (C.CString calls cgo's _Cfunc__Cmalloc; leakshim follows the stack from the C side
// across cgo's switch back into the goroutine, to the line of main.go that called it.)
//
// It ends with C.exit rather than returning: Go's own exit is a bare exit_group system
// call that skips the C library's exit handlers, and with them leakshim's exit report.
// The Go runtime also takes SIGUSR2 for itself, so leakshim says it will take no
// snapshots on it.
package main

/*
#include <stdlib.h>
#include <string.h>

struct order_note {
	int id;
	int priority;
	char tag[40];
};

// noinline: cgo compiles this preamble with -O2, which would fold remember_order into
// its cgo wrapper, and the report could no longer name it.
__attribute__((noinline)) struct order_note *remember_order(int id)
{
	struct order_note *n = malloc(sizeof(*n));

	if (n == NULL)
		return NULL;
	n->id = id;
	n->priority = id % 3;
	strcpy(n->tag, "remembered");
	return n;
}

static unsigned long label_checksum(const char *label)
{
	unsigned long sum = 0;

	for (size_t i = 0; label[i] != '\0'; i++)
		sum = sum * 31 + (unsigned char)label[i];
	return sum;
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

const (
	orders     = 100
	labelChars = 63 // plus C.CString's NUL: 64 bytes each
)

func _() {
	// The byte counts documented above assume this layout.
	var n C.struct_order_note
	var _ [48 - unsafe.Sizeof(n)]struct{}
	var _ [unsafe.Sizeof(n) - 48]struct{}
}

func label(i int) string {
	return fmt.Sprintf("%-*s", labelChars, fmt.Sprintf("order-%03d", i))
}

// labelOrders hands each order's label to C; it "forgets" to free every fourth one.
func labelOrders() (sum uint64, noted int) {
	for i := 0; i < orders; i++ {
		cs := C.CString(label(i))
		sum += uint64(C.label_checksum(cs))
		if i%10 == 0 && C.remember_order(C.int(i)) != nil {
			noted++
		}
		if i%4 != 0 {
			C.free(unsafe.Pointer(cs))
		}
	}
	return sum, noted
}

func main() {
	sum, noted := labelOrders()
	fmt.Printf("labelled %d orders, noted %d, checksum %x\n", orders, noted, sum)
	C.exit(0)
}
