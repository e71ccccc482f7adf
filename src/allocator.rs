//! The memory allocator of every program built on this library: jemalloc, with the heap on
//! transparent huge pages.
//!
//! A large graph is millions of small allocations read in random order. jemalloc keeps no
//! header beside each one, and huge pages let one address-translation entry cover 2 MiB
//! instead of 4 KiB, so a lookup that lands anywhere in a heap of gigabytes is no longer a
//! page-table walk as well as a cache miss. `BENCHMARKS.md` has the figures.

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, as a C string it reads when it starts.
#[repr(transparent)]
pub struct Options(*const u8);

// SAFETY: the pointer is to a static, immutable byte string.
unsafe impl Sync for Options {}

/// Huge pages for the heap and jemalloc's own tables (`thp:always` asks the kernel for them
/// with `madvise`, which is all a kernel set to `madvise` mode needs).
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static OPTIONS: Options = Options(c"thp:always,metadata_thp:always".as_ptr().cast());
